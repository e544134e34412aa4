/**
 * How fast Slack hears back from anken under a burst, against a plain Bolt app that only acks, measured
 * side by side in one run: bursts of BURST requests sent at once, each on a fresh connection as Slack
 * sends them, of three kinds: `/案件`, a tap on 進捗を記録 (opens a modal) and a reply in a deal thread
 * (kept on the timeline, committed before the answer). Rounds alternate which app goes first.
 *
 * Processes: this driver (the fake Slack Web API), the built bot (run as `npm start` runs it, HTTP mode), the
 * plain Bolt app, and a load generator that sends the bursts and times the answers, so that its clock is
 * not held up by the fake serving the bot. Slack's servers run elsewhere in production, so once the apps
 * are up the driver (the fake) runs at a lower priority than the apps and the load generator. Between bursts the bot is left to finish (modals opened,
 * outbox drained). At the end it reads the bot's resident memory (RSS) from /proc.
 *
 * Run with `npm run bench:ack` (builds first). Prints a table; fails when a p99 is over RATIO_LIMIT×
 * Bolt's, the RSS is over RSS_LIMIT_MIB, a request is not answered 200 or a modal does not open.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/ids.js';
import {
  type Bot,
  type BotRunner,
  buildBotInto,
  createBotRunner,
  freePort,
  outboxDrained,
  PROJECT_ROOT,
  startOptions,
} from '../../test/support/bot-process.js';
import { pollUntil } from '../../test/support/driving.js';
import { readFake } from '../../test/support/fake-reading.js';
import { buttonTap, threadReplyEvent } from '../../test/support/fake-requests.js';
import { type FakeMessage, type FakeSlack, startFakeSlack } from '../../test/support/fake-slack.js';
import { reportValues } from '../../test/support/flows.js';
import { createSlackSender, type SlackSender } from '../../test/support/slack-requests.js';
import type { BurstResult, PreparedRequest } from './fire-burst.js';

const BURST = Number(process.env.ACK_BURST ?? 200);
const ROUNDS = Number(process.env.ACK_ROUNDS ?? 3);
const RATIO_LIMIT = 1.5;
const RSS_LIMIT_MIB = 200;
const DEALS = 10;
/** Niceness of this process (the fake Slack) once the apps run; see beforeAll. */
const SLACK_SIDE_NICENESS = 10;

const SECRET = 'ack-bench-signing-secret';
const SALES = 'C0SALES';
const REPS = Array.from({ length: DEALS }, (_, i) => `U0REP${String(i).padStart(2, '0')}`);
const MEMBERS = Array.from({ length: 20 }, (_, i) => `U0MEMB${String(i).padStart(2, '0')}`);
const LEADERS = ['U0LEAD1', 'U0LEAD2'];

type Kind = '/案件' | '進捗を記録 tap' | 'thread reply';
const KINDS: Kind[] = ['/案件', '進捗を記録 tap', 'thread reply'];
type Target = 'bolt' | 'anken';

let dir: string;
let fake: FakeSlack;
let bots: BotRunner;
let bot: Bot;
let bolt: ChildProcess;
let boltUrl: string;
let firer: ChildProcess;
/** The deal cards the taps and replies go to, each with its rep. */
let cards: { card: FakeMessage; owner: string }[];

/** Compiles the two helper processes next to the built bot (which has the package.json and node_modules). */
function compileHelpers(buildDir: string): { bolt: string; fire: string } {
  const out = join(buildDir, 'bench-ack');
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const sources = ['bolt-ack-only.ts', 'fire-burst.ts'].map((file) => join(PROJECT_ROOT, 'bench', 'ack', file));
  const options = ['--outDir', out, '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext'];
  execFileSync(process.execPath, [tsc, ...sources, ...options, '--skipLibCheck', '--types', 'node'], {
    cwd: PROJECT_ROOT,
    stdio: 'pipe',
  });
  return { bolt: join(out, 'bolt-ack-only.js'), fire: join(out, 'fire-burst.js') };
}

function startBolt(script: string, port: number): Promise<ChildProcess> {
  const child = fork(script, [], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-x' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the plain Bolt app exited (${code})`)));
  });
}

/** A sender that only prepares signed requests (for the load generator to send); its answers are empty. */
function preparing(baseUrl: string): { sender: SlackSender; take(): PreparedRequest[] } {
  let prepared: PreparedRequest[] = [];
  const capture: typeof fetch = async (input, init) => {
    prepared.push({ url: String(input), headers: init?.headers as Record<string, string>, body: String(init?.body) });
    return new Response(null, { status: 200 });
  };
  const sender = createSlackSender({
    baseUrl,
    signingSecret: SECRET,
    teamId: fake.teamId,
    botUserId: fake.botUserId,
    botId: fake.botId,
    responseUrlBase: fake.responseUrlBase,
    fetch: capture,
  });
  return {
    sender,
    take() {
      const taken = prepared;
      prepared = [];
      return taken;
    },
  };
}

