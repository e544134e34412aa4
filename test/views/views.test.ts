import { readdirSync, readFileSync } from 'node:fs';
import type { ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { ACTION, ADVICE_BLOCK, inputActionId, PROGRESS_BLOCK, REPORT_BLOCK } from '../../src/ids.js';
import { buildDeliveryFailureNotice } from '../../src/views/admin-notices.js';
import { buildAdviceModal } from '../../src/views/advice-modal.js';
import { buildDealCard, type MessageContent } from '../../src/views/deal-card.js';
import { buildDetailsModal } from '../../src/views/details-modal.js';
import { buildHome, HOME_LIST_LIMIT, type HomeData } from '../../src/views/home.js';
import { buildDoneModal, buildNoticeModal } from '../../src/views/notice.js';
import { buildProgressModal } from '../../src/views/progress-modal.js';
import { buildReportModal } from '../../src/views/report-modal.js';
import {
  buildSnoozedReply,
  buildSnoozeEndedMessage,
  buildSnoozeLiftedReply,
  buildSnoozeModal,
} from '../../src/views/snooze.js';
import {
  buildAdviceRequest,
  buildLossReport,
  buildProgressTask,
  buildReminder,
  buildReportTask,
} from '../../src/views/task-messages.js';
import { escapeMrkdwn, quote, truncate, userText } from '../../src/views/text.js';
import {
  buildAdviceReply,
  buildClosedNotice,
  buildProgressReply,
  buildWinAnnouncement,
} from '../../src/views/thread-replies.js';
import { LIMITS } from '../../src/workflow/catalog.js';
import { DEFAULT_OPTION_LISTS } from '../../src/workflow/options.js';
import {
  type FailedOutboxItem,
  type PipelineSummary,
  type RecentTimeline,
  type TaskWithDeal,
  TIMELINE_ITEM_KINDS,
} from '../../src/workflow/read-models.js';
import type { Deal, ProgressEntry, Task, TimelineData, TimelineEntry } from '../../src/workflow/types.js';
import { validateBlocks, validateView } from '../support/block-kit-rules.js';
import { sampleDeal } from '../support/samples.js';

const REP = 'U0REP01';
const LEADER = 'U0LEAD1';
const MEMBER = 'U0MEMB1';
const TZ = 'Asia/Tokyo';
const TODAY = '2026-11-27';
const MAX_AMOUNT = 999_999_999_999;

// ---------------------------------------------------------------------------------------------
// Text that pushes every limit: Japanese, surrogate pairs (𠮷), emoji sequences, and the
// characters that grow when escaped (& → &amp;).

/** `unit` repeated and cut to exactly `length` code points. */
function fill(unit: string, length: number): string {
  const chars = [...unit];
  return Array.from({ length }, (_, i) => chars[i % chars.length]).join('');
}

const JP = '株式会社𠮷野家ホールディングス🍣👍🏽「見積&提案」<次期>基幹システム更改、';
/** Long text with nothing to escape. */
const PLAIN_JP = '株式会社𠮷野家ホールディングス🍣👍🏽「見積提案」次期基幹システム更改、\n';
const JP_LINES = '・𠮷野家&<競合>\n';
/** A bulleted list of very short lines: what block quotes make longest. */
const SHORT_LINES = '𠮷\n';
const long = (length: number) => fill(JP, length);

const HOSTILE = '<!channel> <@U999> <https://evil.example|押して> & co';
const RAW_MARKUP = ['<!channel>', '<@U999>', '<https://'];

const LOSS_REASON = '競合に敗退';
const LOSS_DETAIL = 'ライバル社ZZSECRETの大幅値引き';

function deal(overrides: Partial<Deal> = {}): Deal {
  return sampleDeal({
    description: '老朽化した基幹システムの更改。競合は2社。',
    ownerId: REP,
    reporterId: REP,
    ...overrides,
  });
}

/** Every text field far beyond the form maximums. */
function longDeal(overrides: Partial<Deal> = {}): Deal {
  return deal({
    id: 987_654_321,
    customer: long(3_000),
    title: long(3_000),
    industry: long(500),
    companySize: long(500),
    amount: MAX_AMOUNT,
    source: long(500),
    contactName: long(3_000),
    description: fill(JP_LINES, 10_000),
    externalId: long(300),
    ...overrides,
  });
}

/** Every text field exactly at the form maximums. */
function formMaxDeal(overrides: Partial<Deal> = {}): Deal {
  return deal({
    customer: long(LIMITS.shortText),
    title: long(LIMITS.shortText),
    contactName: long(LIMITS.shortText),
    description: fill(JP_LINES, LIMITS.longText),
    amount: MAX_AMOUNT,
    ...overrides,
  });
}

/** Only the required fields, amount 0. */
function bareDeal(overrides: Partial<Deal> = {}): Deal {
  return deal({
    industry: null,
    companySize: null,
    amount: 0,
    expectedCloseDate: null,
    source: null,
    contactName: null,
    description: null,
    ...overrides,
  });
}

function progress(overrides: Partial<ProgressEntry> = {}): ProgressEntry {
  return {
    status: 'negotiating',
    activityType: '往訪',
    activityDate: '2026-11-26',
    amount: 10_000_000,
    content: '部長と面談。来月に見積もりを提出する。',
    nextAction: '見積書の提出',
    nextActionDue: '2026-12-04',
    lossReason: null,
    lossDetail: null,
    ...overrides,
  };
}

function longProgress(overrides: Partial<ProgressEntry> = {}): ProgressEntry {
  return progress({
    activityType: long(500),
    amount: MAX_AMOUNT,
    content: fill(JP_LINES, 40_000),
    nextAction: long(3_000),
    lossReason: long(500),
    lossDetail: long(10_000),
    ...overrides,
  });
}

function lossEntry(overrides: Partial<ProgressEntry> = {}): ProgressEntry {
  return progress({
    status: 'lost',
    activityType: 'メール',
    amount: null,
    content: '先方から見送りの連絡。',
    nextAction: null,
    nextActionDue: null,
    lossReason: LOSS_REASON,
    lossDetail: LOSS_DETAIL,
    ...overrides,
  });
}

function task(overrides: Partial<Task> = {}): Task {
  return {
    id: 7,
    dealId: 42,
    kind: 'advice',
    assigneeId: null,
    state: 'open',
    dueOn: '2026-11-29',
    createdAt: '2026-11-27T01:00:00.000Z',
    completedBy: null,
    completedAt: null,
    ...overrides,
  };
}

function failure(overrides: Partial<FailedOutboxItem> = {}): FailedOutboxItem {
  return {
    id: 99,
    effect: { kind: 'publish_home', userId: REP },
    attempts: 150,
    createdAt: '2026-11-26T00:00:00.000Z',
    lastError: 'not_in_channel',
    finishedAt: '2026-11-27T00:00:00.000Z',
    ...overrides,
  };
}

let nextEntryId = 1;
/** A whole timeline, as 詳細 is given one that fits. */
function whole(entries: TimelineEntry[]): RecentTimeline {
  const items = new Set<string>(TIMELINE_ITEM_KINDS);
  return { entries, itemCount: entries.filter((e) => items.has(e.kind)).length };
}

function entry(data: TimelineData, authorId = REP, at = '2026-11-27T03:04:00.000Z'): TimelineEntry {
  nextEntryId += 1;
  return { ...data, id: nextEntryId, dealId: 42, authorId, at } as TimelineEntry;
}

const pipeline: PipelineSummary = {
  negotiating: 3,
  negotiatingAmount: MAX_AMOUNT,
  wonThisMonth: 1,
  wonAmountThisMonth: 0,
  lostThisMonth: 2,
};

// ---------------------------------------------------------------------------------------------
// Reading what Slack would show.

type Json = Record<string, unknown>;

/** Every text object ({type, text}) in a tree of blocks. */
function textObjects(node: unknown): { type: string; text: string }[] {
  const found: { type: string; text: string }[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const record = value as Json;
      if ((record.type === 'mrkdwn' || record.type === 'plain_text') && typeof record.text === 'string') {
        found.push({ type: record.type, text: record.text });
      }
      Object.values(record).forEach(walk);
    }
  };
  walk(node);
  return found;
}

