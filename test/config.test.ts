import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'secret',
  SALES_CHANNEL_ID: 'C0SALES',
  SALES_LEADER_IDS: 'U0LEAD1, U0LEAD2',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('reads the settings with their defaults', () => {
    expect(loadConfig(valid)).toMatchObject({
      port: 3000,
      databasePath: './data/anken.db',
      leaderIds: ['U0LEAD1', 'U0LEAD2'],
      adminIds: ['U0LEAD1', 'U0LEAD2'],
      commandNames: ['/案件', '/anken'],
      logLevel: 'info',
      slackApiUrl: undefined,
      timeZone: 'Asia/Tokyo',
      chase: { adviceStaleHours: 24, staleDays: 10, escalateAfter: 3, digestSchedule: '0 9 * * 1' },
      retentionDays: 30,
      retentionSchedule: '30 4 * * *',
    });
    expect(loadConfig({ ...valid, RETENTION_DAYS: '90' }).retentionDays).toBe(90);
  });

  it('reads the thresholds of stalled work and the digest schedule', () => {
    const config = loadConfig({
      ...valid,
      ADVICE_STALE_HOURS: '8',
      STALE_DAYS: '5',
      ESCALATE_AFTER: '2',
      DIGEST_SCHEDULE: '30 8 * * 5',
    });
    expect(config.chase).toEqual({ adviceStaleHours: 8, staleDays: 5, escalateAfter: 2, digestSchedule: '30 8 * * 5' });
  });

  it('adds the trailing slash the Web API client needs to SLACK_API_URL', () => {
    expect(loadConfig({ ...valid, SLACK_API_URL: 'http://127.0.0.1:9000/api' }).slackApiUrl).toBe(
      'http://127.0.0.1:9000/api/',
    );
  });

  it('needs no signing secret in Socket Mode', () => {
    const { SLACK_SIGNING_SECRET: _unused, ...socket } = valid;
    expect(loadConfig({ ...socket, SLACK_APP_TOKEN: 'xapp-1-abc' }).slackAppToken).toBe('xapp-1-abc');
  });

  it.each([
    ['a missing bot token', { SLACK_BOT_TOKEN: undefined }, 'SLACK_BOT_TOKEN: 必須です'],
    ['a user token instead of a bot token', { SLACK_BOT_TOKEN: 'xoxp-1' }, 'SLACK_BOT_TOKEN: ボットトークン'],
    ['a missing channel', { SALES_CHANNEL_ID: '' }, 'SALES_CHANNEL_ID: 必須です'],
    ['a channel name instead of an ID', { SALES_CHANNEL_ID: '#sales' }, 'SALES_CHANNEL_ID: チャンネルID'],
    ['no leaders', { SALES_LEADER_IDS: ' , ' }, 'SALES_LEADER_IDS: 営業リーダ'],
    ['a leader given by name', { SALES_LEADER_IDS: 'U0LEAD1,@sato' }, 'SALES_LEADER_IDS'],
    ['HTTP mode without a signing secret', { SLACK_SIGNING_SECRET: undefined }, 'SLACK_SIGNING_SECRET'],
    ['a port out of range', { PORT: '70000' }, 'PORT'],
    ['an unknown log level', { LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    ['a command without a slash', { ANKEN_COMMANDS: 'anken' }, 'ANKEN_COMMANDS'],
    ['an unknown time zone', { ANKEN_TIMEZONE: 'Tokyo' }, 'ANKEN_TIMEZONE: IANA'],
    ['hours that are not a number', { ADVICE_STALE_HOURS: 'abc' }, 'ADVICE_STALE_HOURS: 数値'],
    ['zero stale days', { STALE_DAYS: '0' }, 'STALE_DAYS: 1 以上'],
    ['a fraction of a reminder', { ESCALATE_AFTER: '1.5' }, 'ESCALATE_AFTER: 整数'],
    ['a digest schedule that does not parse', { DIGEST_SCHEDULE: 'every monday' }, 'DIGEST_SCHEDULE: cron'],
    ['a retention period that is not a number', { RETENTION_DAYS: '30d' }, 'RETENTION_DAYS: 数値'],
    ['a retention period of zero days', { RETENTION_DAYS: '0' }, 'RETENTION_DAYS: 1 以上'],
    ['a retention period of half a day', { RETENTION_DAYS: '0.5' }, 'RETENTION_DAYS: 整数'],
    ['a retention schedule that does not parse', { RETENTION_SCHEDULE: 'daily' }, 'RETENTION_SCHEDULE: cron'],
  ])('stops on %s, naming the setting', (_what, change, expected) => {
    const problems = problemsOf({ ...valid, ...change });
    expect(problems.join('\n')).toContain(expected);
  });
});
