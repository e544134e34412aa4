/**
 * Survives a crash: the built bot (`node dist/main.js`, HTTP mode) runs as a child process against the
 * fake Slack and is killed with SIGKILL at many points of the deal process — while a request is being
 * handled, while a Slack call is in flight (delayed chat.postMessage / chat.update / conversations.open /
 * views.open), after Slack committed a post whose answer never arrived (drop-after-commit), and while the
 * outbox drains. After each kill the bot is started again on the same database; a request that died
 * with the bot is sent again as Slack's user would (same view id, same event id). At the end the outbox
 * must be drained, every acknowledged change stored once, every effect delivered, and no message posted
 * twice.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/ids.js';
import { POSTING_KINDS, readBotDatabase, requestHandled } from '../support/bot-database.js';
import { type Bot, type BotRunner, buildBotInto, createBotRunner, outboxDrained } from '../support/bot-process.js';
import { type Probe, pollUntil, random, sleep } from '../support/driving.js';
import {
  closedDealTexts,
  type FakeReading,
  messagesPerOutboxId,
  metadataOf,
  readFake,
} from '../support/fake-reading.js';
import { buttonTap, threadReplyEvent } from '../support/fake-requests.js';
import { type FakeSlack, type FakeView, startFakeSlack } from '../support/fake-slack.js';
import { attachSocketMode, type FakeSocketMode, socketTransport } from '../support/fake-socket-mode.js';
import { adviceValues, hasButton, progressValues, readable, reportValues, teamToday } from '../support/flows.js';
import { LEADER, LEADER2, MEMBER, REP, REP2, SALES_CHANNEL as SALES } from '../support/harness.js';
import { createSlackSender, type SlackHttpResponse, type SlackSender } from '../support/slack-requests.js';

const SECRET = 'crash-signing-secret';
const PEOPLE = [REP, REP2, LEADER, LEADER2, MEMBER];
const DEALS = 5;
/** How long a delayed Slack call stays in flight; a kill lands inside this window. */
const CALL_DELAY_MS = 700;

let fake: FakeSlack;
let dir: string;
let proxy: Proxy;
let bots: BotRunner;
let seen: FakeReading;
/** The built bot, for the Socket Mode case too. */
let entry: string;

/**
 * The bot is compiled with the project's build config into a private folder, so another test file's
 * `npm run build` cannot rewrite dist/ while this test starts a child.
 */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'anken-crash-'));
  entry = buildBotInto(dir);
  fake = await startFakeSlack();
  fake.addChannel(SALES, { isMember: true, name: '営業-案件' });
  for (const id of PEOPLE) fake.addUser({ id });
  seen = readFake(fake, { channel: SALES, people: PEOPLE });
  proxy = await startProxy();
  bots = createBotRunner({
    fake,
    entry,
    dir,
    signingSecret: SECRET,
    salesChannel: SALES,
    leaders: [LEADER, LEADER2],
    startAttempts: 300,
    proxy,
  });
}, 120_000);

afterAll(async () => {
  bots?.killAll();
  await proxy?.close();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- the network between Slack and the bot ----------------------------------------------------

/**
 * Stands between "Slack" (the test) and the bot, like the network does. `loseNextAnswer` makes the
 * bot's next answer vanish on the way back: the bot has committed and answered, Slack never hears it.
 */
interface Proxy {
  port: number;
  target: number;
  loseNextAnswer: (() => void) | null;
  close(): Promise<void>;
}

async function startProxy(): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    const upstream = connect(proxy.target, '127.0.0.1');
    track(upstream);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      const lose = proxy.loseNextAnswer;
      if (lose) {
        proxy.loseNextAnswer = null;
        client.destroy();
        upstream.destroy();
        lose();
        return;
      }
      client.write(chunk);
    });
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const proxy: Proxy = {
    port: (server.address() as { port: number }).port,
    target: 0,
    loseNextAnswer: null,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}

function waitUntil<T>(what: string, probe: Probe<T>, timeoutMs = 20_000): Promise<T> {
  return pollUntil(what, probe, { timeoutMs, intervalMs: 25 });
}

// ---- the scenario -------------------------------------------------------------------------------

