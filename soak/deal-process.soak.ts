/**
 * Soak: the built bot (`node dist/main.js`, HTTP mode) runs many deals at once through signed requests
 * against the fake Slack, with faults injected into Slack's answers all along (429 + Retry-After,
 * 5xx, ok:false internal_error, dropped connections, posts that Slack performed but whose answer was
 * lost, slow calls) and SIGKILLed and restarted several times on the same database. At the end every
 * acknowledged change must be stored exactly once, every effect delivered, and no message posted twice.
 *
 * Run with `npm run soak` (builds first). Prints a report; fails on any duplicate or loss.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../src/ids.js';
import { POSTING_KINDS, readBotDatabase } from '../test/support/bot-database.js';
import { type Bot, type BotRunner, BUILT_ENTRY, createBotRunner, outboxDrained } from '../test/support/bot-process.js';
import { type Probe, pollUntil, random, sleep } from '../test/support/driving.js';
import {
  closedDealTexts,
  type FakeReading,
  messagesPerOutboxId,
  metadataOf,
  readFake,
} from '../test/support/fake-reading.js';
import { buttonTap, threadReplyEvent } from '../test/support/fake-requests.js';
import { type FakeSlack, type FakeView, type Fault, startFakeSlack } from '../test/support/fake-slack.js';
import {
  adviceValues,
  type FormValues,
  hasButton,
  progressValues,
  readable,
  reportValues,
  teamToday,
} from '../test/support/flows.js';
import { SALES_CHANNEL as SALES } from '../test/support/harness.js';
import type { SlackHttpResponse, SlackSender } from '../test/support/slack-requests.js';

const DEALS = 100;
/** Deals driven at the same time (each by its own rep, leader and members). */
const CONCURRENCY = 24;
/** Kill the bot (SIGKILL, then restart) when this share of the expected requests has been sent. */
const KILL_AT = [0.25, 0.5, 0.75];
/** Longest injected slow call; a restart waits this long so that Slack has finished what it was sent. */
const MAX_DELAY_MS = 800;
/** Share of the calls to each Slack method that get a fault (a fault is queued only while it is below). */
const FAULT_SHARE = 0.08;
/** Requests per deal: command, report, advice tap + submit, 2 comments, 3 × (progress tap + submit). */
const REQUESTS_PER_DEAL = 12;

const SECRET = 'soak-signing-secret';
const REPS = ['U0REP01', 'U0REP02', 'U0REP03', 'U0REP04', 'U0REP05', 'U0REP06'];
const LEADERS = ['U0LEAD1', 'U0LEAD2'];
const MEMBERS = ['U0MEMB1', 'U0MEMB2', 'U0MEMB3'];
const PEOPLE = [...REPS, ...LEADERS, ...MEMBERS];

let fake: FakeSlack;
let dir: string;
let bots: BotRunner;
let seen: FakeReading;
/** Set when the soak has failed: every deal still being driven stops at its next step. */
let aborted = false;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'anken-soak-'));
  fake = await startFakeSlack();
  fake.addChannel(SALES, { isMember: true, name: '営業-案件' });
  for (const id of PEOPLE) fake.addUser({ id });
  seen = readFake(fake, { channel: SALES, people: PEOPLE });
  bots = createBotRunner({
    fake,
    entry: BUILT_ENTRY,
    dir,
    signingSecret: SECRET,
    salesChannel: SALES,
    leaders: LEADERS,
    logLevel: process.env.SOAK_LOG_LEVEL ?? 'error',
    startAttempts: 400,
    errorPrefix: 'soak: ',
    keepOutput: 4_000,
    // SOAK_BOT_LOG=<file> keeps every bot's output for a closer look.
    logFile: process.env.SOAK_BOT_LOG,
  });
});

