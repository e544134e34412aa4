import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOptions } from '../support/bot-process.js';
import { pollUntil } from '../support/driving.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { attachSocketMode, type FakeSocketMode, socketTransport } from '../support/fake-socket-mode.js';
import { createSlackSender } from '../support/slack-requests.js';

/** `npm start` runs `node dist/main.js` after a build; this test runs the same built entry point. */
const root = join(import.meta.dirname, '..', '..');
let fake: FakeSlack;
let socket: FakeSocketMode;
let dir: string;

beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe' });
  fake = await startFakeSlack();
  fake.addChannel('C0SALES');
  fake.addUser({ id: 'U0REP01' });
  socket = await attachSocketMode(fake);
  dir = mkdtempSync(join(tmpdir(), 'anken-start-'));
}, 120_000);

afterAll(async () => {
  await socket.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function run(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [...startOptions(), join(root, 'dist', 'main.js')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the bot did not start listening');
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('npm start', () => {
  it('creates the database, answers Slack in HTTP mode and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const bot = run({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: 'start-secret',
      SLACK_API_URL: fake.url,
      PORT: String(port),
      DATABASE_PATH: join(dir, 'data', 'anken.db'),
      SALES_CHANNEL_ID: 'C0SALES',
      SALES_LEADER_IDS: 'U0LEAD1',
    });
    // The child runs in a scratch folder, so no .env of the project is read.
    await waitForHealth(port).catch((error) => {
      throw new Error(`${error}\n${bot.output()}`);
    });
    const sender = createSlackSender({ baseUrl: `http://127.0.0.1:${port}`, signingSecret: 'start-secret' });
    const response = await sender.slashCommand({
      command: '/anken',
      userId: 'U0REP01',
      triggerId: fake.issueTriggerId({ userId: 'U0REP01' }),
    });
    expect(response.status).toBe(200);
    // The modal opens just after the answer.
    await pollUntil('the report modal', () => fake.okCallsTo('views.open').length > 0, {
      timeoutMs: 3_000,
      intervalMs: 25,
    });
    expect(fake.okCallsTo('views.open')).toHaveLength(1);
    expect(existsSync(join(dir, 'data', 'anken.db'))).toBe(true);
    const forged = await sender.slashCommand(
      { command: '/anken', userId: 'U0REP01', triggerId: fake.issueTriggerId() },
      { signature: 'v0=forged' },
    );
    expect(forged.status).toBe(401);

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('shutting down');
  }, 30_000);

  it('in Socket Mode: connects through SLACK_API_URL, answers over the socket, and on SIGTERM closes it and exits 0', async () => {
    const port = await freePort();
    const bot = run({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_APP_TOKEN: fake.appToken,
      SLACK_API_URL: fake.url,
      PORT: String(port),
      DATABASE_PATH: join(dir, 'socket', 'anken.db'),
      SALES_CHANNEL_ID: 'C0SALES',
      SALES_LEADER_IDS: 'U0LEAD1',
    });
    await waitForHealth(port).catch((error) => {
      throw new Error(`${error}\n${bot.output()}`);
    });
    await socket.waitForConnections(1);
    const opened = fake.okCallsTo('views.open').length;
    const sender = createSlackSender({
      baseUrl: '',
      signingSecret: '',
      transport: socketTransport(socket, () => waitUntil(() => fake.okCallsTo('views.open').length > opened)),
    });
    const response = await sender.slashCommand({
      command: '/anken',
      userId: 'U0REP01',
      triggerId: fake.issueTriggerId({ userId: 'U0REP01' }),
    });
    expect(response.status).toBe(200);
    expect(fake.okCallsTo('views.open')).toHaveLength(opened + 1);

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(socket.openCount()).toBe(0);
    expect(socket.connections.at(-1)?.closedAt).not.toBeNull();
  }, 30_000);

  it('stops at start-up, without a stack trace, when Slack refuses the app token', async () => {
    const bot = run({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_APP_TOKEN: 'xapp-1-A0APP-1-revoked',
      SLACK_API_URL: fake.url,
      PORT: String(await freePort()),
      DATABASE_PATH: join(dir, 'refused', 'anken.db'),
      SALES_CHANNEL_ID: 'C0SALES',
      SALES_LEADER_IDS: 'U0LEAD1',
    });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('SLACK_APP_TOKEN');
    expect(bot.output()).toContain('invalid_auth');
    expect(bot.output()).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('stops at start-up, without a stack trace, when Slack refuses the bot token', async () => {
    const bot = run({
      SLACK_BOT_TOKEN: 'xoxb-revoked',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: fake.url,
      PORT: String(await freePort()),
      DATABASE_PATH: join(dir, 'refused-bot', 'anken.db'),
      SALES_CHANNEL_ID: 'C0SALES',
      SALES_LEADER_IDS: 'U0LEAD1',
    });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('SLACK_BOT_TOKEN');
    expect(bot.output()).toContain('invalid_auth');
    expect(bot.output()).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('stops at start-up with a message that names a missing setting', async () => {
    const bot = run({ SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: 's', SALES_LEADER_IDS: 'U0LEAD1' });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('SALES_CHANNEL_ID');
  }, 30_000);
});
