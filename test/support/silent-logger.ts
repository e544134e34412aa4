import { type Logger, LogLevel } from '@slack/web-api';

/** A logger that says nothing, for code under test that logs what it is meant to handle. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