/** What Slack parses as mrkdwn: the message's `text` and every mrkdwn text object. */
function mrkdwnTexts(content: { text?: string; blocks: unknown }): string[] {
  return [
    ...(content.text === undefined ? [] : [content.text]),
    ...textObjects(content.blocks)
      .filter((object) => object.type === 'mrkdwn')
      .map((object) => object.text),
  ];
}

/** All the text a person can read, joined (mrkdwn and plain). */
function readable(content: { text?: string; blocks: unknown }): string {
  return [content.text ?? '', ...textObjects(content.blocks).map((object) => object.text)].join('\n');
}

function allStrings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(allStrings);
  if (node && typeof node === 'object') return Object.values(node).flatMap(allStrings);
  return [];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function actionIds(blocks: unknown): string[] {
  return allStringsWithKey(blocks, 'action_id');
}

function allStringsWithKey(node: unknown, key: string): string[] {
  if (Array.isArray(node)) return node.flatMap((item) => allStringsWithKey(item, key));
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) =>
      k === key && typeof v === 'string' ? [v] : allStringsWithKey(v, key),
    );
  }
  return [];
}

const chars = (text: string) => [...text].length;

function expectValidMessage(content: MessageContent): void {
  expect(validateBlocks(content.blocks, 'message')).toEqual([]);
  expect(content.text.length).toBeGreaterThan(0);
  expect(chars(content.text)).toBeLessThanOrEqual(40_000);
  for (const text of allStrings(content)) expect(LONE_SURROGATE.test(text)).toBe(false);
}

function expectValidModal(view: ModalView): void {
  expect(validateView(view)).toEqual([]);
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  expect(chars(view.title.text)).toBeLessThanOrEqual(24);
  for (const text of allStrings(view)) expect(LONE_SURROGATE.test(text)).toBe(false);
}

// ---------------------------------------------------------------------------------------------
// Every builder, on every kind of deal.

function timelineOf(size: 'short' | 'long'): TimelineEntry[] {
  const text = size === 'long' ? fill(JP_LINES, 40_000) : 'いい案件ですね。';
  const message = { channel: 'C0SALES', ts: '1764000100.000200' };
  return [
    entry({ kind: 'report', report: deal() }),
    entry({ kind: 'advice', text: size === 'long' ? long(10_000) : '価格より導入支援で勝負を。' }, LEADER),
    entry({ kind: 'progress', entry: size === 'long' ? longProgress() : progress() }),
    entry({ kind: 'comment', text, message }, MEMBER),
    entry({ kind: 'comment_edited', text: `${text}（追記）`, message }, MEMBER),
    entry({ kind: 'progress', entry: size === 'long' ? longProgress({ status: 'won' }) : progress({ status: 'won' }) }),
  ];
}

interface Rendered {
  name: string;
  message?: MessageContent;
  view?: ModalView;
}