type KillMode =
  | 'none'
  /** SIGKILL a few ms after the request was sent: mostly before its commit, always before the answer. */
  | 'in-request'
  /** SIGKILL the moment the bot answers: the change is committed, the answer never reaches Slack. */
  | 'answer-lost'
  /** A Slack call of the request itself (views.open) is held; the kill lands while it is in flight. */
  | 'open-modal-in-flight'
  /** After the ack, the next call of this method is held; the kill lands while the outbox waits on it. */
  | 'post-in-flight'
  | 'update-in-flight'
  | 'dm-open-in-flight'
  /**
   * Slack performs the next posts but the connection drops before the answer; kill before the retry,
   * and the first look-up for them after the restart is rate limited.
   */
  | 'after-drop'
  /** A kill at a random moment while the outbox drains, no faults. */
  | 'while-draining';

interface Totals {
  kills: number;
  requestsResent: number;
  resentAfterCommit: number;
  killsWithCallInFlight: number;
  inFlightMethods: Set<string>;
}

describe('a crash at any point', () => {
  it('loses no change, delivers every effect and posts nothing twice', async () => {
    const rand = random(20_240_611);
    const totals: Totals = {
      kills: 0,
      requestsResent: 0,
      resentAfterCommit: 0,
      killsWithCallInFlight: 0,
      inFlightMethods: new Set(),
    };
    let bot = await bots.start();
    /** Delay faults queued so far, per method, and how long each holds its call. */
    const held = { queued: 0, ms: new Map<string, number>() };
    /** Round-trip time of the last answered request, to aim the in-request kills. */
    let lastLatencyMs = 10;

    function hold(method: string, ms: number): void {
      fake.failNext(method, { kind: 'delay', ms });
      held.queued += 1;
      held.ms.set(method, ms);
    }

    let killedAt = 0;
    function kill(): void {
      killedAt = Date.now();
      bot.child.kill('SIGKILL');
    }

    async function killAndRestart(): Promise<void> {
      if (!bot.child.killed) kill();
      await bot.exited;
      totals.kills += 1;
      // Slack finishes what it was sent before the bot is back (a held call lands within CALL_DELAY_MS):
      // a post still inside Slack when the bot looks for it cannot be seen by any design. Without a
      // held call outstanding, the bot comes back at once.
      const landed = () => fake.calls.filter((call) => call.fault === 'delay').length;
      const deadline = killedAt + CALL_DELAY_MS + 100;
      while (landed() < held.queued && Date.now() < deadline) await sleep(20);
      const inFlight = fake.calls.filter(
        (call) => call.fault === 'delay' && call.at <= killedAt && call.at + (held.ms.get(call.method) ?? 0) > killedAt,
      );
      if (inFlight.length > 0) totals.killsWithCallInFlight += 1;
      for (const call of inFlight) totals.inFlightMethods.add(call.method);
      bot = await bots.start();
    }

    const committed = (key: string) => requestHandled(bots.dbPath, key);

    /**
     * Sends a request and applies the kill mode. A request that died with the bot is sent again (as
     * Slack's user would) once the bot is back; `idempotencyKey` says how the app would recognise it.
     */
    async function request(
      mode: KillMode,
      send: (bot: Bot) => Promise<SlackHttpResponse>,
      idempotencyKey?: string,
    ): Promise<SlackHttpResponse | null> {
      if (mode === 'open-modal-in-flight') hold('views.open', CALL_DELAY_MS - 300);
      if (mode === 'post-in-flight') hold('chat.postMessage', CALL_DELAY_MS);
      if (mode === 'update-in-flight') hold('chat.update', CALL_DELAY_MS);
      if (mode === 'dm-open-in-flight') hold('conversations.open', CALL_DELAY_MS);
      if (mode === 'after-drop') {
        fake.failNext('chat.postMessage', { kind: 'drop-after-commit' }, 2);
        // The look-up before posting again is itself rate limited once: it must still look next time.
        fake.failNext('conversations.history', { kind: 'ratelimited', retryAfter: 1 });
        fake.failNext('conversations.replies', { kind: 'ratelimited', retryAfter: 1 });
      }
      if (mode === 'answer-lost') proxy.loseNextAnswer = kill;

      const sentAt = Date.now();
      const pending = send(bot).then(
        (response) => {
          lastLatencyMs = Date.now() - sentAt;
          return response;
        },
        () => null,
      );
      if (mode === 'in-request') {
        // Somewhere between "just arrived" and "about to answer": before or after the commit.
        await sleep(rand() * lastLatencyMs * 1.1);
        await killAndRestart();
      } else if (mode === 'open-modal-in-flight') {
        // The bot opens the modal just after its answer: the kill lands while that views.open is held.
        await pending;
        await sleep(150 + rand() * 150);
        await killAndRestart();
      }
      const response = await pending;
      proxy.loseNextAnswer = null;
      if (mode === 'answer-lost') {
        expect(response, 'the answer was lost on the way').toBeNull();
        await killAndRestart();
      }
      if (response === null && idempotencyKey !== undefined) {
        totals.requestsResent += 1;
        if (committed(idempotencyKey)) totals.resentAfterCommit += 1;
        const again = await send(bot);
        expect(again.status).toBe(200);
        return again;
      }
      const killed = ['none', 'in-request', 'open-modal-in-flight', 'answer-lost'].includes(mode);
      if (response && !killed) {
        const after =
          mode === 'while-draining' ? rand() * 250 : mode === 'after-drop' ? 150 + rand() * 400 : 80 + rand() * 150;
        await sleep(after);
        await killAndRestart();
      }
      return response;
    }

    /** A tap or command that opens a modal; tapped again with a fresh trigger until the modal is there. */
    async function openModal(
      userId: string,
      mode: KillMode,
      send: (bot: Bot, triggerId: string) => Promise<SlackHttpResponse>,
    ): Promise<FakeView> {
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const triggerId = fake.issueTriggerId({ userId });
        const response = await request(attempt === 0 ? mode : 'none', (current) => send(current, triggerId));
        // The bot opens the modal after its answer: a bot killed before answering opened none.
        const view = response === null ? seen.openedView(triggerId) : await seen.modalOpened(triggerId);
        if (view) return view;
      }
      throw new Error(`no modal opened for ${userId}`);
    }

    /** A modal submission: acknowledged with the confirmation, sent again with the same view id when lost. */
    async function submitModal(
      kind: 'report' | 'advice' | 'progress',
      userId: string,
      view: FakeView,
      values: Record<string, Record<string, unknown>>,
      mode: KillMode,
    ): Promise<number> {
      const response = await request(
        mode,
        (current) => current.sender.viewSubmission({ userId, view: { ...view, state: { values } } }),
        `${kind}:${view.id}`,
      );
      expect(response?.status).toBe(200);
      const body = response?.body as { response_action?: string; view?: unknown };
      expect(body.response_action).toBe('update');
      const number = /案件 #(\d+)/.exec(readable(body.view))?.[1];
      expect(number, readable(body.view)).toBeDefined();
      acknowledged.push({ key: `${kind}:${view.id}`, dealId: Number(number) });
      return Number(number);
    }

    const acknowledged: { key: string; dealId: number }[] = [];
    const comments: { dealId: number; ts: string }[] = [];
    const deals: { id: number; owner: string; customer: string; outcome: 'won' | 'lost' }[] = [];

    // Every request gets a kill mode; the modes repeat so that each kind of kill happens several times.
    const submitModes: KillMode[] = [
      'post-in-flight',
      'answer-lost',
      'none',
      'dm-open-in-flight',
      'in-request',
      'after-drop',
      'none',
      'update-in-flight',
      'while-draining',
      'none',
    ];
    let submitTurn = 0;
    const nextSubmitMode = (phase: 'report' | 'advice' | 'negotiating' | 'close'): KillMode => {
      const mode = submitModes[submitTurn % submitModes.length] ?? 'none';
      submitTurn += 1;
      // Reports only post (no chat.update yet): hold a post instead.
      return phase === 'report' && mode === 'update-in-flight' ? 'post-in-flight' : mode;
    };
    let tapTurn = 0;
    const nextTapMode = (): KillMode => {
      tapTurn += 1;
      return tapTurn % 5 === 1 ? 'open-modal-in-flight' : tapTurn % 5 === 3 ? 'in-request' : 'none';
    };

    // 1. 案件発生報告, for every deal.
    for (let i = 0; i < DEALS; i += 1) {
      const owner = i % 2 === 0 ? REP : REP2;
      const customer = `クラッシュ検証商事${i + 1}`;
      const view = await openModal(owner, nextTapMode(), (current, triggerId) =>
        current.sender.slashCommand({ command: '/案件', userId: owner, channelId: 'C0RANDOM', triggerId }),
      );
      const id = await submitModal(
        'report',
        owner,
        view,
        reportValues({ customer, title: `案件${i + 1}`, amount: `${(i + 1) * 100}万` }, owner),
        nextSubmitMode('report'),
      );
      deals.push({ id, owner, customer, outcome: i % 2 === 0 ? 'won' : 'lost' });
    }
    expect(new Set(deals.map((deal) => deal.id)).size).toBe(DEALS);

    // 1a. A leader advises each deal from the DM; a member comments in the thread.
    for (const [index, deal] of deals.entries()) {
      const leader = index % 2 === 0 ? LEADER : LEADER2;
      const dm = await waitUntil(`advice request for #${deal.id}`, () =>
        seen.dmAbout(leader, deal.id, ACTION.openAdvice),
      );
      const view = await openModal(leader, nextTapMode(), (current, triggerId) =>
        current.sender.blockAction(buttonTap(dm, ACTION.openAdvice, leader, triggerId)),
      );
      await submitModal(
        'advice',
        leader,
        view,
        adviceValues(`#${deal.id} は決裁者を早めに押さえること`),
        nextSubmitMode('advice'),
      );

      const card = await waitUntil(`card of #${deal.id}`, () => seen.cardOf(deal.id));
      const comment = fake.addUserMessage(SALES, {
        user: MEMBER,
        text: `#${deal.id} 先方と面識あり`,
        threadTs: card.ts,
      });
      const eventId = `EvCRASH${deal.id}`;
      const event = threadReplyEvent(comment);
      const first = await request(index % 2 === 0 ? 'answer-lost' : 'in-request', (current) =>
        current.sender.event({ event, eventId }),
      );
      if (first === null) {
        // Slack retries an event it got no answer for, with the same event_id.
        totals.requestsResent += 1;
        if (committed(`comment:${SALES}:${comment.ts}`)) totals.resentAfterCommit += 1;
        const retried = await bot.sender.event({ event, eventId, retryNum: 1, retryReason: 'http_error' });
        expect(retried.status).toBe(200);
      }
      comments.push({ dealId: deal.id, ts: comment.ts });
    }

    // 2. 商談中, then 受注 or 失注, each from the card's button.
    const progress = async (deal: (typeof deals)[number], phase: 'negotiating' | 'close') => {
      const card = await waitUntil(`progress button on #${deal.id}`, () =>
        seen.cardWithButton(deal.id, ACTION.openProgress),
      );
      const view = await openModal(deal.owner, nextTapMode(), (current, triggerId) =>
        current.sender.blockAction({
          userId: deal.owner,
          actionId: ACTION.openProgress,
          value: String(deal.id),
          triggerId,
          container: { type: 'message', channel_id: SALES, message_ts: card.ts },
          message: card,
        }),
      );
      const values =
        phase === 'negotiating'
          ? progressValues(
              { status: 'negotiating', activityType: '往訪', content: `#${deal.id} 訪問して要件を確認` },
              teamToday(),
            )
          : deal.outcome === 'won'
            ? progressValues(
                { status: 'won', amount: '900万', content: `#${deal.id} 正式発注をいただいた` },
                teamToday(),
              )
            : progressValues(
                { status: 'lost', content: `#${deal.id} 他社に決定`, lossReason: '価格', lossDetail: '予算超過' },
                teamToday(),
              );
      await submitModal('progress', deal.owner, view, values, nextSubmitMode(phase));
    };
    for (const deal of deals) await progress(deal, 'negotiating');
    for (const deal of deals) await progress(deal, 'close');

    // The bot delivers everything that is left, then stops cleanly.
    await waitUntil('the outbox to drain', () => outboxDrained(bot.port), 30_000);
    expect(await bot.stop()).toBe(0);

    // ---- what the database kept ----
    const {
      outbox,
      deals: stored,
      handledRequests: handled,
      timeline,
      taskMessages,
      cards,
    } = readBotDatabase(bots.dbPath);
    const notDone = outbox.filter((row) => row.state !== 'done');
    expect(notDone, 'every effect delivered').toEqual([]);

    expect(stored).toEqual(deals.map((deal) => ({ id: deal.id, status: deal.outcome, customer: deal.customer })));
    for (const ack of acknowledged) expect(handled).toContainEqual(ack);
    for (const deal of deals) {
      const kinds = timeline.filter((row) => row.dealId === deal.id).map((row) => row.kind);
      // Each acknowledged submission once, the comment once: a resent request changed nothing more.
      expect(kinds.sort(), `timeline of #${deal.id}`).toEqual(['advice', 'comment', 'progress', 'progress', 'report']);
    }
    for (const comment of comments) {
      expect(timeline.some((row) => row.kind === 'comment' && row.data.includes(comment.ts))).toBe(true);
    }

    // ---- what Slack shows ----
    const posts = fake.okCallsTo('chat.postMessage');
    const postsPerOutboxId = new Map<number, number>();
    for (const call of posts) {
      const payload = (call.args.metadata as { event_payload?: { outbox_id?: unknown } } | undefined)?.event_payload;
      const id = payload?.outbox_id;
      expect(typeof id, 'every post carries its outbox id').toBe('number');
      postsPerOutboxId.set(id as number, (postsPerOutboxId.get(id as number) ?? 0) + 1);
    }
    const messages = seen.botMessages();
    // Every post Slack performed is a stored message (nothing escaped the count), and the reverse.
    expect(messages).toHaveLength(posts.length);
    for (const message of messages) {
      expect(metadataOf(message)?.outboxId, 'every message carries its outbox id').toEqual(expect.any(Number));
    }
    const perOutboxId = messagesPerOutboxId(messages);
    const duplicates = [...perOutboxId].filter(([, count]) => count > 1);
    expect(duplicates, 'no outbox id on two messages').toEqual([]);

    const byId = new Map(outbox.map((row) => [row.id, row]));
    for (const id of perOutboxId.keys()) expect(byId.has(id)).toBe(true);
    const lost = outbox.filter((row) => POSTING_KINDS.has(row.kind) && !perOutboxId.has(row.id));
    expect(lost, 'every posting effect has its message').toEqual([]);
    // One live task message per deal and person: the rep's progress task, both leaders' advice requests.
    expect(taskMessages).toHaveLength(DEALS * 3);
    const syncPosts = messages.filter(
      (message) => byId.get(metadataOf(message)?.outboxId ?? -1)?.kind === 'sync_task_message',
    );
    expect(syncPosts).toHaveLength(taskMessages.length);
    for (const task of taskMessages) {
      const message = fake.message(task.channel, task.ts);
      expect(message, `task message ${task.kind} of #${task.dealId} for ${task.userId}`).toBeDefined();
      const row = byId.get(metadataOf(message!)?.outboxId ?? -1);
      expect(JSON.parse(row?.payload ?? '{}')).toMatchObject({
        kind: 'sync_task_message',
        dealId: task.dealId,
        taskKind: task.kind,
        userId: task.userId,
      });
    }

    // The last updates reached Slack: cards, the rep's task and the leaders' requests show the end state.
    for (const deal of deals) {
      const shows = closedDealTexts(deal.outcome);
      const ref = cards.find((row) => row.id === deal.id);
      const card = fake.message(ref?.channel ?? '', ref?.ts ?? '');
      expect(card && metadataOf(card)?.dealId).toBe(deal.id);
      expect(readable(card)).toContain(shows.cardStatus);
      expect(readable(card)).toContain(shows.cardAdvice);
      expect(hasButton(card?.blocks, ACTION.openProgress)).toBe(false);
      const task = taskMessages.find((row) => row.dealId === deal.id && row.kind === 'progress');
      expect(readable(fake.message(task?.channel ?? '', task?.ts ?? ''))).toContain(shows.progressTask);
      for (const request of taskMessages.filter((row) => row.dealId === deal.id && row.kind === 'advice')) {
        expect(readable(fake.message(request.channel, request.ts))).toContain(shows.adviceRequest);
      }
    }

    const summary = {
      kills: totals.kills,
      killsWithCallInFlight: totals.killsWithCallInFlight,
      inFlight: [...totals.inFlightMethods].sort().join('/'),
      postsDroppedAfterCommit: posts.filter((call) => call.fault === 'drop-after-commit').length,
      resent: `${totals.requestsResent} (${totals.resentAfterCommit} had committed)`,
      effects: outbox.length,
      duplicates: duplicates.length,
      losses: notDone.length + lost.length,
    };
    process.stdout.write(
      `crash: ${Object.entries(summary)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')}\n`,
    );

    // The kills landed where they were meant to: many of them, several mid-call, on each kind of call.
    expect(totals.kills).toBeGreaterThanOrEqual(15);
    expect(totals.killsWithCallInFlight).toBeGreaterThanOrEqual(5);
    for (const method of ['chat.postMessage', 'chat.update', 'conversations.open', 'views.open']) {
      expect([...totals.inFlightMethods], `a kill while ${method} was in flight`).toContain(method);
    }
    expect(summary.postsDroppedAfterCommit).toBeGreaterThanOrEqual(2);
    expect(totals.requestsResent).toBeGreaterThanOrEqual(5);
    // Resent after the first one had committed: the app recognised the repeat (timelines above).
    expect(totals.resentAfterCommit).toBeGreaterThanOrEqual(4);
  }, 150_000);
});

