import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, ADVICE_BLOCK, inputActionId, PROGRESS_BLOCK, REPORT_BLOCK } from '../../src/ids.js';
import {
  adviceValues,
  type ProgressInput,
  pressStaleButton,
  progressValues,
  type ReportInput,
  radio,
  readable,
  reportValues,
  runCommand,
  submit,
  teamToday,
} from '../support/flows.js';
import { type Harness, LEADER, REP, SALES_CHANNEL, slackMode, startHarness } from '../support/harness.js';
import { encodeForm, type SlackDelivery, type SlackHttpResponse } from '../support/slack-requests.js';

/** Bad input gets a specific Japanese inline error and changes nothing; malformed requests never crash the bot. */

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const { view } = await runCommand(h, REP);
  await submit(h, REP, view!, reportValues({ customer: '基準の案件' }, REP));
  await h.settle();
});

afterAll(async () => {
  await h.close();
});

function snapshot() {
  const count = (table: string) => (h.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { deals: count('deals'), timeline: count('timeline'), tasks: count('tasks'), outbox: count('outbox') };
}

const B = REPORT_BLOCK;
const P = PROGRESS_BLOCK;

const reportCases: Array<[string, ReportInput, string, string]> = [
  ['empty 顧客名', { customer: '' }, B.customer, '顧客名を入力してください'],
  ['blank 顧客名', { customer: '　 ' }, B.customer, '顧客名を入力してください'],
  ['over-long 顧客名', { customer: '株'.repeat(101) }, B.customer, '100文字以内'],
  ['a bell in 顧客名', { customer: '株式会社\u0007ベル' }, B.customer, '使えない文字'],
  ['a newline in 顧客名', { customer: '株式会社\nサンプル' }, B.customer, '使えない文字'],
  ['a right-to-left override in 案件名', { title: '更改\u202Egnp.exe' }, B.title, '使えない文字'],
  ['empty 案件名', { title: null }, B.title, '案件名を入力してください'],
  ['over-long 案件名 with emoji', { title: '🚀'.repeat(101) }, B.title, '100文字以内'],
  ['amount in dollars', { amount: '100ドル' }, B.amount, '1,200万'],
  ['negative amount', { amount: '-1' }, B.amount, 'マイナス'],
  ['negative amount in 三角', { amount: '▲500万' }, B.amount, 'マイナス'],
  ['amount with sen', { amount: '1.5' }, B.amount, '1円未満'],
  ['amount of 1兆', { amount: '10000億' }, B.amount, '1兆円未満'],
  ['misplaced commas', { amount: '12,00' }, B.amount, '1,200万'],
  ['an amount missing its 万', { amount: '2億5千' }, B.amount, '2億5千万円のことですか？'],
  ['an amount with overlapping units', { amount: '1億12000万' }, B.amount, '位が重なっています'],
  ['impossible date', { expectedCloseDate: '2026-02-30' }, B.expectedCloseDate, '実在する日付'],
  ['date before 2000', { expectedCloseDate: '1999-12-31' }, B.expectedCloseDate, '2000年〜2099年'],
  ['date after 2099', { expectedCloseDate: '2100-01-01' }, B.expectedCloseDate, '2000年〜2099年'],
  ['date in words', { expectedCloseDate: 'tomorrow' }, B.expectedCloseDate, '実在する日付'],
  ['unknown 業種', { industry: '宇宙産業' }, B.industry, '業種の選択肢'],
  ['unknown 会社規模', { companySize: '100万人' }, B.companySize, '会社規模の選択肢'],
  ['unknown 発生経路', { source: '夢' }, B.source, '案件発生経路の選択肢'],
  ['over-long 顧客担当者', { contactName: 'あ'.repeat(101) }, B.contactName, '100文字以内'],
  ['over-long 案件概要', { description: 'あ'.repeat(2_001) }, B.description, '2000文字以内'],
  ['no 担当営業', { owner: null }, B.owner, '担当営業を選んでください'],
  ['a 担当営業 that is no user id', { owner: '<!channel>' }, B.owner, '担当営業を選んでください'],
];

const progressCases: Array<[string, ProgressInput, string, string]> = [
  ['empty 内容', { content: '' }, P.content, '内容を入力してください'],
  ['over-long 内容', { content: 'あ'.repeat(2_001) }, P.content, '2000文字以内'],
  ['a null byte in 内容', { content: '見積\u0000提出' }, P.content, '使えない文字'],
  ['no 活動日', { activityDate: null }, P.activityDate, '活動日を選んでください'],
  ['a future 活動日', { activityDate: '2099-12-31' }, P.activityDate, '未来の日付'],
  ['an impossible 活動日', { activityDate: '2025-13-01' }, P.activityDate, '実在する日付'],
  ['unknown 活動種別', { activityType: '宴会' }, P.activityType, '活動種別の選択肢'],
  ['bad 金額', { amount: '見積中' }, P.amount, '金額'],
  ['a 金額 missing its 万', { amount: '1億5000' }, P.amount, '1億5000万円のことですか？'],
  ['a 金額 with overlapping units', { amount: '1.2億5000万' }, P.amount, '「1.2億」と「5000万」の位が重なっています'],
  ['over-long 次のアクション', { nextAction: 'あ'.repeat(201) }, P.nextAction, '200文字以内'],
  ['a past 期日', { nextActionDue: '2020-01-01' }, P.nextActionDue, '今日以降'],
  ['失注 without a reason', { status: 'lost' }, P.lossReason, '失注理由を選んでください'],
  ['失注 その他 without details', { status: 'lost', lossReason: 'その他' }, P.lossDetail, '詳細を入力してください'],
  ['a reason while 商談中', { lossReason: '価格' }, P.lossReason, '状況が「失注」のときだけ'],
  ['unknown 失注理由', { status: 'lost', lossReason: '運' }, P.lossReason, '失注理由の選択肢'],
  [
    'over-long 失注理由の詳細',
    { status: 'lost', lossReason: '価格', lossDetail: 'あ'.repeat(2_001) },
    P.lossDetail,
    '2000文字以内',
  ],
];

describe('inline errors in the 案件発生報告 modal', () => {
  it.each(reportCases)('%s', async (_what, input, blockId, message) => {
    const before = snapshot();
    const { view } = await runCommand(h, REP);
    const response = await submit(h, REP, view!, reportValues(input, REP));
    expect(response.body).toMatchObject({
      response_action: 'errors',
      errors: { [blockId]: expect.stringContaining(message) },
    });
    expect(snapshot()).toEqual(before);
  });
});

describe('amounts as people type them in the 案件発生報告 modal', () => {
  it.each([
    ['約一億二千万', 120_000_000, '1億2,000万円'],
    ['1、200万', 12_000_000, '1,200万円'],
    ['-', null, null],
    ['未定', null, null],
  ])('stores %s as %s', async (typed, stored, shown) => {
    const { view } = await runCommand(h, REP);
    const customer = `金額${typed}の案件`;
    const response = await submit(h, REP, view!, reportValues({ customer, amount: typed }, REP));
    expect(response.body).toMatchObject({ response_action: 'update' });
    await h.settle();
    const deal = h.store.db.prepare('SELECT amount FROM deals WHERE customer = ?').get(customer);
    expect(deal).toEqual({ amount: stored });
    const card = readable(h.fake.messagesIn(SALES_CHANNEL).at(-1));
    expect(card).toContain(customer);
    if (shown) expect(card).toContain(shown);
    else expect(card).not.toContain('見込み金額');
  });
});

describe('inline errors in the progress modal', () => {
  it.each(progressCases)('%s', async (_what, input, blockId, message) => {
    const before = snapshot();
    const { view } = await pressStaleButton(h, REP, ACTION.openProgress, '1');
    const response = await submit(h, REP, view!, progressValues(input, teamToday()));
    expect(response.body).toMatchObject({
      response_action: 'errors',
      errors: { [blockId]: expect.stringContaining(message) },
    });
    expect(snapshot()).toEqual(before);
  });

  it('an unknown 状況', async () => {
    const { view } = await pressStaleButton(h, REP, ACTION.openProgress, '1');
    const values = progressValues({}, teamToday());
    values[P.status] = { [inputActionId(P.status)]: radio('paused') };
    const response = await submit(h, REP, view!, values);
    expect(response.body).toMatchObject({
      response_action: 'errors',
      errors: { [P.status]: expect.stringContaining('状況の選択肢') },
    });
  });
});

describe('inline errors in the advice modal', () => {
  it.each([
    ['empty advice', '', '助言・戦略の指示を入力してください'],
    ['over-long advice', 'あ'.repeat(2_001), '2000文字以内'],
    ['an escape character in advice', '\u001b[31m赤字\u001b[0m', '使えない文字'],
  ])('%s', async (_what, text, message) => {
    const before = snapshot();
    const { view } = await pressStaleButton(h, LEADER, ACTION.openAdvice, '1');
    const response = await submit(h, LEADER, view!, adviceValues(text));
    expect(response.body).toMatchObject({
      response_action: 'errors',
      errors: { [ADVICE_BLOCK.text]: expect.stringContaining(message) },
    });
    expect(snapshot()).toEqual(before);
  });
});

describe('malformed requests', () => {
  const deliver = (kind: SlackDelivery['kind'], payload: Record<string, unknown>) =>
    h.sender.deliver({ kind, payload });

  /** Bodies that are not even JSON: an HTTP request's, or a Socket Mode frame's. */
  const unreadable: Array<[string, () => Promise<SlackHttpResponse | null>]> =
    slackMode() === 'http'
      ? [
          [
            'a payload that is not JSON',
            () => h.sender.post(encodeForm([['payload', '{not json']]), 'application/x-www-form-urlencoded'),
          ],
          ['a body that is not JSON at all', () => h.sender.post('{"type":', 'application/json')],
        ]
      : [
          [
            'a frame that is not JSON',
            async () => {
              h.socket!.sendRaw('{"type":');
              return null;
            },
          ],
        ];

  it.each<[string, () => Promise<SlackHttpResponse | null>]>([
    ...unreadable,
    ['a payload of the wrong type', () => deliver('interactive', { type: 'no_such_type' })],
    [
      'block_actions without actions',
      () => deliver('interactive', { type: 'block_actions', user: { id: REP }, actions: [] }),
    ],
    [
      'an unknown action id',
      () =>
        h.sender.blockAction({
          userId: REP,
          actionId: 'no_such_action',
          value: '1',
          triggerId: h.fake.issueTriggerId(),
          container: { type: 'message', channel_id: SALES_CHANNEL, message_ts: '1.1' },
        }),
    ],
    [
      'a view submission without state',
      () =>
        deliver('interactive', {
          type: 'view_submission',
          user: { id: REP, team_id: 'T0TEAM' },
          team: { id: 'T0TEAM' },
          view: { id: 'V0BAD', callback_id: 'deal_progress_modal', private_metadata: '{"dealId":1}' },
        }),
    ],
    [
      'a view submission with empty values',
      () =>
        h.sender.viewSubmission({
          userId: REP,
          view: { id: 'V0EMPTY', callback_id: 'deal_report_modal', private_metadata: '', state: { values: {} } },
        }),
    ],
    ['an event without its event', () => deliver('events_api', { type: 'event_callback', team_id: 'T0TEAM' })],
    [
      'a thread reply without a user or text',
      () => h.sender.event({ event: { type: 'message', channel: SALES_CHANNEL, ts: '1.2', thread_ts: '1.1' } }),
    ],
    [
      'an edit of a message that was never kept',
      () =>
        h.sender.event({
          event: { type: 'message', subtype: 'message_changed', channel: SALES_CHANNEL, message: { text: 'x' } },
        }),
    ],
    [
      'a slash command without a trigger id',
      () => deliver('slash_commands', { command: '/anken', user_id: REP, team_id: 'T0TEAM', text: '' }),
    ],
  ])('%s changes nothing and leaves the bot working', async (_what, send) => {
    const before = snapshot();
    const response = await send();
    if (response) expect(response.status).toBeLessThan(600);
    await h.anken.idle();
    expect(snapshot()).toEqual(before);
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });

  it('still serves people after all of the above', async () => {
    const { view } = await runCommand(h, REP);
    const response = await submit(h, REP, view!, reportValues({ customer: '最後の案件' }, REP));
    expect(readable((response.body as { view: unknown }).view)).toContain('登録し');
  });
});