/** Everything the app can render for `d`, with `p` as its latest progress entry. */
function renderAll(d: Deal, p: ProgressEntry, size: 'short' | 'long'): Rendered[] {
  const won = { ...d, status: 'won' as const, closedAt: '2026-11-27T05:00:00.000Z' };
  const lost = { ...d, status: 'lost' as const, closedAt: '2026-11-27T05:00:00.000Z' };
  const draft = { ...d, status: 'draft' as const, reportedAt: null };
  const advice = size === 'long' ? long(40_000) : '導入支援を前面に。';
  const loss = { ...p, status: 'lost' as const };
  return [
    { name: 'buildDealCard (商談中)', message: buildDealCard(d, p, DEFAULT_OPTION_LISTS) },
    { name: 'buildDealCard (no progress yet)', message: buildDealCard(d, null, DEFAULT_OPTION_LISTS) },
    { name: 'buildDealCard (受注)', message: buildDealCard(won, { ...p, status: 'won' }, DEFAULT_OPTION_LISTS) },
    { name: 'buildDealCard (失注)', message: buildDealCard(lost, loss, DEFAULT_OPTION_LISTS) },
    { name: 'buildAdviceReply', message: buildAdviceReply(d, advice, LEADER) },
    { name: 'buildProgressReply', message: buildProgressReply(d, p, REP, DEFAULT_OPTION_LISTS) },
    { name: 'buildWinAnnouncement', message: buildWinAnnouncement(won, { ...p, status: 'won' }, REP) },
    { name: 'buildClosedNotice', message: buildClosedNotice(lost) },
    { name: 'buildAdviceRequest (open)', message: buildAdviceRequest(d, task(), TZ, DEFAULT_OPTION_LISTS) },
    {
      name: 'buildAdviceRequest (done)',
      message: buildAdviceRequest(
        d,
        task({ state: 'done', completedBy: LEADER, completedAt: '2026-11-27T06:00:00.000Z' }),
        TZ,
        DEFAULT_OPTION_LISTS,
      ),
    },
    {
      name: 'buildAdviceRequest (cancelled)',
      message: buildAdviceRequest(
        lost,
        task({ state: 'cancelled', completedAt: '2026-11-27T06:00:00.000Z' }),
        TZ,
        DEFAULT_OPTION_LISTS,
      ),
    },
    { name: 'buildProgressTask (open)', message: buildProgressTask(d, task({ kind: 'progress', assigneeId: REP })) },
    { name: 'buildProgressTask (no task)', message: buildProgressTask(d, null) },
    { name: 'buildProgressTask (受注)', message: buildProgressTask(won, null) },
    { name: 'buildProgressTask (失注)', message: buildProgressTask(lost, null) },
    { name: 'buildReportTask (draft)', message: buildReportTask(draft, task({ kind: 'report', assigneeId: REP })) },
    { name: 'buildReportTask (reported)', message: buildReportTask(d, null) },
    { name: 'buildLossReport', message: buildLossReport(lost, loss, p, DEFAULT_OPTION_LISTS) },
    { name: 'buildLossReport (no earlier activity)', message: buildLossReport(lost, loss, null, DEFAULT_OPTION_LISTS) },
    ...(['report', 'advice', 'progress'] as const).map((kind) => ({
      name: `buildReminder (${kind})`,
      message: buildReminder(kind === 'report' ? draft : d, task({ kind, dueOn: '2026-11-20' })),
    })),
    {
      name: 'buildDeliveryFailureNotice',
      message: buildDeliveryFailureNotice(
        failure({ lastError: size === 'long' ? long(5_000) : 'not_in_channel' }),
        d,
        TZ,
      ),
    },
    {
      name: 'buildReportModal (prefilled)',
      view: buildReportModal({ lists: DEFAULT_OPTION_LISTS, ownerId: REP, prefill: d }),
    },
    {
      name: 'buildProgressModal',
      view: buildProgressModal(d, TODAY, { lists: DEFAULT_OPTION_LISTS, intervalDays: 7 }),
    },
    { name: 'buildAdviceModal', view: buildAdviceModal(d, DEFAULT_OPTION_LISTS) },
    {
      name: 'buildDetailsModal (owner)',
      view: buildDetailsModal(lost, whole([...timelineOf(size), entry({ kind: 'progress', entry: loss })]), {
        timeZone: TZ,
        maySeeLossReason: true,
        lists: DEFAULT_OPTION_LISTS,
      }),
    },
    {
      name: 'buildDetailsModal (member)',
      view: buildDetailsModal(lost, whole([...timelineOf(size), entry({ kind: 'progress', entry: loss })]), {
        timeZone: TZ,
        maySeeLossReason: false,
        lists: DEFAULT_OPTION_LISTS,
      }),
    },
    ...snoozeViews(d, size === 'long' ? long(5_000) : '先方の予算確定待ち', size),
  ];
}

/** The snooze's modal, messages and states, with `reason` as the reason. */
function snoozeViews(d: Deal, reason: string, size: 'short' | 'long'): Rendered[] {
  const snooze = { until: '2026-12-20', reason };
  const timeline = [...timelineOf(size), entry({ kind: 'snoozed', ...snooze }), entry({ kind: 'snooze_lifted' })];
  return [
    { name: 'buildDealCard (保留中)', message: buildDealCard(d, null, DEFAULT_OPTION_LISTS, snooze) },
    { name: 'buildSnoozedReply', message: buildSnoozedReply(d, snooze, LEADER) },
    { name: 'buildSnoozeLiftedReply', message: buildSnoozeLiftedReply(LEADER) },
    { name: 'buildSnoozeEndedMessage', message: buildSnoozeEndedMessage(d, snooze) },
    { name: 'buildSnoozeModal', view: buildSnoozeModal(d, TODAY, null) },
    { name: 'buildSnoozeModal (change)', view: buildSnoozeModal(d, TODAY, snooze) },
    {
      name: 'buildDetailsModal (leader, snoozed)',
      view: buildDetailsModal(d, whole(timeline), {
        timeZone: TZ,
        maySeeLossReason: true,
        lists: DEFAULT_OPTION_LISTS,
        snooze,
        may: { snooze: true, reassign: true },
      }),
    },
  ];
}

const fixtures: { name: string; deal: Deal; progress: ProgressEntry; size: 'short' | 'long' }[] = [
  { name: 'an ordinary deal', deal: deal(), progress: progress(), size: 'short' },
  {
    name: 'a deal with only the required items and amount 0',
    deal: bareDeal(),
    progress: progress({ amount: 0 }),
    size: 'short',
  },
  {
    name: 'a deal at the form maximums',
    deal: formMaxDeal(),
    progress: longProgress({ content: long(LIMITS.longText) }),
    size: 'short',
  },
  { name: 'a deal far beyond the form maximums', deal: longDeal(), progress: longProgress(), size: 'long' },
  {
    name: 'a deal whose 案件概要 is 10,000 characters of one-character lines',
    deal: longDeal({ description: fill(SHORT_LINES, 10_000) }),
    progress: longProgress({ content: fill(SHORT_LINES, 10_000) }),
    size: 'long',
  },
];

describe.each(fixtures)('every view of $name stays within Slack limits', ({ deal: d, progress: p, size }) => {
  const rendered = renderAll(d, p, size);

  it.each(rendered.filter((r) => r.message).map((r) => [r.name, r.message!] as const))(
    '%s is a valid message',
    (_name, message) => {
      expectValidMessage(message);
    },
  );

  it.each(rendered.filter((r) => r.view).map((r) => [r.name, r.view!] as const))(
    '%s is a valid modal',
    (_name, view) => {
      expectValidModal(view);
    },
  );
});

describe('amounts', () => {
  it('shows 0 yen as 0円 rather than hiding it', () => {
    const card = buildDealCard(bareDeal(), null, DEFAULT_OPTION_LISTS);
    expect(readable(card)).toContain('*見込み金額*\n0円');
    const won = buildWinAnnouncement(bareDeal({ status: 'won' }), progress({ status: 'won', amount: 0 }), REP);
    expect(readable(won)).toContain('(0円)');
  });

  it('shows 999,999,999,999 yen in full', () => {
    const card = buildDealCard(deal({ amount: MAX_AMOUNT }), null, DEFAULT_OPTION_LISTS);
    expect(readable(card)).toContain('999,999,999,999円');
    const reply = buildProgressReply(deal(), progress({ amount: MAX_AMOUNT }), REP, DEFAULT_OPTION_LISTS);
    expect(readable(reply)).toContain('金額: 999,999,999,999円');
  });

  it('leaves 見込み金額 out when there is none', () => {
    expect(readable(buildDealCard(deal({ amount: null }), null, DEFAULT_OPTION_LISTS))).not.toContain('見込み金額');
  });
});