function fire(burst: PreparedRequest[]): Promise<BurstResult> {
  return new Promise((resolve) => {
    firer.once('message', (result) => resolve(result as BurstResult));
    firer.send(burst);
  });
}

/** The burst of one kind for one app; returns the trigger_ids of the modals it should open. */
async function prepareBurst(sender: SlackSender, kind: Kind, size: number, round: string): Promise<string[]> {
  const triggers: string[] = [];
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < size; i += 1) {
    const { card, owner } = cards[i % cards.length]!;
    if (kind === 'thread reply') {
      const member = MEMBERS[i % MEMBERS.length]!;
      const reply = fake.addUserMessage(SALES, { user: member, text: `${round} の確認 ${i}`, threadTs: card.ts });
      sends.push(sender.event({ event: threadReplyEvent(reply) }));
      continue;
    }
    const trigger = fake.issueTriggerId({ userId: owner });
    triggers.push(trigger);
    sends.push(
      kind === '/案件'
        ? sender.slashCommand({ command: '/案件', userId: owner, triggerId: trigger })
        : sender.blockAction(buttonTap(card, ACTION.openProgress, owner, trigger)),
    );
  }
  await Promise.all(sends);
  return triggers;
}

function residentMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** CPU time (user + system, all threads) the process has used so far, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticksToMs = 10;
  return (Number(fields[11]) + Number(fields[12])) * ticksToMs;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Reports deals through the bot (command, modal, submission) until each rep has a card with its buttons. */
async function reportDeals(): Promise<{ card: FakeMessage; owner: string }[]> {
  const seen = readFake(fake, { channel: SALES, people: REPS });
  for (const rep of REPS) {
    const trigger = fake.issueTriggerId({ userId: rep });
    await bot.sender.slashCommand({ command: '/案件', userId: rep, triggerId: trigger });
    const view = await seen.modalOpened(trigger);
    if (!view) throw new Error(`ack bench: no report modal for ${rep}`);
    await bot.sender.viewSubmission({ userId: rep, view: { ...view, state: { values: reportValues({}, rep) } } });
  }
  await settle(bot);
  // Deal n was reported by the n-th rep.
  return REPS.map((owner, i) => {
    const card = seen.cardOf(i + 1);
    if (!card) throw new Error(`ack bench: no card for deal #${i + 1}`);
    return { card, owner };
  });
}

/** Waits until the bot has opened the modals of a burst and delivered its outbox; counts them. */
async function settle(
  current: Bot,
  triggers: readonly string[] = [],
  lastAnsweredAt = Number.POSITIVE_INFINITY,
): Promise<{ opened: number; beforeLastAnswer: number }> {
  const wanted = new Set(triggers);
  const calls = () => fake.okCallsTo('views.open').filter((call) => wanted.has(String(call.args.trigger_id)));
  const opened = () => calls().length;
  await pollUntil('the modals of the burst', () => opened() >= triggers.length, {
    timeoutMs: 6_000,
    intervalMs: 50,
  }).catch(() => undefined);
  await pollUntil('the outbox to drain', () => outboxDrained(current.port), { timeoutMs: 60_000, intervalMs: 100 });
  return { opened: opened(), beforeLastAnswer: calls().filter((call) => call.at < lastAnsweredAt).length };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'anken-ack-'));
  const entry = buildBotInto(dir);
  const helpers = compileHelpers(join(dir, 'build'));
  fake = await startFakeSlack();
  fake.addChannel(SALES, { isMember: true, name: '営業-案件' });
  for (const id of [...REPS, ...MEMBERS, ...LEADERS]) fake.addUser({ id });
  bots = createBotRunner({
    fake,
    entry,
    dir,
    signingSecret: SECRET,
    salesChannel: SALES,
    leaders: LEADERS,
    startAttempts: 400,
    errorPrefix: 'ack bench: ',
    keepOutput: 4_000,
  });
  bot = await bots.start();
  const boltPort = await freePort();
  bolt = await startBolt(helpers.bolt, boltPort);
  boltUrl = `http://127.0.0.1:${boltPort}`;
  firer = fork(helpers.fire, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  cards = await reportDeals();
  // This process plays Slack's servers, which in production run elsewhere: on these shared cores it gives
  // way to the two apps and the load generator, so that serving views.open does not slow the bot's answers.
  setPriority(SLACK_SIDE_NICENESS);
}, 180_000);

