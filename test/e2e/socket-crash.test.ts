/**
 * Commit before ack in Socket Mode: the built bot (`node dist/main.js`, Socket Mode) is killed with
 * SIGKILL the moment its ack of a thread reply's envelope reaches Slack. Started again on the same
 * database, the reply is on the deal's timeline: the envelope was answered only after the commit.
 * (Bolt's own receiver answers events_api envelopes before the listeners run.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBotDatabase } from '../support/bot-database.js';
import { type Bot, type BotRunner, buildBotInto, createBotRunner, outboxDrained } from '../support/bot-process.js';
import { pollUntil } from '../support/driving.js';
import { threadReplyEvent } from '../support/fake-requests.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { attachSocketMode, type FakeSocketMode, socketTransport } from '../support/fake-socket-mode.js';
import { reportValues } from '../support/flows.js';
import { LEADER, MEMBER, REP, SALES_CHANNEL as SALES } from '../support/harness.js';
import { createSlackSender, type SlackSender } from '../support/slack-requests.js';

let fake: FakeSlack;
let socket: FakeSocketMode;
let dir: string;
let bots: BotRunner;
let sender: SlackSender;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'anken-socket-crash-'));
  const entry = buildBotInto(dir);
  fake = await startFakeSlack();
  fake.addChannel(SALES, { isMember: true, name: '営業-案件' });
  for (const id of [REP, LEADER, MEMBER]) fake.addUser({ id });
  socket = await attachSocketMode(fake);
  bots = createBotRunner({
    fake,
    entry,
    dir,
    signingSecret: 'unused-in-socket-mode',
    appToken: fake.appToken,
    salesChannel: SALES,
    leaders: [LEADER],
    startAttempts: 300,
  });
  sender = createSlackSender({
    baseUrl: '',
    signingSecret: '',
    teamId: fake.teamId,
    botUserId: fake.botUserId,
    botId: fake.botId,
    responseUrlBase: fake.responseUrlBase,
    transport: socketTransport(socket, async () => undefined),
  });
}, 120_000);

afterAll(async () => {
  bots?.killAll();
  await socket?.close();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const waitFor = <T>(what: string, probe: () => T | undefined | null | false) =>
  pollUntil(what, probe, { timeoutMs: 10_000, intervalMs: 20 });

/** Starts a bot and waits until its Socket Mode connection has said hello. */
async function startConnected(): Promise<Bot> {
  const before = socket.connections.length;
  const bot = await bots.start();
  await socket.waitForConnections(before + 1);
  return bot;
}

async function reportDeal(bot: Bot) {
  const opened = fake.okCallsTo('views.open').length;
  await sender.slashCommand({ command: '/anken', userId: REP, triggerId: fake.issueTriggerId({ userId: REP }) });
  const call = await waitFor('the report modal', () => fake.okCallsTo('views.open')[opened]);
  const view = fake.viewById((call.response as unknown as { view: { id: string } }).view.id)!;
  await sender.viewSubmission({ userId: REP, view: { ...view, state: { values: reportValues({}, REP) } } });
  await waitFor('the card and its tasks', () => outboxDrained(bot.port));
  return fake.messagesIn(SALES)[0]!;
}

it('a thread reply acked the moment the bot is killed is on the timeline after the restart', async () => {
  const first = await startConnected();
  const card = await reportDeal(first);
  const reply = fake.addUserMessage(SALES, { user: MEMBER, text: '先方の決裁は来週です', threadTs: card.ts });

  const disarm = socket.onAck(() => first.child.kill('SIGKILL'));
  const answered = await sender.event({ event: threadReplyEvent(reply), eventId: 'Ev0KILLEDATACK' });
  disarm();
  expect(answered.status).toBe(200);
  expect(await first.exited).toBeNull();

  const second = await startConnected();
  const comments = readBotDatabase(bots.dbPath).timeline.filter((entry) => entry.kind === 'comment');
  expect(comments.map((entry) => JSON.parse(entry.data) as { text?: string })).toMatchObject([
    { text: '先方の決裁は来週です' },
  ]);
  expect(await second.stop()).toBe(0);
}, 60_000);