// ---------------------------------------------------------------------------------------------
// Escaping: user text never turns into pings, mentions or links.

describe('user text is escaped in every view', () => {
  const hostileProgress = progress({
    activityType: HOSTILE,
    content: HOSTILE,
    nextAction: HOSTILE,
    lossReason: HOSTILE,
    lossDetail: HOSTILE,
  });
  const hostileDeal = deal({
    customer: HOSTILE,
    title: HOSTILE,
    industry: HOSTILE,
    companySize: HOSTILE,
    source: HOSTILE,
    contactName: HOSTILE,
    description: HOSTILE,
  });
  const hostileTimeline: TimelineEntry[] = [
    entry({ kind: 'report', report: hostileDeal }),
    entry({ kind: 'advice', text: HOSTILE }, LEADER),
    entry({ kind: 'progress', entry: hostileProgress }),
    entry({ kind: 'comment', text: HOSTILE, message: { channel: 'C0SALES', ts: '1.1' } }, MEMBER),
    entry({ kind: 'comment', text: HOSTILE, message: { channel: 'C0SALES', ts: '1.2' } }, MEMBER),
    entry({ kind: 'comment_edited', text: `${HOSTILE}!`, message: { channel: 'C0SALES', ts: '1.2' } }, MEMBER),
    entry({ kind: 'progress', entry: { ...hostileProgress, status: 'lost' } }),
  ];
  const lost = { ...hostileDeal, status: 'lost' as const };
  const home = buildHome({
    userId: REP,
    isLeader: true,
    today: TODAY,
    tasks: [{ task: task({ kind: 'progress', assigneeId: REP }), deal: hostileDeal }],
    adviceWaiting: [{ task: task(), deal: hostileDeal }],
    ownDeals: [hostileDeal],
    pipeline,
    failures: [
      {
        item: failure({
          effect: { kind: 'send_webhook', dealId: 42, url: `https://hooks.example/${HOSTILE}`, event: {} as never },
        }),
        deal: hostileDeal,
      },
    ],
    timeZone: TZ,
  });
  const rendered = [
    ...renderAll(hostileDeal, hostileProgress, 'short').map((r) => ({
      name: r.name,
      content: r.message ?? { blocks: r.view?.blocks },
    })),
    {
      name: 'buildDetailsModal (hostile timeline, owner)',
      content: buildDetailsModal(lost, whole(hostileTimeline), {
        timeZone: TZ,
        maySeeLossReason: true,
        lists: DEFAULT_OPTION_LISTS,
      }),
    },
    {
      name: 'buildDetailsModal (hostile timeline, member)',
      content: buildDetailsModal(lost, whole(hostileTimeline), {
        timeZone: TZ,
        maySeeLossReason: false,
        lists: DEFAULT_OPTION_LISTS,
      }),
    },
    { name: 'buildAdviceReply (hostile advice)', content: buildAdviceReply(hostileDeal, HOSTILE, LEADER) },
    ...snoozeViews(hostileDeal, HOSTILE, 'short').map((r) => ({
      name: `${r.name} (hostile reason)`,
      content: (r.message ?? r.view)!,
    })),
    { name: 'buildHome', content: home },
    { name: 'buildNoticeModal', content: buildNoticeModal(HOSTILE) },
    {
      name: 'buildDeliveryFailureNotice (webhook)',
      content: buildDeliveryFailureNotice(
        failure({
          effect: { kind: 'send_webhook', dealId: 42, url: `https://hooks.example/${HOSTILE}`, event: {} as never },
          lastError: HOSTILE,
        }),
        hostileDeal,
        TZ,
      ),
    },
  ];

  it.each(rendered.map((r) => [r.name, r.content] as const))(
    '%s has no raw <!channel>, <@U999> or <https://',
    (name, content) => {
      // Thread comments keep the mentions people wrote; the details modal shows them as names, and a
      // modal notifies nobody. Channel pings and links stay escaped there too.
      const allowed = name.startsWith('buildDetailsModal (hostile timeline') ? ['<@U999>'] : [];
      for (const text of mrkdwnTexts(content)) {
        for (const raw of RAW_MARKUP.filter((markup) => !allowed.includes(markup))) expect(text).not.toContain(raw);
      }
    },
  );

  it('shows a comment’s user mentions as names in the details modal, and nothing else of its markup', () => {
    const view = buildDetailsModal(lost, whole(hostileTimeline), {
      timeZone: TZ,
      maySeeLossReason: false,
      lists: DEFAULT_OPTION_LISTS,
    });
    const texts = mrkdwnTexts(view).join('\n');
    expect(texts).toContain('<@U999>');
    expect(texts).toContain('&lt;!channel&gt;');
    expect(texts).not.toContain('<!channel>');
    expect(texts).not.toContain('<https://');
  });

  it('shows the escaped text instead of dropping it', () => {
    const card = buildDealCard(hostileDeal, hostileProgress, DEFAULT_OPTION_LISTS);
    expect(mrkdwnTexts(card).join('\n')).toContain(
      '&lt;!channel&gt; &lt;@U999&gt; &lt;https://evil.example|押して&gt; &amp; co',
    );
  });

  it("still mentions the owner with the bot's own <@U0REP01>", () => {
    const withOwner: [string, { text?: string; blocks: unknown }][] = [
      ['buildDealCard', buildDealCard(hostileDeal, hostileProgress, DEFAULT_OPTION_LISTS)],
      ['buildAdviceReply', buildAdviceReply(hostileDeal, HOSTILE, LEADER)],
      ['buildWinAnnouncement', buildWinAnnouncement(hostileDeal, hostileProgress, LEADER)],
      ['buildLossReport', buildLossReport(lost, { ...hostileProgress, status: 'lost' }, null, DEFAULT_OPTION_LISTS)],
      ['buildAdviceRequest', buildAdviceRequest(hostileDeal, task(), TZ, DEFAULT_OPTION_LISTS)],
      ['buildAdviceModal', buildAdviceModal(hostileDeal, DEFAULT_OPTION_LISTS)],
      [
        'buildDetailsModal',
        buildDetailsModal(lost, whole(hostileTimeline), {
          timeZone: TZ,
          maySeeLossReason: false,
          lists: DEFAULT_OPTION_LISTS,
        }),
      ],
    ];
    for (const [name, content] of withOwner) {
      expect(mrkdwnTexts(content).join('\n'), name).toContain(`<@${REP}>`);
    }
    expect(mrkdwnTexts(buildAdviceReply(hostileDeal, HOSTILE, LEADER)).join('\n')).toContain(`<@${LEADER}>`);
  });

  it('escapes a user id that is not a real Slack user id', () => {
    const reply = buildProgressReply(deal(), progress(), '<!here>', DEFAULT_OPTION_LISTS);
    expect(mrkdwnTexts(reply).join('\n')).not.toContain('<!here>');
    expect(mrkdwnTexts(reply).join('\n')).toContain('&lt;!here&gt;');
  });
});

