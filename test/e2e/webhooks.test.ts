/**
 * Outgoing webhooks: deal events handed to other systems (billing, production), signed, retried, in
 * order per deal, surviving restarts. A local receiver stands in for the other system.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/ids.js';
import type { DealEvent } from '../../src/workflow/types.js';
import {
  adviceValues,
  type ProgressInput,
  pressStaleButton,
  progressValues,
  type ReportInput,
  readable,
  reportValues,
  runCommand,
  submit,
  teamToday,
} from '../support/flows.js';
import { type Harness, LEADER, LEADER2, REP, SALES_CHANNEL, startHarness } from '../support/harness.js';

const SECRET = 'whsec-test-0123456789abcdef';
const FIVE_MINUTES = 300;

// ---- the receiving system ---------------------------------------------------------------------------

type Answer = { kind: 'status'; status: number; retryAfter?: number } | { kind: 'hang' };

const OK: Answer = { kind: 'status', status: 200 };

interface Received {
  rawBody: string;
  headers: IncomingHttpHeaders;
  /** The status answered, or 'hung' when the receiver never answered. */
  answered: number | 'hung';
  at: number;
}

/** A webhook receiver on 127.0.0.1 that records every request and answers as it is told. */
class Receiver {
  readonly requests: Received[] = [];
  private planned: Answer[] = [];
  private fallback: (event: DealEvent) => Answer = () => OK;
  private server: Server | null = null;
  private port = 0;
  private readonly hanging = new Set<ServerResponse>();

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/anken`;
  }

  /** Answers the next requests with these, in turn; then the fallback. */
  answerNext(...answers: Answer[]): void {
    this.planned.push(...answers);
  }

  /** How every request not planned is answered (200 unless told otherwise). */
  answerAll(choose: (event: DealEvent) => Answer): void {
    this.fallback = choose;
  }

  /** Events answered with 2xx, in the order they were accepted. */
  accepted(): DealEvent[] {
    return this.requests
      .filter((r) => typeof r.answered === 'number' && r.answered >= 200 && r.answered < 300)
      .map((r) => JSON.parse(r.rawBody) as DealEvent);
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const answer = this.planned.shift() ?? this.fallback(JSON.parse(rawBody) as DealEvent);
        const record: Received = { rawBody, headers: req.headers, answered: 'hung', at: Date.now() };
        this.requests.push(record);
        if (answer.kind === 'hang') {
          this.hanging.add(res);
          return;
        }
        record.answered = answer.status;
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(answer.retryAfter === undefined ? {} : { 'retry-after': String(answer.retryAfter) }),
        });
        res.end(JSON.stringify({ received: answer.status < 300 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening (connections are refused) but keeps the port for `up()`. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function startReceiver(): Promise<Receiver> {
  const receiver = new Receiver();
  await receiver.up();
  return receiver;
}

/**
 * What a receiver does with `X-Anken-Signature: t=<unix seconds>,v1=<hex>`: recompute the HMAC over
 * "<t>.<raw body>", compare in constant time, refuse stale timestamps.
 */
function verifySignature(secret: string, header: string | undefined, rawBody: string, nowSeconds: number): boolean {
  if (!header) return false;
  const fields = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(fields.get('t'));
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > FIVE_MINUTES) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  const given = Buffer.from(fields.get('v1') ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// ---- driving deals through Slack ---------------------------------------------------------------------

let h: Harness;
const receivers: Receiver[] = [];

/** Starts `count` receivers and the bot sending to all of them (retries start after 50 ms unless told). */
async function withReceivers(count: number, retryBaseMs?: number): Promise<Receiver[]> {
  const started = await Promise.all(Array.from({ length: count }, startReceiver));
  receivers.push(...started);
  h = await startHarness({
    env: { ANKEN_WEBHOOK_URLS: started.map((r) => r.url).join(','), ANKEN_WEBHOOK_SECRET: SECRET },
    ...(retryBaseMs === undefined ? {} : { retryBaseMs }),
  });
  return started;
}

afterEach(async () => {
  await h?.close();
  await Promise.all(receivers.splice(0).map((r) => r.down()));
});

async function reportDeal(input: ReportInput = {}): Promise<number> {
  const { view } = await runCommand(h, REP);
  if (!view) throw new Error('report modal did not open');
  const response = await submit(h, REP, view, reportValues(input, REP));
  const shown = readable((response.body as { view?: unknown }).view);
  const id = /案件 #(\d+)/.exec(shown)?.[1];
  if (!id) throw new Error(`the report was not accepted: ${shown}`);
  return Number(id);
}

async function advise(dealId: number, text: string): Promise<void> {
  const { view } = await pressStaleButton(h, LEADER, ACTION.openAdvice, String(dealId));
  if (!view) throw new Error('advice modal did not open');
  const response = await submit(h, LEADER, view, adviceValues(text));
  expect(response.body).toMatchObject({ response_action: 'update' });
}

async function recordProgress(dealId: number, input: ProgressInput): Promise<void> {
  const { view } = await pressStaleButton(h, REP, ACTION.openProgress, String(dealId));
  if (!view) throw new Error('progress modal did not open');
  const response = await submit(h, REP, view, progressValues(input, teamToday()));
  expect(response.body).toMatchObject({ response_action: 'update' });
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function eventsOf(events: DealEvent[], dealId: number): DealEvent[] {
  return events.filter((event) => event.deal.id === dealId);
}

function typesOf(events: DealEvent[]): string[] {
  return events.map((event) => event.type);
}

function parsed(request: Received): DealEvent {
  return JSON.parse(request.rawBody) as DealEvent;
}

/** Attempts still waiting to reach a receiver, as the outbox holds them. */
function pendingWebhookAttempts(): number[] {
  const rows = h.store.db
    .prepare(`SELECT attempts FROM outbox WHERE kind = 'send_webhook' AND state = 'pending' ORDER BY id`)
    .all() as Array<{ attempts: number }>;
  return rows.map((row) => row.attempts);
}

function channelText(cardTs: string): string {
  return [h.fake.message(SALES_CHANNEL, cardTs), ...h.fake.repliesTo(SALES_CHANNEL, cardTs)]
    .map((message) => readable(message))
    .join('\n');
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// ---- tests -------------------------------------------------------------------------------------------

describe('outgoing webhooks', () => {
  it('sends every deal event, signed, with the deal, the status change and the actor, to every target', async () => {
    const [billing, production] = await withReceivers(2);
    const startedAt = new Date().toISOString();

    const won = await reportDeal({
      customer: '株式会社サンプル',
      title: '基幹システム更改',
      industry: '製造業',
      companySize: '300〜999名',
      amount: '1,200万',
      expectedCloseDate: '2027-03-31',
      source: '展示会',
      contactName: '山田 部長',
      description: '老朽化した基幹システムの更改。',
    });
    await h.settle();
    await advise(won, 'まず情報システム部の課題を深掘りしよう。');
    await h.settle();
    await recordProgress(won, {
      status: 'negotiating',
      activityType: '見積提出',
      amount: '1100万',
      content: '見積書を提出。',
      nextAction: '回答の確認',
      nextActionDue: '2099-01-10',
    });
    await h.settle();
    await recordProgress(won, { status: 'won', amount: '1150万', content: '正式発注をいただきました。' });
    const lost = await reportDeal({ customer: '東和物産', title: '物流倉庫の自動化' });
    await recordProgress(lost, {
      status: 'lost',
      content: '他社に決まりました',
      lossReason: '価格',
      lossDetail: '競合が2割安かった',
    });
    await h.settle();
    const endedAt = new Date().toISOString();

    for (const receiver of [billing!, production!]) {
      // Every request is signed for the raw body it carries, and names its event in the headers.
      expect(receiver.requests).toHaveLength(6);
      for (const request of receiver.requests) {
        const event = parsed(request);
        expect(request.answered).toBe(200);
        expect(request.headers['content-type']).toBe('application/json');
        expect(request.headers['x-anken-event-id']).toBe(event.id);
        expect(request.headers['x-anken-event-type']).toBe(event.type);
        const signature = request.headers['x-anken-signature'] as string;
        expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
        const nowSeconds = Math.floor(request.at / 1_000);
        expect(verifySignature(SECRET, signature, request.rawBody, nowSeconds)).toBe(true);
        // The check is real: another secret, a changed body or a replay 6 minutes later all fail it.
        expect(verifySignature('another-secret-0123456789', signature, request.rawBody, nowSeconds)).toBe(false);
        expect(verifySignature(SECRET, signature, request.rawBody.replace('"deal.', '"deal.x'), nowSeconds)).toBe(
          false,
        );
        expect(verifySignature(SECRET, signature, request.rawBody, nowSeconds + 360)).toBe(false);
        expect(event.id).toMatch(uuid);
        expect(event.occurredAt).toMatch(isoInstant);
        expect(event.occurredAt >= startedAt && event.occurredAt <= endedAt).toBe(true);
      }
      const events = receiver.accepted();
      expect(typesOf(eventsOf(events, won))).toEqual(['deal.reported', 'deal.advised', 'deal.progressed', 'deal.won']);
      expect(typesOf(eventsOf(events, lost))).toEqual(['deal.reported', 'deal.lost']);
      expect(new Set(events.map((event) => event.id)).size).toBe(6);
    }

    // Both targets receive the very same events: same ids, same bytes.
    expect(production!.requests.map((r) => r.rawBody).sort()).toEqual(billing!.requests.map((r) => r.rawBody).sort());

    const [reported, advised, progressed, closedWon] = eventsOf(billing!.accepted(), won);
    expect(reported).toEqual({
      id: expect.stringMatching(uuid),
      type: 'deal.reported',
      occurredAt: expect.stringMatching(isoInstant),
      previousStatus: null,
      status: 'negotiating',
      actor: { slackUserId: REP },
      deal: {
        id: won,
        externalId: null,
        status: 'negotiating',
        customer: '株式会社サンプル',
        title: '基幹システム更改',
        industry: '製造業',
        companySize: '300〜999名',
        amount: 12_000_000,
        expectedCloseDate: '2027-03-31',
        source: '展示会',
        contactName: '山田 部長',
        description: '老朽化した基幹システムの更改。',
        ownerSlackUserId: REP,
        createdAt: reported!.occurredAt,
        reportedAt: reported!.occurredAt,
        closedAt: null,
      },
    });
    expect(advised).toMatchObject({
      type: 'deal.advised',
      previousStatus: 'negotiating',
      status: 'negotiating',
      actor: { slackUserId: LEADER },
      advice: { text: 'まず情報システム部の課題を深掘りしよう。' },
      deal: { id: won, customer: '株式会社サンプル', amount: 12_000_000 },
    });
    expect(progressed).toMatchObject({
      type: 'deal.progressed',
      previousStatus: 'negotiating',
      status: 'negotiating',
      actor: { slackUserId: REP },
      progress: {
        status: 'negotiating',
        activityType: '見積提出',
        activityDate: teamToday(),
        amount: 11_000_000,
        content: '見積書を提出。',
        nextAction: '回答の確認',
        nextActionDue: '2099-01-10',
        lossReason: null,
        lossDetail: null,
      },
    });
    expect(closedWon).toMatchObject({
      type: 'deal.won',
      previousStatus: 'negotiating',
      status: 'won',
      actor: { slackUserId: REP },
      deal: { id: won, status: 'won', closedAt: closedWon!.occurredAt, title: '基幹システム更改' },
      progress: { status: 'won', amount: 11_500_000, content: '正式発注をいただきました。' },
    });
    const events = eventsOf(billing!.accepted(), won);
    expect(events.map((e) => e.occurredAt)).toEqual(events.map((e) => e.occurredAt).sort());

    const closedLost = eventsOf(billing!.accepted(), lost).at(-1);
    expect(closedLost).toMatchObject({
      type: 'deal.lost',
      previousStatus: 'negotiating',
      status: 'lost',
      actor: { slackUserId: REP },
      deal: { id: lost, status: 'lost', customer: '東和物産', closedAt: closedLost!.occurredAt },
    });
    expect(closedLost).not.toHaveProperty('progress');
    // The loss is reported to the leaders only: no target receives its reason or its note.
    for (const receiver of [billing!, production!]) {
      expect(receiver.requests.map((r) => r.rawBody).join('\n')).not.toContain('競合が2割安かった');
      expect(receiver.requests.map((r) => r.rawBody).join('\n')).not.toContain('他社に決まりました');
    }
  });

  it('retries a receiver that answers 500 and 503, backing off from about 1 s and honouring Retry-After', async () => {
    // The production retry base (1 s), not the harness's short one.
    const [receiver] = await withReceivers(1, 1_000);
    receiver!.answerNext(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503, retryAfter: 1 },
    );

    const dealId = await reportDeal();
    await h.settle();

    const attempts = receiver!.requests;
    expect(attempts.map((r) => r.answered)).toEqual([500, 500, 503, 200]);
    // The same event every time (one id, the same bytes), each attempt freshly signed.
    const ids = new Set(attempts.map((r) => r.headers['x-anken-event-id']));
    expect(ids.size).toBe(1);
    expect(new Set(attempts.map((r) => r.rawBody)).size).toBe(1);
    for (const attempt of attempts) {
      const signature = attempt.headers['x-anken-signature'] as string;
      expect(verifySignature(SECRET, signature, attempt.rawBody, Math.floor(attempt.at / 1_000))).toBe(true);
    }
    const gaps = attempts.slice(1).map((attempt, index) => attempt.at - attempts[index]!.at);
    // Backoff: about 1 s (±25 %), then about 2 s; after the 503, Retry-After: 1 instead of about 4 s.
    expect(gaps[0]).toBeGreaterThanOrEqual(700);
    expect(gaps[0]).toBeLessThan(1_700);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_450);
    expect(gaps[1]).toBeLessThan(3_000);
    expect(gaps[2]).toBeGreaterThanOrEqual(950);
    expect(gaps[2]).toBeLessThan(2_500);
    expect(typesOf(receiver!.accepted())).toEqual(['deal.reported']);

    // Delivered once: the next event of the deal follows, and the first is not sent again.
    await advise(dealId, '決裁者に早めに会いましょう');
    await h.settle();
    expect(typesOf(receiver!.accepted())).toEqual(['deal.reported', 'deal.advised']);
    expect(receiver!.requests).toHaveLength(5);
  });

  it('keeps each deal in order across retries, without holding back Slack or the other deals', async () => {
    const [receiver] = await withReceivers(1);
    // The receiver fails every event of deal #1 (the first deal of a fresh database) until told otherwise.
    let firstDealDown = true;
    receiver!.answerAll((event) =>
      firstDealDown && event.deal.id === 1 ? { kind: 'status', status: 500 } : { kind: 'status', status: 200 },
    );

    const first = await reportDeal({ customer: '株式会社サンプル' });
    await advise(first, '決裁者に早めに会いましょう');
    await recordProgress(first, { status: 'negotiating', content: '見積書を提出。' });
    await recordProgress(first, { status: 'won', amount: '1150万', content: '正式発注をいただきました。' });
    const second = await reportDeal({ customer: '東和物産' });

    // The deal's Slack messages all go out while its webhooks keep failing.
    await waitFor('the 受注 announcement', () => {
      const deal = h.store.queries.getDeal(first);
      return !!deal?.cardTs && channelText(deal.cardTs).includes('受注しました');
    });
    const cardTs = h.store.queries.getDeal(first)!.cardTs!;
    expect(channelText(cardTs)).toContain('決裁者に早めに会いましょう');
    expect(channelText(cardTs)).toContain('見積書を提出');
    // The other deal's event is not held back by the first deal's failures.
    await waitFor('the second deal', () => typesOf(eventsOf(receiver!.accepted(), second)).length === 1);
    await waitFor('a retry', () => receiver!.requests.filter((r) => parsed(r).deal.id === first).length >= 2);
    expect(eventsOf(receiver!.accepted(), first)).toEqual([]);
    // Only the oldest event of the deal is tried while it fails: nothing overtakes it.
    const tried = receiver!.requests.map(parsed).filter((event) => event.deal.id === first);
    expect(new Set(typesOf(tried))).toEqual(new Set(['deal.reported']));

    firstDealDown = false;
    await h.settle();

    const delivered = eventsOf(receiver!.accepted(), first);
    expect(typesOf(delivered)).toEqual(['deal.reported', 'deal.advised', 'deal.progressed', 'deal.won']);
    expect(new Set(delivered.map((event) => event.id)).size).toBe(4);
    // Over every attempt, no event of the deal was tried before the one before it was accepted.
    const order = ['deal.reported', 'deal.advised', 'deal.progressed', 'deal.won'];
    const triedOrder = receiver!.requests
      .map(parsed)
      .filter((event) => event.deal.id === first)
      .map((event) => order.indexOf(event.type));
    expect(triedOrder).toEqual([...triedOrder].sort((a, b) => a - b));
  });

  it('delivers to a receiver that was down, after a restart, once it is back', async () => {
    const [receiver] = await withReceivers(1);
    await receiver!.down();

    const dealId = await reportDeal();
    await advise(dealId, '決裁者に早めに会いましょう');

    // Slack hears of the deal at once; the webhooks wait and keep being retried.
    await waitFor('the advice in the thread', () => {
      const deal = h.store.queries.getDeal(dealId);
      return !!deal?.cardTs && channelText(deal.cardTs).includes('決裁者に早めに会いましょう');
    });
    for (const leader of [LEADER, LEADER2]) {
      await waitFor(`${leader}'s advice request`, () => h.fake.dmMessagesTo(leader).length > 0);
    }
    await waitFor('a retry of the webhook', () => (pendingWebhookAttempts()[0] ?? 0) >= 2);
    expect(pendingWebhookAttempts()).toHaveLength(2);

    const postsBefore = h.fake.okCallsTo('chat.postMessage').length;
    await h.restart();
    // Still queued after the restart, and still failing while the receiver is down.
    const attemptsAtRestart = pendingWebhookAttempts()[0]!;
    await waitFor('a retry after the restart', () => (pendingWebhookAttempts()[0] ?? 0) > attemptsAtRestart);
    expect(pendingWebhookAttempts()).toHaveLength(2);

    await receiver!.up();
    await h.settle();

    expect(typesOf(receiver!.accepted())).toEqual(['deal.reported', 'deal.advised']);
    expect(receiver!.requests).toHaveLength(2);
    for (const request of receiver!.requests) {
      const signature = request.headers['x-anken-signature'] as string;
      expect(verifySignature(SECRET, signature, request.rawBody, Math.floor(request.at / 1_000))).toBe(true);
    }
    expect(pendingWebhookAttempts()).toEqual([]);
    // The restart posted nothing twice in Slack.
    expect(h.fake.okCallsTo('chat.postMessage')).toHaveLength(postsBefore);
  });

  it('gives up at once on a 410 and tells the admins by DM and on their App Home', async () => {
    const [receiver] = await withReceivers(1);
    receiver!.answerNext({ kind: 'status', status: 410 });

    const dealId = await reportDeal({ customer: '株式会社サンプル', title: '基幹システム更改' });
    await h.settle();

    // Tried once, not again.
    expect(receiver!.requests.map((r) => r.answered)).toEqual([410]);
    expect(typesOf(receiver!.requests.map(parsed))).toEqual(['deal.reported']);

    // Admins default to the leaders: each gets a DM and sees it on the App Home.
    for (const admin of [LEADER, LEADER2]) {
      const notice = h.fake.dmMessagesTo(admin).find((m) => readable(m).includes('通知を配信できませんでした'));
      expect(notice, `${admin} should be told`).toBeDefined();
      const text = readable(notice);
      expect(text).toContain('外部システムへの連携 (Webhook)');
      expect(text).toContain(receiver!.url);
      expect(text).toContain('webhook_http_410');
      expect(text).toContain('株式会社サンプル');
      const home = readable(h.fake.homeOf(admin));
      expect(home).toContain('配信できなかった通知');
      expect(home).toContain('webhook_http_410');
    }
    // The rep is not an admin: no notice.
    expect(h.fake.dmMessagesTo(REP).some((m) => readable(m).includes('通知を配信できませんでした'))).toBe(false);
    expect(readable(h.fake.homeOf(REP))).not.toContain('配信できなかった通知');

    // The deal goes on: Slack had its card, and the next event reaches the receiver.
    expect(h.store.queries.getDeal(dealId)?.cardTs).toBeTruthy();
    await advise(dealId, '決裁者に早めに会いましょう');
    await h.settle();
    expect(receiver!.requests.map((r) => [parsed(r).type, r.answered])).toEqual([
      ['deal.reported', 410],
      ['deal.advised', 200],
    ]);
  });

  it('times out a receiver that hangs and sends the same event again', async () => {
    const [receiver] = await withReceivers(1);
    receiver!.answerNext({ kind: 'hang' });

    await reportDeal();
    await h.settle();

    const [hung, retried] = receiver!.requests;
    expect(receiver!.requests).toHaveLength(2);
    expect(hung!.answered).toBe('hung');
    expect(retried!.answered).toBe(200);
    // Given up after the 10 s timeout (counted from the send, a little before the receiver saw it), then
    // retried after the (short, in tests) backoff.
    expect(retried!.at - hung!.at).toBeGreaterThanOrEqual(9_500);
    expect(retried!.at - hung!.at).toBeLessThan(12_000);
    // The same event id: a receiver that did process the hung request drops the repeat.
    expect(retried!.headers['x-anken-event-id']).toBe(hung!.headers['x-anken-event-id']);
    expect(retried!.rawBody).toBe(hung!.rawBody);
  }, 30_000);
});
