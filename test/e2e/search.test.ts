import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, FILTER_BLOCK, inputActionId } from '../../src/ids.js';
import type { FakeMessage, FakeView } from '../support/fake-slack.js';
import {
  date,
  findButton,
  progressValues,
  readable,
  reportValues,
  runCommand,
  select,
  submit,
  tapButton,
  tapHomeButton,
  teamToday,
  text,
  user,
} from '../support/flows.js';
import {
  FOREIGN,
  FOREIGN_TEAM,
  GUEST,
  type Harness,
  LEADER,
  MEMBER,
  REP,
  REP2,
  SALES_CHANNEL,
  startHarness,
} from '../support/harness.js';

let h: Harness;

async function report(reporter: string, input: Parameters<typeof reportValues>[0]): Promise<FakeMessage> {
  const { view } = await runCommand(h, reporter);
  if (!view) throw new Error('report modal did not open');
  await submit(h, reporter, view, reportValues(input, reporter));
  await h.settle();
  const card = h.fake.messagesIn(SALES_CHANNEL).at(-1);
  if (!card) throw new Error('no card');
  return card;
}

async function progress(userId: string, card: FakeMessage, input: Parameters<typeof progressValues>[0]) {
  const { view } = await tapButton(h, userId, h.fake.message(SALES_CHANNEL, card.ts) ?? card, ACTION.openProgress);
  if (!view) throw new Error('progress modal did not open');
  await submit(h, userId, view, progressValues(input, teamToday()));
  await h.settle();
}

async function threadReply(card: FakeMessage, words: string): Promise<FakeMessage> {
  const reply = h.fake.addUserMessage(SALES_CHANNEL, { user: MEMBER, text: words, threadTs: card.ts });
  await h.sender.event({
    event: { type: 'message', channel: SALES_CHANNEL, user: MEMBER, text: words, ts: reply.ts, thread_ts: card.ts },
  });
  return reply;
}

/** The filter form as Slack sends it on 検索: every input present, unset ones null. */
function filters(input: {
  keywords?: string;
  industry?: string;
  status?: string;
  owner?: string;
  periodBasis?: 'reported' | 'closed';
  from?: string;
  to?: string;
}) {
  const entry = (blockId: string, state: unknown) => [blockId, { [inputActionId(blockId)]: state }];
  return Object.fromEntries([
    entry(FILTER_BLOCK.keywords, text(input.keywords ?? null)),
    entry(FILTER_BLOCK.industry, select(input.industry ?? null)),
    entry(FILTER_BLOCK.companySize, select(null)),
    entry(FILTER_BLOCK.status, select(input.status ?? null)),
    entry(FILTER_BLOCK.owner, user(input.owner ?? null)),
    entry(FILTER_BLOCK.periodBasis, {
      type: 'radio_buttons',
      selected_option: { value: input.periodBasis ?? 'reported' },
    }),
    entry(FILTER_BLOCK.from, date(input.from ?? null)),
    entry(FILTER_BLOCK.to, date(input.to ?? null)),
  ]);
}

async function searchFor(userId: string, input: Parameters<typeof filters>[0]) {
  const { view } = await tapHomeButton(h, userId, ACTION.openSearch, 'search');
  if (!view) throw new Error('search modal did not open');
  const response = await submit(h, userId, view, filters(input));
  return { view, response, results: (response.body as { view?: FakeView }).view };
}

/** Taps a button inside a modal the person has open (the trigger stacks onto that modal). */
function tapInModal(userId: string, view: FakeView, actionId: string, value: string) {
  return h.sender.blockAction({
    userId,
    actionId,
    value,
    triggerId: h.fake.issueTriggerId({ userId, viewId: view.id }),
    container: { type: 'view', view_id: view.id },
    view,
  });
}

const resultNames = (view: unknown) =>
  ((view as { blocks: Array<{ accessory?: { action_id?: string }; text?: { text: string } }> }).blocks ?? [])
    .filter((block) => block.accessory?.action_id === ACTION.openDetails)
    .map((block) => block.text?.text ?? '');

beforeAll(async () => {
  h = await startHarness();
  const logistics = await report(REP, {
    customer: '株式会社ＡＢＣ物流',
    title: '倉庫管理システムの保守',
    industry: '運輸業・郵便業',
    amount: '800万',
  });
  await threadReply(logistics, '価格が合えば決まりそうです');
  const edited = await threadReply(logistics, '更改の時期は未定');
  await h.sender.event({
    event: {
      type: 'message',
      subtype: 'message_changed',
      channel: SALES_CHANNEL,
      hidden: true,
      ts: '1800000000.000009',
      message: { type: 'message', user: MEMBER, text: '刷新の時期は来期', ts: edited.ts, thread_ts: logistics.ts },
    },
  });
  await progress(REP, logistics, {
    status: 'lost',
    lossReason: '価格',
    lossDetail: '他社が2割安い',
    content: '失注しました',
  });

  await report(REP, { customer: '=HYPERLINK("http://evil.example","保守")', title: '物流, "特急" 案件' });
  const factory = await report(REP2, {
    customer: '山田製作所',
    title: '生産管理の更改',
    industry: '製造業',
    amount: '1,200万',
  });
  await progress(REP2, factory, { status: 'won', amount: '1,500万', content: '物流部門にも展開予定' });
  for (let n = 1; n <= 11; n += 1)
    await report(REP2, { customer: `顧客${n}`, title: `保守契約 ${n}`, industry: '製造業' });
}, 60_000);