// ---------------------------------------------------------------------------------------------
// The loss reason is for the owner and the leaders only.

describe('the loss reason', () => {
  const lost = deal({ status: 'lost', closedAt: '2026-11-27T05:00:00.000Z' });
  const loss = lossEntry();
  const timeline = [
    entry({ kind: 'report', report: deal() }),
    entry({ kind: 'progress', entry: progress() }),
    entry({ kind: 'progress', entry: loss }),
  ];
  const secrets = [LOSS_REASON, 'ZZSECRET', '失注理由', '先方から見送りの連絡'];

  it.each([
    ['buildClosedNotice', buildClosedNotice(lost)],
    ['buildDealCard of a lost deal', buildDealCard(lost, loss, DEFAULT_OPTION_LISTS)],
    [
      'buildDetailsModal for a member',
      buildDetailsModal(lost, whole(timeline), { timeZone: TZ, maySeeLossReason: false, lists: DEFAULT_OPTION_LISTS }),
    ],
  ] as const)('never appears in %s, which says only that the deal closed', (_name, content) => {
    const text = readable(content);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('失注');
    expect(text).toContain('クローズ');
  });

  it('appears in buildDetailsModal for the owner and the leaders', () => {
    const text = readable(
      buildDetailsModal(lost, whole(timeline), { timeZone: TZ, maySeeLossReason: true, lists: DEFAULT_OPTION_LISTS }),
    );
    expect(text).toContain(`失注理由: ${LOSS_REASON} — ${LOSS_DETAIL}`);
    expect(text).toContain('先方から見送りの連絡');
  });

  it("appears in buildLossReport (the leaders' DM), with the last activity", () => {
    const report = buildLossReport(lost, loss, progress({ content: '最後の往訪メモ' }), DEFAULT_OPTION_LISTS);
    const text = readable(report);
    expect(text).toContain(`${LOSS_REASON} — ${LOSS_DETAIL}`);
    expect(text).toContain('先方から見送りの連絡');
    expect(text).toContain('最後の往訪メモ');
    expect(text).toContain(`<@${REP}>`);
  });

  it('falls back to その他 in buildLossReport when no reason was given', () => {
    const report = buildLossReport(lost, lossEntry({ lossReason: null, lossDetail: null }), null, DEFAULT_OPTION_LISTS);
    expect(readable(report)).toContain('*失注理由*: その他');
  });
});

// ---------------------------------------------------------------------------------------------
// The deal card.

describe('buildDealCard', () => {
  it('offers 進捗を記録, 詳細 and the ⋯ menu while the deal is 商談中', () => {
    const card = buildDealCard(deal(), progress(), DEFAULT_OPTION_LISTS);
    expect(actionIds(card.blocks)).toEqual([ACTION.openProgress, ACTION.openDetails, ACTION.cardMenu]);
    const text = readable(card);
    expect(text).toContain('🟡 商談中');
    expect(text).toContain('最新: 2026/11/26 往訪');
    expect(text).toContain('助言: 待ち');
    expect(text).toContain(`<@${REP}>`);
  });

  it.each([
    ['won', '🎉 受注'],
    ['lost', '⚪ クローズ'],
  ] as const)('has no 進捗を記録 button once %s', (status, label) => {
    const card = buildDealCard(deal({ status, adviceGiven: true }), progress({ status }), DEFAULT_OPTION_LISTS);
    expect(actionIds(card.blocks)).toEqual([ACTION.openDetails]);
    expect(readable(card)).toContain(label);
    expect(readable(card)).toContain('助言: 済み');
  });

  it('cuts a 3,000-character customer name in the header with an ellipsis', () => {
    const card = buildDealCard(longDeal(), null, DEFAULT_OPTION_LISTS);
    const header = card.blocks[0] as { type: string; text: { text: string } };
    expect(header.type).toBe('header');
    expect(chars(header.text.text)).toBe(150);
    expect(header.text.text.endsWith('…')).toBe(true);
  });
});