afterAll(async () => {
  bots?.killAll();
  bolt?.kill('SIGKILL');
  firer?.kill('SIGKILL');
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ack under a burst', () => {
  it(`answers ${BURST} requests at once within ${RATIO_LIMIT}× of a plain Bolt app's p99`, async () => {
    const requests = {
      anken: preparing(`http://127.0.0.1:${bot.port}`),
      bolt: preparing(boltUrl),
    };
    const latencies = new Map<string, number[]>();
    /** CPU each app used from the start of a burst until its last answer came back. */
    const cpu = new Map<string, number>();
    const statuses = new Map<number, number>();
    let modalsWanted = 0;
    let modalsOpened = 0;
    let modalsBeforeLastAnswer = 0;

    async function burst(target: Target, kind: Kind, size: number, round: string): Promise<void> {
      const { sender, take } = requests[target];
      const triggers = await prepareBurst(sender, kind, size, round);
      const pid = (target === 'anken' ? bot.child.pid : bolt.pid) as number;
      const cpuBefore = cpuMs(pid);
      const result = await fire(take());
      if (round !== 'warm-up') {
        const key = `${target} ${kind}`;
        cpu.set(key, (cpu.get(key) ?? 0) + cpuMs(pid) - cpuBefore);
        latencies.set(key, [...(latencies.get(key) ?? []), ...result.latencies]);
        for (const status of result.statuses) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      if (target === 'anken') {
        const { opened, beforeLastAnswer } = await settle(bot, triggers, result.lastAnsweredAt);
        if (round !== 'warm-up') {
          modalsWanted += triggers.length;
          modalsOpened += opened;
          modalsBeforeLastAnswer += beforeLastAnswer;
        }
      }
    }

    const before = residentMiB(bot.child.pid!);
    for (const kind of KINDS) {
      await burst('bolt', kind, 50, 'warm-up');
      await burst('anken', kind, 50, 'warm-up');
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      const order: Target[] = round % 2 === 0 ? ['bolt', 'anken'] : ['anken', 'bolt'];
      for (const kind of KINDS) for (const target of order) await burst(target, kind, BURST, `round ${round}`);
    }
    const memory = residentMiB(bot.child.pid as number);
    const boltMemory = residentMiB(bolt.pid!);

    const rows = KINDS.map((kind) => {
      const plain = latencies.get(`bolt ${kind}`) ?? [];
      const ours = latencies.get(`anken ${kind}`) ?? [];
      const perRequest = (target: Target) => (cpu.get(`${target} ${kind}`) ?? 0) / (ROUNDS * BURST);
      return {
        kind,
        plain,
        ours,
        ratio: percentile(ours, 99) / percentile(plain, 99),
        cpu: `${perRequest('bolt').toFixed(2)} / ${perRequest('anken').toFixed(2)}`,
      };
    });
    const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(10);
    const lines = [
      `ack bench: ${ROUNDS} rounds of ${BURST} requests at once per kind and app, fresh connection each`,
      `${'kind'.padEnd(16)}${'Bolt p50'.padStart(10)}${'Bolt p99'.padStart(10)}${'anken p50'.padStart(11)}${'anken p99'.padStart(11)}  p99 ratio  CPU ms per request (Bolt / anken)`,
      ...rows.map(
        ({ kind, plain, ours, ratio, cpu }) =>
          `${kind.padEnd(16)}${ms(percentile(plain, 50))}${ms(percentile(plain, 99))} ${ms(percentile(ours, 50))} ${ms(percentile(ours, 99))}  ${`${ratio.toFixed(2)}×`.padEnd(10)}${cpu}`,
      ),
      `modals opened after the answer: ${modalsOpened} / ${modalsWanted} (${modalsBeforeLastAnswer} of them before the burst's last answer)`,
      `answers by status: ${[...statuses].map(([status, n]) => `${status}: ${n}`).join(', ')}`,
      `anken RSS before the bursts: ${before.rss.toFixed(1)} MiB; after: ${memory.rss.toFixed(1)} MiB (peak ${memory.peak.toFixed(1)} MiB); plain Bolt after: ${boltMemory.rss.toFixed(1)} MiB`,
      `anken runs with the Node options of npm start: ${startOptions().join(' ') || '(none)'}; plain Bolt with Node's defaults`,
    ];
    process.stdout.write(`\n${lines.join('\n')}\n\n`);

    expect([...statuses.keys()]).toEqual([200]);
    expect(modalsOpened).toBe(modalsWanted);
    for (const row of rows)
      expect(row.ratio, `${row.kind}: anken's p99 against Bolt's`).toBeLessThanOrEqual(RATIO_LIMIT);
    expect(memory.rss).toBeLessThanOrEqual(RSS_LIMIT_MIB);
  });
});