/**
 * Commit before ack in Socket Mode: the bot is killed with SIGKILL the moment its ack of a thread reply's
 * envelope reaches Slack. Started again on the same database, the reply is on the deal's timeline: the
 * envelope was answered only after the commit (Bolt's own receiver answers events_api envelopes first).
 */
describe('a crash the moment a Socket Mode envelope is acked', () => {
  let socketFake: FakeSlack;
  let socket: FakeSocketMode;
  let socketBots: BotRunner;
  let sender: SlackSender;

  beforeAll(async () => {
    mkdirSync(join(dir, 'socket'));
    socketFake = await startFakeSlack();
    socketFake.addChannel(SALES, { isMember: true, name: '営業-案件' });
    for (const id of [REP, LEADER, MEMBER]) socketFake.addUser({ id });
    socket = await attachSocketMode(socketFake);
    socketBots = createBotRunner({
      fake: socketFake,
      entry,
      dir: join(dir, 'socket'),
      signingSecret: 'unused-in-socket-mode',
      appToken: socketFake.appToken,
      salesChannel: SALES,
      leaders: [LEADER],
      startAttempts: 300,
    });
    sender = createSlackSender({
      baseUrl: '',
      signingSecret: '',
      teamId: socketFake.teamId,
      botUserId: socketFake.botUserId,
      botId: socketFake.botId,
      responseUrlBase: socketFake.responseUrlBase,
      transport: socketTransport(socket, async () => undefined),
    });
  });

  afterAll(async () => {
    socketBots?.killAll();
    await socket?.close();
    await socketFake?.close();
  });

  const waitFor = <T>(what: string, probe: () => T | undefined | null | false) =>
    pollUntil(what, probe, { timeoutMs: 10_000, intervalMs: 20 });

  /** Starts a bot and waits until its Socket Mode connection has said hello. */
  async function startConnected(): Promise<Bot> {
    const before = socket.connections.length;
    const bot = await socketBots.start();
    await socket.waitForConnections(before + 1);
    return bot;
  }

  async function reportDeal(bot: Bot) {
    const opened = socketFake.okCallsTo('views.open').length;
    await sender.slashCommand({
      command: '/anken',
      userId: REP,
      triggerId: socketFake.issueTriggerId({ userId: REP }),
    });
    const call = await waitFor('the report modal', () => socketFake.okCallsTo('views.open')[opened]);
    const view = socketFake.viewById((call.response as unknown as { view: { id: string } }).view.id)!;
    await sender.viewSubmission({ userId: REP, view: { ...view, state: { values: reportValues({}, REP) } } });
    await waitFor('the card and its tasks', () => outboxDrained(bot.port));
    return socketFake.messagesIn(SALES)[0]!;
  }

  it('a thread reply acked the moment the bot is killed is on the timeline after the restart', async () => {
    const first = await startConnected();
    const card = await reportDeal(first);
    const reply = socketFake.addUserMessage(SALES, { user: MEMBER, text: '先方の決裁は来週です', threadTs: card.ts });

    const disarm = socket.onAck(() => first.child.kill('SIGKILL'));
    const answered = await sender.event({ event: threadReplyEvent(reply), eventId: 'Ev0KILLEDATACK' });
    disarm();
    expect(answered.status).toBe(200);
    expect(await first.exited).toBeNull();

    const second = await startConnected();
    const comments = readBotDatabase(socketBots.dbPath).timeline.filter((entry) => entry.kind === 'comment');
    expect(comments.map((entry) => JSON.parse(entry.data) as { text?: string })).toMatchObject([
      { text: '先方の決裁は来週です' },
    ]);
    expect(await second.stop()).toBe(0);
  }, 60_000);
});