describe('buildAdviceReply, buildProgressReply, buildWinAnnouncement', () => {
  it('addresses the advice to the owner and names the leader', () => {
    const text = readable(buildAdviceReply(deal(), '導入支援を前面に。', LEADER));
    expect(text).toContain(`<@${REP}>`);
    expect(text).toContain(`<@${LEADER}> より`);
    expect(text).toContain('>導入支援を前面に。');
  });

  it('shares the progress entry with its next action', () => {
    const text = readable(buildProgressReply(deal(), progress(), REP, DEFAULT_OPTION_LISTS));
    expect(text).toContain('*商談中 ・ 往訪 ・ 2026/11/26*');
    expect(text).toContain('次のアクション: 見積書の提出 (期日 2026/12/04)');
    expect(text).toContain(`<@${REP}> が記録`);
  });

  it('carries the 進捗を記録 button in the thread only while the deal is 商談中', () => {
    expect(actionIds(buildProgressReply(deal(), progress(), REP, DEFAULT_OPTION_LISTS).blocks)).toEqual([
      ACTION.openProgress,
    ]);
    expect(actionIds(buildAdviceReply(deal(), '助言', LEADER).blocks)).toEqual([ACTION.openProgress]);
    for (const status of ['won', 'lost'] as const) {
      expect(actionIds(buildAdviceReply(deal({ status }), '助言', LEADER).blocks)).toEqual([]);
      expect(actionIds(buildWinAnnouncement(deal({ status }), progress({ status: 'won' }), REP).blocks)).toEqual([]);
    }
  });

  it('announces the win with the 受注金額, or the 見込み金額 when none was entered', () => {
    const won = deal({ status: 'won' });
    expect(readable(buildWinAnnouncement(won, progress({ status: 'won', amount: 15_000_000 }), REP))).toContain(
      '(1,500万円)',
    );
    expect(readable(buildWinAnnouncement(won, progress({ status: 'won', amount: null }), REP))).toContain(
      '(1,200万円)',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Task DMs.

describe('buildAdviceRequest', () => {
  it('asks for advice with a button while the task is open', () => {
    const request = buildAdviceRequest(deal(), task(), TZ, DEFAULT_OPTION_LISTS);
    expect(actionIds(request.blocks)).toEqual([ACTION.openAdvice, ACTION.openDetails]);
    expect(readable(request)).toContain('期日: 2026/11/29');
  });

  it('says who answered, and offers no button, once done', () => {
    const request = buildAdviceRequest(
      deal(),
      task({ state: 'done', completedBy: LEADER, completedAt: '2026-11-27T06:00:00.000Z' }),
      TZ,
      DEFAULT_OPTION_LISTS,
    );
    expect(actionIds(request.blocks)).toEqual([]);
    expect(readable(request)).toContain(`<@${LEADER}> さんが助言・戦略の指示を入力しました (2026/11/27 15:00)`);
  });

  it('withdraws the request, with no button, once the deal closed', () => {
    const request = buildAdviceRequest(
      deal({ status: 'lost' }),
      task({ state: 'cancelled' }),
      TZ,
      DEFAULT_OPTION_LISTS,
    );
    expect(actionIds(request.blocks)).toEqual([]);
    expect(readable(request)).toContain('取り下げました');
  });
});

describe('buildProgressTask and buildReportTask', () => {
  it('asks the owner to record progress, with the due date', () => {
    const message = buildProgressTask(deal(), task({ kind: 'progress', assigneeId: REP, dueOn: '2026-12-04' }));
    expect(actionIds(message.blocks)).toEqual([ACTION.openProgress, ACTION.openDetails]);
    expect(readable(message)).toContain('期日: 2026/12/04');
  });

  it.each([
    ['won', '受注で完了しました'],
    ['lost', '失注で完了しました'],
  ] as const)('closes the progress DM without buttons once %s', (status, text) => {
    const message = buildProgressTask(deal({ status }), null);
    expect(actionIds(message.blocks)).toEqual([]);
    expect(readable(message)).toContain(text);
  });

  it('asks for the report of a draft and thanks once it is in', () => {
    const draft = buildReportTask(deal({ status: 'draft' }), task({ kind: 'report', dueOn: '2026-11-30' }));
    expect(actionIds(draft.blocks)).toEqual([ACTION.openReport]);
    expect(readable(draft)).toContain('期日: 2026/11/30');
    const reported = buildReportTask(deal(), null);
    expect(actionIds(reported.blocks)).toEqual([]);
    expect(readable(reported)).toContain('入力済み');
  });
});

// ---------------------------------------------------------------------------------------------
// Modals.

type InputBlockJson = {
  type: 'input';
  block_id: string;
  optional?: boolean;
  element: Json & { action_id: string };
};

function inputs(view: ModalView): Map<string, InputBlockJson> {
  const found = new Map<string, InputBlockJson>();
  for (const block of view.blocks as unknown as Json[]) {
    if (block.type === 'input') found.set(block.block_id as string, block as unknown as InputBlockJson);
  }
  return found;
}

function element(view: ModalView, blockId: string): Json {
  const block = inputs(view).get(blockId);
  if (!block) throw new Error(`no input block ${blockId}`);
  expect(block.element.action_id).toBe(inputActionId(blockId));
  return block.element;
}

describe('buildReportModal', () => {
  it('is empty but for the owner when nothing is prefilled', () => {
    const view = buildReportModal({ lists: DEFAULT_OPTION_LISTS, ownerId: REP });
    expectValidModal(view);
    expect([...inputs(view).keys()]).toEqual(Object.values(REPORT_BLOCK));
    for (const blockId of Object.values(REPORT_BLOCK)) {
      const el = element(view, blockId);
      expect(el.initial_value).toBeUndefined();
      expect(el.initial_option).toBeUndefined();
      expect(el.initial_date).toBeUndefined();
    }
    expect(element(view, REPORT_BLOCK.owner).initial_user).toBe(REP);
    expect(inputs(view).get(REPORT_BLOCK.customer)?.optional).toBe(false);
    expect(inputs(view).get(REPORT_BLOCK.title)?.optional).toBe(false);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({});
  });

  it('prefills every item, cutting long text to the input limits', () => {
    const draft = longDeal({
      status: 'draft',
      industry: '製造業',
      companySize: '5,000名以上',
      source: '外部システム',
      ownerId: 'U0REP02',
    });
    const view = buildReportModal({
      lists: DEFAULT_OPTION_LISTS,
      ownerId: REP,
      prefill: draft,
      metadata: { draftDealId: draft.id },
    });
    expectValidModal(view);
    const customer = element(view, REPORT_BLOCK.customer);
    expect(chars(customer.initial_value as string)).toBe(LIMITS.shortText);
    expect(customer.initial_value as string).toMatch(/^株式会社𠮷野家/);
    expect(chars(element(view, REPORT_BLOCK.description).initial_value as string)).toBe(LIMITS.longText);
    expect(element(view, REPORT_BLOCK.amount).initial_value).toBe('999999999999');
    expect(element(view, REPORT_BLOCK.industry).initial_option).toEqual({
      text: { type: 'plain_text', text: '製造業', emoji: true },
      value: '製造業',
    });
    expect((element(view, REPORT_BLOCK.companySize).initial_option as Json).value).toBe('5,000名以上');
    expect((element(view, REPORT_BLOCK.source).initial_option as Json).value).toBe('外部システム');
    expect(element(view, REPORT_BLOCK.expectedCloseDate).initial_date).toBe('2027-03-31');
    expect(element(view, REPORT_BLOCK.owner).initial_user).toBe('U0REP02');
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ draftDealId: draft.id });
  });

  it('leaves a select empty when the prefilled value is not one of its options', () => {
    const view = buildReportModal({
      lists: DEFAULT_OPTION_LISTS,
      ownerId: REP,
      prefill: { industry: 'ゲーム業', companySize: '約300人', source: long(200), amount: 0 },
    });
    expectValidModal(view);
    expect(element(view, REPORT_BLOCK.industry).initial_option).toBeUndefined();
    expect(element(view, REPORT_BLOCK.companySize).initial_option).toBeUndefined();
    expect(element(view, REPORT_BLOCK.source).initial_option).toBeUndefined();
    expect(element(view, REPORT_BLOCK.amount).initial_value).toBe('0');
  });
});

describe('buildProgressModal and buildAdviceModal', () => {
  it('defaults the progress form to 商談中 and today', () => {
    const view = buildProgressModal(deal(), TODAY, { lists: DEFAULT_OPTION_LISTS, intervalDays: 7 });
    expectValidModal(view);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ dealId: 42 });
    expect((element(view, PROGRESS_BLOCK.status).initial_option as Json).value).toBe('negotiating');
    expect(element(view, PROGRESS_BLOCK.activityDate).initial_date).toBe(TODAY);
    expect(inputs(view).get(PROGRESS_BLOCK.content)?.optional).toBe(false);
    expect(inputs(view).get(PROGRESS_BLOCK.lossReason)?.optional).toBe(true);
  });

  it('asks for advice about the deal, naming its owner', () => {
    const view = buildAdviceModal(deal(), DEFAULT_OPTION_LISTS);
    expectValidModal(view);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ dealId: 42 });
    expect(element(view, ADVICE_BLOCK.text).max_length).toBe(LIMITS.advice);
    expect(inputs(view).get(ADVICE_BLOCK.text)?.optional).toBe(false);
    expect(readable(view)).toContain(`担当: <@${REP}>`);
  });
});