afterAll(async () => {
  await h.close();
});

describe('searching past deals', () => {
  it('opens from the home tab and finds two-character words in comments, edits and progress, across widths', async () => {
    const { results } = await searchFor(MEMBER, { keywords: 'abc 価格' });
    expect(results?.callback_id).toBe(CALLBACK.searchModal);
    expect(resultNames(results)).toHaveLength(1);
    expect(readable(results)).toContain('株式会社ＡＢＣ物流 / 倉庫管理システムの保守');
    expect(readable(results)).toContain('1 件');
    // The edited comment is found by its new words only.
    expect(resultNames((await searchFor(MEMBER, { keywords: '刷新' })).results)).toHaveLength(1);
    expect(resultNames((await searchFor(MEMBER, { keywords: '更改の時期' })).results)).toHaveLength(0);
    // 物流 is in one deal's customer, another's title and another's progress note.
    expect(resultNames((await searchFor(MEMBER, { keywords: '物流' })).results)).toHaveLength(3);
  });

  it('shows the status and the amount as the channel sees them: 失注 only to its owner and the leaders', async () => {
    const [member] = resultNames((await searchFor(MEMBER, { keywords: '倉庫' })).results);
    expect(member).toContain('クローズ');
    expect(member).not.toContain('失注');
    expect(member).toContain('800万円');
    expect(resultNames((await searchFor(REP, { keywords: '倉庫' })).results)[0]).toContain('失注');
    expect(resultNames((await searchFor(LEADER, { keywords: '倉庫' })).results)[0]).toContain('失注');
    // The loss note is never searchable.
    expect(resultNames((await searchFor(LEADER, { keywords: '2割' })).results)).toHaveLength(0);
  });

  it('combines words with filters and links each result to its thread', async () => {
    const { results } = await searchFor(MEMBER, { keywords: '更改', industry: '製造業', status: 'won', owner: REP2 });
    expect(resultNames(results)).toHaveLength(1);
    const row = resultNames(results)[0] ?? '';
    const cardTs = h.store.queries.getDeal(3)?.cardTs ?? '';
    expect(row).toContain(`/archives/${SALES_CHANNEL}/p${cardTs.replace('.', '')}|山田製作所 / 生産管理の更改>`);
    expect(row).toContain('受注');
    expect(row).toContain('1,200万円');
  });

  it('finds the deals of a period, by the date reported or the date closed', async () => {
    const today = teamToday();
    const reported = await searchFor(MEMBER, { industry: '製造業', from: today, to: today });
    // 山田製作所 and 顧客1 … 顧客11, all reported today, newest first.
    expect(readable(reported.results)).toContain('12 件・新しい順 (1〜10 件目)');
    expect(resultNames(reported.results)[0]).toContain('顧客11');
    const closed = await searchFor(MEMBER, { periodBasis: 'closed', from: today, to: today });
    expect(resultNames(closed.results).map((row) => row.split('|')[1]?.split('>')[0])).toEqual([
      '山田製作所 / 生産管理の更改',
      '株式会社ＡＢＣ物流 / 倉庫管理システムの保守',
    ]);
    const past = await searchFor(MEMBER, { industry: '製造業', from: '2020-01-01', to: '2020-01-31' });
    expect(readable(past.results)).toContain('条件に合う案件はありません。');
  });

  it('pages ten at a time, newest first, with the total', async () => {
    const { view: opened, results } = await searchFor(MEMBER, { keywords: '保守' });
    expect(readable(results)).toContain('13 件');
    expect(resultNames(results)).toHaveLength(10);
    expect(resultNames(results)[0]).toContain('顧客11');
    // The modal as Slack shows it after the submission's response_action: update.
    const view = { ...(h.fake.viewById(opened.id) as FakeView), ...(results as object) } as FakeView;
    await h.sender.blockAction({
      userId: MEMBER,
      actionId: ACTION.searchPage,
      value: findButton(view.blocks, ACTION.searchPage).value,
      triggerId: h.fake.issueTriggerId({ userId: MEMBER }),
      container: { type: 'view', view_id: view.id },
      view,
    });
    await h.settle();
    const second = h.fake.viewById(view.id) as FakeView;
    expect(resultNames(second)).toHaveLength(3);
    expect(readable(second)).toContain('11〜13 件目');
    expect(resultNames(second).at(-1)).toContain('倉庫管理システムの保守');
    expect(second.blocks.length).toBeLessThanOrEqual(100);
  });

  it('opens from /案件 検索 and /anken search with the words filled in, and 詳細 stacks on the results', async () => {
    const { view } = await runCommand(h, MEMBER, '/案件');
    expect(view?.callback_id).toBe(CALLBACK.reportModal);
    const response = await h.sender.slashCommand({
      command: '/anken',
      text: 'search　保守契約',
      userId: MEMBER,
      triggerId: h.fake.issueTriggerId({ userId: MEMBER }),
    });
    expect(response.status).toBe(200);
    const opened = h.fake.okCallsTo('views.open').at(-1)?.args.view as FakeView;
    expect(opened.callback_id).toBe(CALLBACK.searchModal);
    expect(JSON.stringify(opened.blocks)).toContain('"initial_value":"保守契約"');
    expect(resultNames(opened)).toHaveLength(10);

    const search = h.fake.openViews.at(-1) as FakeView;
    const pushed = h.fake.okCallsTo('views.push').length;
    await h.sender.blockAction({
      userId: MEMBER,
      actionId: ACTION.openDetails,
      value: findButton(search.blocks, ACTION.openDetails).value,
      triggerId: h.fake.issueTriggerId({ userId: MEMBER, viewId: search.id }),
      container: { type: 'view', view_id: search.id },
      view: search,
    });
    expect(h.fake.okCallsTo('views.push')).toHaveLength(pushed + 1);
    expect(readable(h.fake.openViews.at(-1))).toContain('保守契約 11');
  });

  it("exports the results as CSV to a leader's DM: BOM, CRLF, quoting and no formulas", async () => {
    const { view: opened, results } = await searchFor(LEADER, { keywords: '物流' });
    const view = { ...(h.fake.viewById(opened.id) as FakeView), ...(results as object) } as FakeView;
    const before = h.fake.files.length;
    await tapInModal(LEADER, view, ACTION.exportCsv, 'csv');
    expect(readable(h.fake.openViews.at(-1))).toContain('CSV を作成して DM でお送りします');
    for (let i = 0; i < 400 && h.fake.files.length === before; i += 1) await new Promise((r) => setTimeout(r, 25));
    const file = h.fake.files.at(-1);
    expect(file?.channel).toBe(h.fake.dmChannelOf(LEADER));
    expect(file?.filename).toMatch(/^anken-deals-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file?.initialComment).toContain('3 件');
    const csv = file?.bytes.toString('utf8') ?? '';
    expect(csv.startsWith('\uFEFF案件番号,顧客名,案件名,業種,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(5); // header, three deals, and the empty string after the last CRLF
    expect(lines.at(-1)).toBe('');
    expect(lines[1]).toMatch(/^3,山田製作所,生産管理の更改,製造業,,受注,12000000,15000000,/);
    expect(lines[2]).toContain(`2,"'=HYPERLINK(""http://evil.example"",""保守"")","物流, ""特急"" 案件"`);
    expect(lines.find((line) => line.includes('倉庫管理システムの保守'))).toMatch(
      /失注,8000000,,.*,価格,他社が2割安い,/,
    );
  });

  it('offers the CSV export to leaders only', async () => {
    const { results } = await searchFor(MEMBER, { keywords: '物流' });
    expect(JSON.stringify(results)).not.toContain(ACTION.exportCsv);
    const { view: opened, results: leaderResults } = await searchFor(LEADER, { keywords: '物流' });
    const view = { ...(h.fake.viewById(opened.id) as FakeView), ...(leaderResults as object) } as FakeView;
    const before = h.fake.files.length;
    await tapInModal(MEMBER, view, ACTION.exportCsv, 'csv');
    expect(readable(h.fake.openViews.at(-1))).toContain('営業リーダだけ');
    expect(h.fake.files).toHaveLength(before);
  });

  it('refuses guests and people of other workspaces, and checks the dates', async () => {
    for (const [userId, teamId] of [
      [GUEST, undefined],
      [FOREIGN, FOREIGN_TEAM],
    ] as const) {
      await h.sender.slashCommand({
        command: '/案件',
        text: '検索 保守',
        userId,
        ...(teamId ? { teamId } : {}),
        triggerId: h.fake.issueTriggerId({ userId }),
      });
      // The refusal follows the answer, through the command's response_url.
      expect(JSON.stringify(h.fake.responseUrlPosts.at(-1)?.body)).toMatch(/ゲスト|社内のメンバー/);
    }
    const { response } = await searchFor(MEMBER, { from: '2026-12-01', to: '2026-11-01' });
    expect(response.body).toEqual({
      response_action: 'errors',
      errors: { [FILTER_BLOCK.to]: '期間の終了日は開始日と同じか、それより後の日付を選んでください。' },
    });
  });
});
