import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type Anken, createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { openStore, type Store } from '../../src/store/index.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { attachSocketMode, type FakeSocketMode, socketTransport } from './fake-socket-mode.js';
import { createSlackSender, type SlackHttpResponse, type SlackSender } from './slack-requests.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const SALES_CHANNEL = 'C0SALES';
export const REP = 'U0REP01';
export const REP2 = 'U0REP02';
export const LEADER = 'U0LEAD1';
export const LEADER2 = 'U0LEAD2';
export const MEMBER = 'U0MEMB1';
export const GUEST = 'U0GUEST';
export const FOREIGN = 'U0OTHER';
export const FOREIGN_TEAM = 'T0OTHER';

/** The one clock the bot reads; tests move it instead of waiting. Real time until first set. */
export interface TestClock {
  now(): Date;
  set(at: Date | string): void;
  advance(ms: number): void;
}

export function createTestClock(initial?: () => Date): TestClock {
  let fixed: Date | null = null;
  const clock: TestClock = {
    now: () => fixed ?? initial?.() ?? new Date(),
    set(at) {
      fixed = new Date(at);
    },
    advance(ms) {
      fixed = new Date(clock.now().getTime() + ms);
    },
  };
  return clock;
}

export type SlackMode = 'http' | 'socket';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The mode of the vitest project running the file (see vitest.config.ts). */
    slackMode: SlackMode;
  }
}

/** How Slack reaches the bot in this test run: the vitest project's mode, HTTP outside one. */
export function slackMode(): SlackMode {
  return inject('slackMode') ?? 'http';
}

export interface Harness {
  mode: SlackMode;
  fake: FakeSlack;
  clock: TestClock;
  /** Runs a scheduled job now, at the clock's time, and waits for what it sent. */
  runJob(name: string): Promise<unknown>;
  /** The Socket Mode server (socket mode only). */
  socket: FakeSocketMode | undefined;
  /** Sends signed requests; each resolves once the bot has also done what it does after answering. */
  sender: SlackSender;
  /** Sends signed requests that resolve as soon as the answer arrives. */
  answerOnly: SlackSender;
  /** http://127.0.0.1:<port> of the running bot (it changes on restart). */
  baseUrl: string;
  anken: Anken;
  store: Store;
  config: Config;
  dbPath: string;
  /** Waits until every effect that is due has been delivered (or has failed for good). */
  settle(): Promise<void>;
  /** Stops the bot and starts it again on the same database and the same fake Slack. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** How Slack reaches the bot: signed HTTP requests or Socket Mode envelopes (default: the project's). */
  mode?: SlackMode;
  env?: Record<string, string>;
  /** Where the clock starts; it can be moved later with `harness.clock`. */
  now?: () => Date;
  /** First retry delay of the outbox; short by default so retries do not slow the tests. */
  retryBaseMs?: number;
}

function addPeople(fake: FakeSlack): void {
  fake.addChannel(SALES_CHANNEL, { isMember: true, name: '営業-案件' });
  fake.addUser({ id: REP, name: 'tanaka', realName: '田中 太郎' });
  fake.addUser({ id: REP2, name: 'suzuki', realName: '鈴木 花子' });
  fake.addUser({ id: LEADER, name: 'sato', realName: '佐藤 部長' });
  fake.addUser({ id: LEADER2, name: 'takahashi', realName: '高橋 課長' });
  fake.addUser({ id: MEMBER, name: 'ito', realName: '伊藤 一郎' });
  fake.addUser({ id: GUEST, name: 'guest', realName: '外部 協力者', isRestricted: true });
  fake.addUser({ id: FOREIGN, name: 'partner', realName: '取引先 担当', teamId: FOREIGN_TEAM });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const mode = options.mode ?? slackMode();
  const fake = await startFakeSlack();
  addPeople(fake);
  const socket = mode === 'socket' ? await attachSocketMode(fake) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'anken-test-'));
  const dbPath = join(dir, 'anken.db');
  const config = loadConfig({
    SLACK_BOT_TOKEN: fake.botToken,
    ...(socket ? { SLACK_APP_TOKEN: fake.appToken } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    SLACK_API_URL: fake.url,
    PORT: '0',
    DATABASE_PATH: dbPath,
    SALES_CHANNEL_ID: SALES_CHANNEL,
    SALES_LEADER_IDS: `${LEADER},${LEADER2}`,
    LOG_LEVEL: 'error',
    ...options.env,
  });
  const identity = {
    teamId: fake.teamId,
    botUserId: fake.botUserId,
    botId: fake.botId,
    url: 'https://test-team.slack.com/',
  };

  let store = openStore(dbPath);
  const clock = createTestClock(options.now);
  const appDeps = { config, identity, retryBaseMs: options.retryBaseMs ?? 50, helloTimeoutMs: 500, now: clock.now };
  let anken = createApp({ ...appDeps, store });
  let baseUrl = '';
  let answerOnly = await startAndConnect(anken);
  let sender = afterTheBot(answerOnly);

  /** The bot opens modals and notices after its answer: a test reads what it did once that is done too. */
  function afterTheBot(raw: SlackSender): SlackSender {
    const wrap =
      <A extends unknown[]>(send: (...args: A) => Promise<SlackHttpResponse>) =>
      async (...args: A): Promise<SlackHttpResponse> => {
        const response = await send(...args);
        await anken.afterAck.idle();
        return response;
      };
    return {
      post: wrap(raw.post),
      deliver: wrap(raw.deliver),
      slashCommand: wrap(raw.slashCommand),
      blockAction: wrap(raw.blockAction),
      viewSubmission: wrap(raw.viewSubmission),
      shortcut: wrap(raw.shortcut),
      messageShortcut: wrap(raw.messageShortcut),
      event: wrap(raw.event),
    };
  }

  async function startAndConnect(app: Anken): Promise<SlackSender> {
    const server = (await app.start()) as Server;
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return createSlackSender({
      baseUrl,
      signingSecret: SIGNING_SECRET,
      teamId: fake.teamId,
      botUserId: fake.botUserId,
      botId: fake.botId,
      responseUrlBase: fake.responseUrlBase,
      ...(socket ? { transport: socketTransport(socket, () => anken.idle()) } : {}),
    });
  }

  const harness: Harness = {
    mode,
    fake,
    clock,
    async runJob(name) {
      const result = await anken.runJob(name);
      await harness.settle();
      return result;
    },
    socket,
    get sender() {
      return sender;
    },
    get answerOnly() {
      return answerOnly;
    },
    get baseUrl() {
      return baseUrl;
    },
    get anken() {
      return anken;
    },
    get store() {
      return store;
    },
    config,
    dbPath,
    async settle() {
      for (let round = 0; round < 1_500; round += 1) {
        await anken.dispatcher.idle();
        const due = store.outbox.due(new Date(Date.now() + 60_000).toISOString(), 1);
        if (due.length === 0) return;
        anken.dispatcher.kick();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('outbox did not settle');
    },
    async restart() {
      await anken.stop();
      store.close();
      store = openStore(dbPath);
      anken = createApp({ ...appDeps, store });
      answerOnly = await startAndConnect(anken);
      sender = afterTheBot(answerOnly);
    },
    async close() {
      await anken.stop();
      store.close();
      await socket?.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