describe('buildDetailsModal', () => {
  it('shows a short timeline whole, comments as they read now', () => {
    const a = { channel: 'C0SALES', ts: '1764000100.000100' };
    const b = { channel: 'C0SALES', ts: '1764000100.000200' };
    const timeline = [
      entry({ kind: 'report', report: deal() }, REP, '2026-11-20T01:00:00.000Z'),
      entry({ kind: 'comment', text: '最初の書き込み', message: a }, MEMBER),
      entry({ kind: 'comment_edited', text: '書き直した書き込み', message: a }, MEMBER),
      entry({ kind: 'comment', text: '消される書き込み', message: b }, MEMBER),
      entry({ kind: 'comment_deleted', message: b }, MEMBER),
      entry({ kind: 'advice', text: '導入支援を前面に。' }, LEADER),
    ];
    const view = buildDetailsModal(deal(), whole(timeline), {
      timeZone: TZ,
      maySeeLossReason: true,
      lists: DEFAULT_OPTION_LISTS,
    });
    expectValidModal(view);
    const text = readable(view);
    expect(text).not.toContain('省略');
    expect(text).toContain('📋 *案件発生報告*');
    expect(text).toContain('2026/11/20 10:00');
    expect(text).toContain('書き直した書き込み _(編集済み)_');
    expect(text).not.toContain('最初の書き込み');
    expect(text).toContain('_(削除されたコメント)_');
    expect(text).not.toContain('消される書き込み');
    expect(text).toContain('💡 *助言・戦略の指示*');
    expect(text).toContain(`<@${LEADER}>`);
  });

  it('keeps the newest of 300 long entries within 100 blocks and says how many older ones it left out', () => {
    const timeline: TimelineEntry[] = [];
    let lastComment = { channel: 'C0SALES', ts: '1764000000.000000' };
    for (let i = 0; i < 300; i += 1) {
      const at = new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString();
      const body = `#${i}# ${fill(PLAIN_JP, 40_000)}`;
      let data: TimelineData;
      if (i === 0) data = { kind: 'report', report: longDeal() };
      else if (i % 10 === 1) data = { kind: 'progress', entry: progress({ content: body }) };
      else if (i % 10 === 2) data = { kind: 'advice', text: body };
      else if (i % 10 === 5) data = { kind: 'comment_edited', text: body, message: lastComment };
      else if (i % 10 === 8) data = { kind: 'comment_deleted', message: lastComment };
      else {
        lastComment = { channel: 'C0SALES', ts: `1764000000.${String(i).padStart(6, '0')}` };
        data = { kind: 'comment', text: body, message: lastComment };
      }
      timeline.push(entry(data, i % 3 === 0 ? LEADER : MEMBER, at));
    }
    const shownKinds = new Set(['report', 'advice', 'progress', 'comment']);
    const items = timeline.filter((e) => shownKinds.has(e.kind)).length;

    for (const d of [longDeal(), bareDeal()]) {
      const view = buildDetailsModal(d, whole(timeline), {
        timeZone: TZ,
        maySeeLossReason: true,
        lists: DEFAULT_OPTION_LISTS,
      });
      expectValidModal(view);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      const text = readable(view);
      const omitted = /古い記録 (\d+) 件は省略しています。/.exec(text);
      expect(omitted).not.toBeNull();
      const shownItems = view.blocks.filter(
        (block) => block.type === 'section' && /^(📋|💡|📝|🎉|⚪|💬) /.test(textObjects(block)[0]?.text ?? ''),
      ).length;
      expect(Number(omitted![1])).toBe(items - shownItems);
      expect(shownItems).toBeGreaterThan(40);
      // The newest entry is shown last and the oldest ones are the ones left out.
      expect(textObjects(view.blocks.at(-2))[0]?.text).toContain('#299#');
      expect(text).not.toContain('#3#');
      expect(text).toContain('2026/11/01 13:59');
    }
  });
});

describe('escaping and cutting (views/text.ts)', () => {
  const HALF_ENTITY = /&(?!amp;|lt;|gt;)/;

  it('never cuts an escaped entity in half, in a block quote or anywhere else', () => {
    // Three empty lines: the quote marks added to each line push the cut into the &amp;.
    expect(quote('\n\n\nxx&y', 12)).toBe('>\n>\n>\n>xx…');
    expect(truncate('見積&amp;提案', 5)).toBe('見積…');
    expect(truncate('見積&lt;', 4)).toBe('見積…');
    for (const text of ['\n\n\nxx&y', '&&&&&&&&', '<a>\n<b>\n&c', fill(JP_LINES, 200)]) {
      for (let max = 1; max <= 60; max += 1) {
        for (const cut of [quote(text, max), userText(text, max), truncate(escapeMrkdwn(text), max)]) {
          expect(chars(cut), `${JSON.stringify(text)} ${max}`).toBeLessThanOrEqual(max);
          expect(cut, `${JSON.stringify(text)} ${max}`).not.toMatch(HALF_ENTITY);
        }
      }
    }
  });
});