afterAll(async () => {
  aborted = true;
  bots?.killAll();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- small tools ----------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function waitFor<T>(what: string, probe: Probe<T>, timeoutMs = 90_000): Promise<T> {
  return pollUntil(what, probe, { timeoutMs, intervalMs: 50, errorPrefix: 'soak: ', aborted: () => aborted });
}

// ---- faults ---------------------------------------------------------------------------------------

/** Slack methods the bot calls that get faults. */
const FAULTY_METHODS = [
  'chat.postMessage',
  'chat.update',
  'conversations.open',
  'views.publish',
  'conversations.history',
  'conversations.replies',
  'views.open',
];

function pickFault(rand: () => number, method: string): Fault {
  const roll = rand();
  const sideEffects = method !== 'views.open' && !method.startsWith('conversations.');
  if (roll < 0.2) return { kind: 'ratelimited', retryAfter: 1 };
  if (roll < 0.35) return { kind: 'http', status: ([500, 502, 503] as const)[Math.floor(rand() * 3)] ?? 500 };
  if (roll < 0.5) return { kind: 'error', error: 'internal_error' };
  if (roll < 0.62) return { kind: 'drop' };
  if (roll < 0.82 && sideEffects) return { kind: 'drop-after-commit' };
  return { kind: 'delay', ms: 100 + Math.floor(rand() * (MAX_DELAY_MS - 100)) };
}

/**
 * Keeps about FAULT_SHARE of each method's calls faulty: a fault is queued for a method only when its
 * faults so far (applied or still queued) are below that share of its calls, and one at a time.
 */
function createFaultInjector(rand: () => number) {
  const calls = new Map<string, number>();
  const applied = new Map<string, number>();
  const queued = new Map<string, number>();
  let scanned = 0;
  let injected = 0;
  return {
    get injected() {
      return injected;
    },
    tick(): void {
      for (; scanned < fake.calls.length; scanned += 1) {
        const call = fake.calls[scanned];
        if (!call) continue;
        calls.set(call.method, (calls.get(call.method) ?? 0) + 1);
        if (call.fault) applied.set(call.method, (applied.get(call.method) ?? 0) + 1);
      }
      for (const method of FAULTY_METHODS) {
        const done = applied.get(method) ?? 0;
        const waiting = (queued.get(method) ?? 0) - done;
        if (waiting > 0 || done + 1 > FAULT_SHARE * (calls.get(method) ?? 0) + 1) continue;
        fake.failNext(method, pickFault(rand, method));
        queued.set(method, (queued.get(method) ?? 0) + 1);
        injected += 1;
      }
    },
  };
}

// ---- the soak -------------------------------------------------------------------------------------

interface Stats {
  answered: number;
  failed: number;
  resent: number;
  retapped: number;
  notices: Map<string, number>;
  sent: number;
  ackMs: number[];
  ackMsByKind: Map<string, number[]>;
  /** Answers other than 200, by status. */
  notOk: Map<number, number>;
  slowest: { label: string; ms: number; at: number; status: number }[];
  killedAt: number[];
  kills: number;
  injected: number;
}

describe('soak', () => {
  it(`runs ${DEALS} deals at once through faults and crashes without a duplicate or a loss`, async () => {
    const started = performance.now();
    const rand = random(8_675_309);
    const stats: Stats = {
      answered: 0,
      failed: 0,
      resent: 0,
      retapped: 0,
      notices: new Map(),
      sent: 0,
      ackMs: [],
      ackMsByKind: new Map(),
      notOk: new Map(),
      slowest: [],
      killedAt: [],
      kills: 0,
      injected: 0,
    };
    let bot = await bots.start();
    let ready: Promise<Bot> = Promise.resolve(bot);
    const killsAt = KILL_AT.map((share) => Math.floor(share * DEALS * REQUESTS_PER_DEAL));
    let crashing: Promise<void> | null = null;

    async function crash(): Promise<void> {
      let release: (bot: Bot) => void = () => undefined;
      ready = new Promise((resolve) => {
        release = resolve;
      });
      stats.killedAt.push((performance.now() - started) / 1000);
      bot.child.kill('SIGKILL');
      await bot.exited;
      stats.kills += 1;
      // Slack finishes the calls it was sent (the slowest injected one lasts MAX_DELAY_MS) before the bot
      // is back: a post still inside Slack when the bot looks for it cannot be seen by any design.
      await sleep(MAX_DELAY_MS + 100);
      bot = await bots.start();
      release(bot);
    }

    /** One signed request; null when the bot died under it (or was down). Counts and times answers. */
    async function call(
      label: string,
      send: (sender: SlackSender) => Promise<SlackHttpResponse>,
    ): Promise<SlackHttpResponse | null> {
      if (aborted) throw new Error('soak: aborted');
      const current = await ready;
      const sentAt = performance.now();
      const pending = send(current.sender);
      stats.sent += 1;
      // The kills land while this request (and whatever else is under way) is in flight.
      if (crashing === null && killsAt.length > 0 && stats.sent >= (killsAt[0] ?? Infinity)) {
        killsAt.shift();
        crashing = crash().finally(() => {
          crashing = null;
        });
      }
      try {
        const response = await pending;
        const ms = performance.now() - sentAt;
        stats.ackMs.push(ms);
        const byKind = stats.ackMsByKind.get(label) ?? [];
        byKind.push(ms);
        stats.ackMsByKind.set(label, byKind);
        stats.answered += 1;
        if (response.status !== 200) stats.notOk.set(response.status, (stats.notOk.get(response.status) ?? 0) + 1);
        stats.slowest.push({ label, ms, at: (sentAt - started) / 1000, status: response.status });
        stats.slowest.sort((a, b) => b.ms - a.ms).splice(3);
        return response;
      } catch {
        stats.failed += 1;
        await sleep(100);
        return null;
      }
    }

    /** A command or a tap, repeated with a fresh trigger until the expected modal is open. */
    async function openModal(
      userId: string,
      callbackId: string,
      send: (sender: SlackSender, triggerId: string) => Promise<SlackHttpResponse>,
    ): Promise<FakeView> {
      for (let attempt = 0; attempt < 30; attempt += 1) {
        if (attempt > 0) stats.retapped += 1;
        const triggerId = fake.issueTriggerId({ userId });
        const response = await call('command or tap', (sender) => send(sender, triggerId));
        // The bot opens the modal after its answer; one whose views.open was in flight when the bot died
        // opens all the same.
        const view =
          response === null
            ? await waitFor('a held views.open', () => seen.openedView(triggerId), MAX_DELAY_MS + 200).catch(
                () => undefined,
              )
            : await seen.modalOpened(triggerId);
        if (view?.callback_id === callbackId) return view;
        // A notice instead of the form (views.open failed, the notice got through): read, closed, tapped again.
        if (view) {
          const notice = readable({ blocks: view.blocks }).trim().slice(0, 60);
          stats.notices.set(notice, (stats.notices.get(notice) ?? 0) + 1);
        }
        await sleep(100);
      }
      throw new Error(`soak: no ${callbackId} opened for ${userId}`);
    }

    const acknowledged: { key: string; dealId: number }[] = [];

    async function submitModal(kind: string, userId: string, view: FakeView, values: FormValues): Promise<number> {
      for (let attempt = 0; attempt < 40; attempt += 1) {
        if (attempt > 0) stats.resent += 1;
        // The same view (same id) each time, as Slack sends it when the person presses submit again.
        const response = await call(`${kind} submission`, (sender) =>
          sender.viewSubmission({ userId, view: { ...view, state: { values } } }),
        );
        // Not answered, or not within Slack's 3 s (Bolt answers 404): the person presses submit again.
        if (response === null || response.status !== 200) continue;
        const body = response.body as { response_action?: string; view?: unknown };
        const number = /案件 #(\d+)/.exec(readable(body.view))?.[1];
        if (body.response_action !== 'update' || number === undefined) {
          throw new Error(`soak: ${kind} by ${userId} refused: ${response.status} ${readable(body.view)}`);
        }
        acknowledged.push({ key: `${kind}:${view.id}`, dealId: Number(number) });
        return Number(number);
      }
      throw new Error(`soak: ${kind} by ${userId} never acknowledged`);
    }

    const comments: { dealId: number; ts: string }[] = [];

    async function comment(dealId: number, member: string, text: string): Promise<void> {
      const card = await waitFor(`card of #${dealId}`, () => seen.cardOf(dealId));
      const message = fake.addUserMessage(SALES, { user: member, text, threadTs: card.ts });
      const event = threadReplyEvent(message);
      const eventId = `EvSOAK${dealId}x${message.ts.replace('.', '')}`;
      for (let attempt = 0; attempt < 40; attempt += 1) {
        if (attempt > 0) stats.resent += 1;
        // Slack retries an unanswered event with the same event_id and X-Slack-Retry-Num.
        const response = await call('thread comment event', (sender) =>
          sender.event(attempt === 0 ? { event, eventId } : { event, eventId, retryNum: Math.min(attempt, 3) }),
        );
        if (response?.status === 200) {
          comments.push({ dealId, ts: message.ts });
          return;
        }
      }
      throw new Error(`soak: comment on #${dealId} never acknowledged`);
    }

    async function recordProgress(deal: Deal, values: FormValues): Promise<void> {
      const card = await waitFor(`progress button of #${deal.id}`, () =>
        seen.cardWithButton(deal.id, ACTION.openProgress),
      );
      const view = await openModal(deal.owner, CALLBACK.progressModal, (sender, triggerId) =>
        sender.blockAction(buttonTap(card, ACTION.openProgress, deal.owner, triggerId)),
      );
      await submitModal('progress', deal.owner, view, values);
    }

    interface Deal {
      index: number;
      id: number;
      owner: string;
      leader: string;
      customer: string;
      outcome: 'won' | 'lost';
    }
    const deals: Deal[] = [];
    const think = () => sleep(20 + Math.floor(rand() * 150));

    async function runDeal(index: number): Promise<void> {
      const owner = REPS[index % REPS.length] ?? 'U0REP01';
      const leader = LEADERS[index % LEADERS.length] ?? 'U0LEAD1';
      const customer = `耐久試験商事${index + 1}`;
      const outcome = index % 3 === 2 ? 'lost' : 'won';
      const reportView = await openModal(owner, CALLBACK.reportModal, (sender, triggerId) =>
        sender.slashCommand({ command: '/案件', userId: owner, channelId: 'C0RANDOM', triggerId }),
      );
      await think();
      const id = await submitModal(
        'report',
        owner,
        reportView,
        reportValues(
          { customer, title: `案件${index + 1}`, amount: `${(index % 9) + 1}00万`, industry: '製造業' },
          owner,
        ),
      );
      const deal: Deal = { index, id, owner, leader, customer, outcome };
      deals.push(deal);

      const request = await waitFor(`advice request of #${id}`, () => seen.dmAbout(leader, id, ACTION.openAdvice));
      await think();
      const adviceView = await openModal(leader, CALLBACK.adviceModal, (sender, triggerId) =>
        sender.blockAction(buttonTap(request, ACTION.openAdvice, leader, triggerId)),
      );
      await submitModal('advice', leader, adviceView, adviceValues(`#${id} 決裁者との面談を先に設定すること`));
      await comment(id, MEMBERS[index % MEMBERS.length] ?? 'U0MEMB1', `#${id} 先方の部長と面識があります`);

      for (const round of [1, 2]) {
        await think();
        await recordProgress(
          deal,
          progressValues(
            { status: 'negotiating', activityType: round === 1 ? '往訪' : '見積提出', content: `#${id} 第${round}回` },
            teamToday(),
          ),
        );
        if (round === 1) await comment(id, MEMBERS[(index + 1) % MEMBERS.length] ?? 'U0MEMB2', `#${id} 見積は任せて`);
      }
      await think();
      await recordProgress(
        deal,
        outcome === 'won'
          ? progressValues({ status: 'won', amount: '800万', content: `#${id} 受注しました` }, teamToday())
          : progressValues(
              {
                status: 'lost',
                content: `#${id} 見送り`,
                lossReason: '予算・時期の見送り',
                lossDetail: '来期に再検討',
              },
              teamToday(),
            ),
      );
    }

    // Faults all along the drive.
    const faults = createFaultInjector(rand);
    const injector = setInterval(() => faults.tick(), 50);

    let next = 0;
    try {
      const workers = Array.from({ length: CONCURRENCY }, async () => {
        while (next < DEALS) {
          const index = next;
          next += 1;
          await runDeal(index);
        }
      });
      await Promise.all(workers);
    } catch (error) {
      aborted = true;
      throw error;
    } finally {
      clearInterval(injector);
      stats.injected = faults.injected;
    }
    await crashing;
    const drivenMs = performance.now() - started;

    await waitFor('the outbox to drain', () => outboxDrained(bot.port), 120_000);
    const drainedMs = performance.now() - started;
    expect(await bot.stop(), 'a clean stop').toBe(0);

    // ---- what the database kept ----
    const {
      outbox,
      deals: stored,
      handledRequests,
      timeline,
      taskMessages,
      cards: cardRows,
    } = readBotDatabase(bots.dbPath);
    const duplicates: string[] = [];
    const losses: string[] = [];
    for (const row of outbox.filter((item) => item.state !== 'done')) {
      losses.push(`effect ${row.id} (${row.kind}) ${row.state}`);
    }

    if (stored.length !== DEALS) losses.push(`${stored.length} deals stored, ${DEALS} reported`);
    for (const deal of deals) {
      const row = stored.find((candidate) => candidate.id === deal.id);
      if (row?.customer !== deal.customer || row.status !== deal.outcome) {
        losses.push(`deal #${deal.id}: ${JSON.stringify(row)}`);
      }
    }
    const handled = new Map(handledRequests.map((row) => [row.key, row.dealId]));
    for (const ack of acknowledged) {
      if (handled.get(ack.key) !== ack.dealId) losses.push(`acknowledged ${ack.key} not stored`);
    }
    const expectedKinds = ['advice', 'comment', 'comment', 'progress', 'progress', 'progress', 'report'];
    for (const deal of deals) {
      const kinds = timeline
        .filter((row) => row.dealId === deal.id)
        .map((row) => row.kind)
        .sort();
      if (kinds.join() === expectedKinds.join()) continue;
      if (kinds.length > expectedKinds.length) duplicates.push(`timeline of #${deal.id}: ${kinds.join()}`);
      else losses.push(`timeline of #${deal.id}: ${kinds.join()}`);
    }
    for (const { dealId, ts } of comments) {
      if (!timeline.some((row) => row.dealId === dealId && row.kind === 'comment' && row.data.includes(ts))) {
        losses.push(`comment ${ts} on #${dealId}`);
      }
    }

    // ---- what Slack shows ----
    const posts = fake.okCallsTo('chat.postMessage');
    const messages = seen.botMessages();
    if (messages.length !== posts.length) {
      losses.push(`${posts.length} posts performed but ${messages.length} bot messages found`);
    }
    for (const message of messages) {
      if (typeof metadataOf(message)?.outboxId !== 'number') {
        losses.push(`a message without its outbox id: ${message.channel} ${message.ts}`);
      }
    }
    const perOutboxId = messagesPerOutboxId(messages);
    for (const [id, count] of perOutboxId) {
      if (count > 1) duplicates.push(`outbox id ${id} on ${count} messages`);
    }

    const byId = new Map(outbox.map((row) => [row.id, row]));
    for (const row of outbox) {
      if (POSTING_KINDS.has(row.kind) && !perOutboxId.has(row.id)) {
        losses.push(`effect ${row.id} (${row.kind}) not posted`);
      }
    }
    if (taskMessages.length !== DEALS * 3) losses.push(`${taskMessages.length} task messages, ${DEALS * 3} expected`);
    for (const task of taskMessages) {
      const message = fake.message(task.channel, task.ts);
      const row = byId.get((message && metadataOf(message)?.outboxId) ?? -1);
      if (row?.kind !== 'sync_task_message') losses.push(`task message of #${task.dealId} for ${task.userId}`);
    }
    const syncPosts = messages.filter(
      (message) => byId.get(metadataOf(message)?.outboxId ?? -1)?.kind === 'sync_task_message',
    );
    if (syncPosts.length > taskMessages.length) {
      for (const message of syncPosts) {
        const live = taskMessages.some((task) => task.channel === message.channel && task.ts === message.ts);
        if (!live) duplicates.push(`a second task message ${message.channel} ${message.ts}`);
      }
    }

    // The last update of each message reached Slack.
    const cards = new Map(cardRows.map((row) => [row.id, row]));
    for (const deal of deals) {
      const shows = closedDealTexts(deal.outcome);
      const ref = cards.get(deal.id);
      const card = fake.message(ref?.channel ?? '', ref?.ts ?? '');
      const shown = readable(card);
      if (
        !shown.includes(shows.cardStatus) ||
        !shown.includes(shows.cardAdvice) ||
        hasButton(card?.blocks, ACTION.openProgress)
      ) {
        losses.push(`card of #${deal.id} not up to date`);
      }
      const task = taskMessages.find((row) => row.dealId === deal.id && row.kind === 'progress');
      if (!readable(fake.message(task?.channel ?? '', task?.ts ?? '')).includes(shows.progressTask)) {
        losses.push(`progress task of #${deal.id} not up to date`);
      }
      for (const request of taskMessages.filter((row) => row.dealId === deal.id && row.kind === 'advice')) {
        if (!readable(fake.message(request.channel, request.ts)).includes(shows.adviceRequest)) {
          losses.push(`advice request of #${deal.id} for ${request.userId} not up to date`);
        }
      }
    }

    const faultsApplied = new Map<string, number>();
    for (const call of fake.calls) {
      if (call.fault) faultsApplied.set(call.fault, (faultsApplied.get(call.fault) ?? 0) + 1);
    }
    // Effects that post: the posting kinds, and the first sync of each task message (later ones update it).
    const posted = outbox.filter((row) => POSTING_KINDS.has(row.kind)).length + taskMessages.length;
    if (perOutboxId.size < posted) losses.push(`${perOutboxId.size} effects posted of ${posted} that post`);
    const deliveredOnce = outbox.filter(
      (row) =>
        row.state === 'done' &&
        (POSTING_KINDS.has(row.kind) ? perOutboxId.get(row.id) === 1 : (perOutboxId.get(row.id) ?? 0) <= 1),
    ).length;
    const sorted = [...stats.ackMs].sort((a, b) => a - b);
    const report: Record<string, string | number> = {
      deals: deals.length,
      'signed requests sent / answered': `${stats.sent} / ${stats.answered}`,
      'requests lost to a kill or down bot': stats.failed,
      'requests sent again (same view / event id)': stats.resent,
      'taps and commands repeated (new trigger)': stats.retapped,
      'notices shown instead of a form':
        [...stats.notices].map(([text, count]) => `${count}× ${text}`).join('; ') || 'none',
      'bot kills (SIGKILL) and restarts': `${stats.kills} (at ${stats.killedAt.map((at) => `${at.toFixed(1)} s`).join(', ')})`,
      'faults injected / applied': `${stats.injected} / ${[...faultsApplied.values()].reduce((a, b) => a + b, 0)}`,
      'faults applied by kind': [...faultsApplied]
        .sort()
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', '),
      'Slack calls made': fake.calls.length,
      'effects expected (outbox rows)': outbox.length,
      '  of which post a message': posted,
      'effects delivered once': deliveredOnce,
      'messages posted': messages.length,
      duplicates: duplicates.length,
      losses: losses.length,
      'ack time p50 / p99 (all requests)': `${percentile(sorted, 50).toFixed(1)} ms / ${percentile(sorted, 99).toFixed(1)} ms`,
      ...Object.fromEntries(
        [...stats.ackMsByKind].sort().map(([label, times]) => {
          const ordered = [...times].sort((a, b) => a - b);
          const p50 = percentile(ordered, 50).toFixed(1);
          return [`  ${label} (${times.length})`, `${p50} ms / ${percentile(ordered, 99).toFixed(1)} ms`];
        }),
      ),
      'answers other than 200': [...stats.notOk].map(([status, count]) => `${status}: ${count}`).join(', ') || 'none',
      'slowest answers': stats.slowest
        .map((slow) => `${slow.ms.toFixed(0)} ms ${slow.label} at ${slow.at.toFixed(1)} s (${slow.status})`)
        .join('; '),
      'driving / until drained': `${(drivenMs / 1000).toFixed(1)} s / ${(drainedMs / 1000).toFixed(1)} s`,
      'total time': `${((performance.now() - started) / 1000).toFixed(1)} s`,
    };

    const width = Math.max(...Object.keys(report).map((key) => key.length));
    const lines = [
      '',
      'anken soak: deal process under faults and crashes',
      '-'.repeat(width + 24),
      ...Object.entries(report).map(([key, value]) => `${key.padEnd(width)}  ${value}`),
      '-'.repeat(width + 24),
      ...losses.slice(0, 20).map((loss) => `LOSS ${loss}`),
      ...duplicates.slice(0, 20).map((duplicate) => `DUPLICATE ${duplicate}`),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);

    expect(duplicates, 'duplicates').toEqual([]);
    expect(losses, 'losses').toEqual([]);
    expect(report['effects delivered once']).toBe(report['effects expected (outbox rows)']);
    expect(stats.kills, 'the bot was killed and restarted midway').toBeGreaterThanOrEqual(2);
    expect(stats.failed, 'some requests died with the bot').toBeGreaterThan(0);
  });
});
