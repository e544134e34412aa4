import { App, LogLevel } from '@slack/bolt';
import { afterAll, bench, describe } from 'vitest';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { attachSocketMode, type FakeSocketMode } from '../test/support/fake-socket-mode.js';
import { startHarness } from '../test/support/harness.js';

/**
 * A Socket Mode refresh: Slack sends `disconnect` (and closes the connection itself 10 s later). Each
 * iteration waits until a new connection has said hello and the old one is closed. Baseline, in the
 * same run: Bolt's own SocketModeReceiver (@slack/socket-mode, default options) on the same fake.
 * At the end it prints what matters to a person typing /案件 meanwhile: the time the fake had no open
 * connection at all, per refresh.
 */

const OPTIONS = { iterations: 3, time: 0, warmupIterations: 0, warmupTime: 0 };

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('refresh did not complete');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function refresh(socket: FakeSocketMode): Promise<void> {
  const before = socket.connections.length;
  socket.disconnect('refresh_requested', 10_000);
  await until(() => socket.connections.length > before && socket.openCount() === 1);
}

const boltFake = await startFakeSlack();
const boltSocket = await attachSocketMode(boltFake);
const bolt = new App({
  token: boltFake.botToken,
  appToken: boltFake.appToken,
  socketMode: true,
  botId: boltFake.botId,
  botUserId: boltFake.botUserId,
  tokenVerificationEnabled: false,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: boltFake.url },
});
bolt.command('/anken', async ({ ack }) => ack());
await bolt.start();

const anken = await startHarness({ mode: 'socket' });
const ankenSocket = anken.socket!;

afterAll(async () => {
  const show = (gaps: number[]) => gaps.map((ms) => `${ms} ms`).join(', ');
  console.log(`time without a connection, per refresh — Bolt's receiver: ${show(boltSocket.gaps())}`);
  console.log(`time without a connection, per refresh — anken's receiver: ${show(ankenSocket.gaps())}`);
  await bolt.stop();
  await boltSocket.close();
  await boltFake.close();
  await anken.close();
});

describe('Socket Mode refresh, from disconnect until the new connection serves and the old one is closed', () => {
  bench("baseline: Bolt's SocketModeReceiver", () => refresh(boltSocket), OPTIONS);
  bench("anken's receiver", () => refresh(ankenSocket), OPTIONS);
});