describe('the longest comments', () => {
  it('renders a details modal of five 40,000-character comments full of & and < as a valid modal', () => {
    // Worst-case text for escaping and cutting; how long it takes is measured by `npm run bench`.
    const timeline = Array.from({ length: 5 }, (_, i) =>
      entry(
        { kind: 'comment', text: fill('&lt;&amp;<>&', 40_000), message: { channel: 'C0SALES', ts: `1.${i}` } },
        MEMBER,
      ),
    );
    expectValidModal(
      buildDetailsModal(deal(), whole(timeline), {
        timeZone: TZ,
        maySeeLossReason: false,
        lists: DEFAULT_OPTION_LISTS,
      }),
    );
  });
});

describe('buildHome', () => {
  function tasks(n: number, kind: 'progress' | 'advice'): TaskWithDeal[] {
    return Array.from({ length: n }, (_, i) => ({
      task: task({ id: i + 1, kind, dueOn: i % 2 === 0 ? '2026-11-01' : '2026-12-31' }),
      deal: longDeal({ id: i + 1, customer: `${HOSTILE}${long(3_000)}` }),
    }));
  }

  it('says there is nothing to do when there are no items', () => {
    const data: HomeData = {
      userId: REP,
      isLeader: false,
      today: TODAY,
      tasks: [],
      adviceWaiting: [],
      ownDeals: [],
      pipeline: { negotiating: 0, negotiatingAmount: 0, wonThisMonth: 0, wonAmountThisMonth: 0, lostThisMonth: 0 },
      failures: [],
      timeZone: TZ,
    };
    const view = buildHome(data);
    expect(validateView(view)).toEqual([]);
    const text = readable(view);
    expect(text).toContain('あなたのタスク (0)');
    expect(text).toContain('いま対応が必要なタスクはありません。');
    expect(text).toContain('進行中の案件はありません。');
    expect(text).not.toContain('助言待ち');
    expect(text).not.toContain('配信できなかった通知');
    expect(text).toContain('パイプライン: 商談中 0 件 (0円)');
    expect(actionIds(view.blocks)).toEqual([ACTION.openNewReport, ACTION.openSearch]);
    expect(buildHome({ ...data, isLeader: true }).blocks.map((b) => textObjects(b)[0]?.text)).toContain(
      '助言待ちの案件はありません。',
    );
  });

  it('lists 40 tasks, 40 deals waiting for advice and 40 deals within 100 blocks, with ほか N 件', () => {
    const view = buildHome({
      userId: LEADER,
      isLeader: true,
      today: TODAY,
      tasks: tasks(40, 'progress'),
      adviceWaiting: tasks(40, 'advice'),
      ownDeals: Array.from({ length: 40 }, (_, i) => longDeal({ id: i + 1, status: i % 2 ? 'draft' : 'negotiating' })),
      pipeline,
      failures: Array.from({ length: 8 }, (_, i) => ({
        item: failure({ id: 100 + i, lastError: long(5_000) }),
        deal: i % 2 ? null : longDeal(),
      })),
      timeZone: TZ,
    });
    expect(validateView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = readable(view);
    expect(text).toContain('あなたのタスク (40)');
    expect(text).toContain('助言待ちの案件 (40)');
    expect(text).toContain('あなたの案件 (40)');
    expect(text.match(new RegExp(`ほか ${40 - HOME_LIST_LIMIT} 件`, 'g'))).toHaveLength(3);
    expect(text).toContain('⚠️ 期限超過 (2026/11/01)');
    expect(text).toContain('期日 2026/12/31');
    expect(text).toContain('999,999,999,999円');
    expect(text).toContain('⚠️ 配信できなかった通知');
    expect(text.match(/\*ホームタブの更新 \(宛先 <@U0REP01>\)\*/g)).toHaveLength(5);
    for (const t of mrkdwnTexts(view)) for (const raw of RAW_MARKUP) expect(t).not.toContain(raw);
    const ids = actionIds(view.blocks);
    expect(ids.filter((id) => id === ACTION.openProgress)).toHaveLength(HOME_LIST_LIMIT);
    expect(ids.filter((id) => id === ACTION.openAdvice)).toHaveLength(HOME_LIST_LIMIT);
    expect(ids.filter((id) => id === ACTION.openDetails)).toHaveLength(HOME_LIST_LIMIT);
    for (const s of allStrings(view)) expect(LONE_SURROGATE.test(s)).toBe(false);
  });
});

describe('buildReminder and buildDeliveryFailureNotice', () => {
  it.each([
    ['report', ACTION.openReport, '案件情報の入力をお願いします'],
    ['advice', ACTION.openAdvice, '助言・戦略の指示をお願いします'],
    ['progress', ACTION.openProgress, '進捗の記録をお願いします'],
  ] as const)('reminds of an overdue %s task with the button to do it', (kind, actionId, text) => {
    const reminder = buildReminder(deal(), task({ kind, dueOn: '2026-11-20' }));
    expect(actionIds(reminder.blocks)).toEqual([actionId, ACTION.openDetails]);
    expect(readable(reminder)).toContain(text);
    expect(readable(reminder)).toContain('期日 2026/11/20 を過ぎています。');
  });

  it('tells an admin what could not be delivered, to whom, and what to do', () => {
    const notice = buildDeliveryFailureNotice(failure(), deal(), TZ);
    const text = readable(notice);
    expect(text).toContain(`*ホームタブの更新 (宛先 <@${REP}>)* 案件 #42 株式会社サンプル / 基幹システム更改`);
    expect(text).toContain('理由: `not_in_channel`');
    expect(text).toContain('/invite @anken');
    expect(text).toContain('150 回試行しました');
  });
});

describe('buildNoticeModal', () => {
  it('marks a done notice with ✅', () => {
    const view = buildDoneModal('案件 #42 を登録しました。');
    expectValidModal(view);
    expect(readable(view)).toContain('✅ 案件 #42 を登録しました。');
  });

  it('fits any message and title into a valid modal', () => {
    const view = buildNoticeModal(long(10_000), long(100));
    expectValidModal(view);
    expect(chars(view.title.text)).toBe(24);
    expect(view.submit).toBeUndefined();
  });

  it('shows a short message as it is', () => {
    const view = buildNoticeModal('この案件はすでにクローズしています。');
    expectValidModal(view);
    expect(view.title.text).toBe('anken');
    expect(readable(view)).toContain('この案件はすでにクローズしています。');
  });
});

describe('views are pure functions of the data they are given', () => {
  it('no view imports the store: the read models they take belong to the workflow', () => {
    const dir = new URL('../../src/views/', import.meta.url);
    for (const file of readdirSync(dir)) {
      expect(readFileSync(new URL(file, dir), 'utf8'), file).not.toMatch(/from '\.\.\/store\//);
    }
  });
});
