/**
 * Admins change the team's settings from the App Home, through Slack: option lists, leaders and
 * admins, the sales channel, and the reminders' schedule and thresholds. Changes apply to the very
 * next request, are stored with an audit list, and bad input is refused inline with nothing stored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ACTION,
  inputActionId,
  REPORT_BLOCK,
  SETTINGS_BLOCK,
  settingsListActionId,
  settingsTunableBlock,
} from '../../src/ids.js';
import { DEFAULT_OPTION_LISTS, type OptionListKey } from '../../src/workflow/options.js';
import { TUNABLES } from '../../src/workflow/tunables.js';
import type { FakeView } from '../support/fake-slack.js';
import {
  progressValues,
  readable,
  reportValues,
  runCommand,
  submit,
  tapButton,
  tapHomeButton,
  teamToday,
} from '../support/flows.js';
import {
  FOREIGN,
  GUEST,
  type Harness,
  LEADER,
  LEADER2,
  REP,
  REP2,
  SALES_CHANNEL,
  startHarness,
} from '../support/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

const NOT_ADMIN = 'この操作は管理者だけが行えます。';
const defaultLines = (list: OptionListKey) => DEFAULT_OPTION_LISTS[list].map((option) => option.label).join('\n');

function state(blockId: string, element: Record<string, unknown>) {
  return { [blockId]: { [inputActionId(blockId)]: element } };
}

const linesState = (text: string) => state(SETTINGS_BLOCK.lines, { type: 'plain_text_input', value: text });

async function openList(userId: string, list: OptionListKey): Promise<FakeView> {
  const { view } = await tapHomeButton(h, userId, settingsListActionId(list), list);
  if (!view) throw new Error('the settings modal did not open');
  return view;
}

async function saveList(userId: string, list: OptionListKey, text: string) {
  return submit(h, userId, await openList(userId, list), linesState(text));
}

/** The choices a select of a modal offers, as [value, label]. */
function offered(view: FakeView, blockId: string): Array<[string, string]> {
  const block = view.blocks.find((b) => (b as { block_id?: string }).block_id === blockId) as {
    element: { options: Array<{ value: string; text: { text: string } }> };
  };
  return block.element.options.map((option) => [option.value, option.text.text]);
}

async function reportDeal(input: Parameters<typeof reportValues>[0]) {
  const { view } = await runCommand(h, REP);
  await submit(h, REP, view!, reportValues(input, REP));
  await h.settle();
}

async function openDetails(channel: string, dealId: number) {
  const deal = h.store.queries.getDeal(dealId)!;
  const card = h.fake.message(channel, deal.cardTs!)!;
  const { view } = await tapButton(h, REP, card, ACTION.openDetails);
  return readable(view);
}

function nothingStored() {
  expect(h.store.settings.stored().size).toBe(0);
  expect(h.store.settings.auditLog(50)).toEqual([]);
}

describe('the 設定 section', () => {
  it('is on the App Home of admins only', async () => {
    for (const user of [LEADER, REP]) {
      await h.sender.event({ event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' } });
    }
    await h.settle();
    expect(readable(h.fake.homeOf(LEADER))).toContain('設定 (管理者)');
    expect(readable(h.fake.homeOf(LEADER))).toContain('業種 12');
    expect(readable(h.fake.homeOf(REP))).not.toContain('設定');
  });
});

describe('option lists', () => {
  it('offers a new 業種 in the very next report modal, and the deal shows it', async () => {
    const saved = await saveList(LEADER, 'industry', `${defaultLines('industry')}\n農業・林業`);
    expect(saved.body).toMatchObject({ response_action: 'update' });
    expect(readable((saved.body as { view: unknown }).view)).toContain('業種: 追加: 農業・林業');

    const { view } = await runCommand(h, REP);
    expect(offered(view!, REPORT_BLOCK.industry)).toContainEqual(['農業・林業', '農業・林業']);
    await submit(h, REP, view!, reportValues({ industry: '農業・林業' }, REP));
    await h.settle();
    expect(h.store.queries.getDeal(1)?.industry).toBe('農業・林業');
    expect(readable(h.fake.messagesIn(SALES_CHANNEL).at(-1))).toContain('農業・林業');
  });

  it('stops offering a retired option while old deals keep and show it, and shows a rename everywhere', async () => {
    await reportDeal({ industry: '製造業' });
    await reportDeal({ industry: '建設業' });
    const before = await runCommand(h, REP);
    const lines = defaultLines('industry').replace('製造業\n', '').replace('建設業', '建設業 → 建設・土木');
    const saved = await saveList(LEADER, 'industry', lines);
    expect(readable((saved.body as { view: unknown }).view)).toContain(
      '名前の変更: 建設業 → 建設・土木 / 廃止: 製造業',
    );

    const { view } = await runCommand(h, REP);
    const choices = offered(view!, REPORT_BLOCK.industry);
    expect(choices).not.toContainEqual(['製造業', '製造業']);
    expect(choices).toContainEqual(['建設業', '建設・土木']);
    // Stored rows are not rewritten: the id stays, the label changed.
    expect(h.store.queries.getDeal(2)?.industry).toBe('建設業');
    expect(await openDetails(SALES_CHANNEL, 1)).toContain('製造業');
    const renamed = await openDetails(SALES_CHANNEL, 2);
    expect(renamed).toContain('建設・土木');
    expect(renamed).not.toContain('*業種*\n建設業');

    // The next card update shows the new label too.
    const card = h.fake.message(SALES_CHANNEL, h.store.queries.getDeal(2)!.cardTs!)!;
    const progress = await tapButton(h, REP, card, ACTION.openProgress);
    await submit(h, REP, progress.view!, progressValues({}, teamToday()));
    await h.settle();
    expect(readable(h.fake.message(SALES_CHANNEL, card.ts))).toContain('建設・土木');

    // A report modal opened before the retirement may still send the option it offered.
    const late = await submit(h, REP, before.view!, reportValues({ industry: '製造業' }, REP));
    expect(late.body).toMatchObject({ response_action: 'update' });
    await h.settle();
    expect(h.store.queries.getDeal(3)?.industry).toBe('製造業');
  });

  it.each([
    ['an empty list', ' \n\n', '選択肢を1つ以上入力してください (1行に1つ)。'],
    ['a duplicate option', '紹介\n展示会\n紹介', '3行目: 「紹介」が重複しています (1行目と同じ)。'],
    [
      'an option over 75 characters',
      `紹介\n${'長'.repeat(76)}`,
      '2行目: 選択肢は75文字以内にしてください (いま76文字)。',
    ],
    [
      'more than 100 options',
      Array.from({ length: 101 }, (_, i) => `経路${i + 1}`).join('\n'),
      '101行目: 選択肢は100個までです (いま101個)。',
    ],
  ])('refuses %s inline, naming the line, and stores nothing', async (_what, text, message) => {
    const response = await saveList(LEADER, 'source', text);
    expect(response.body).toEqual({ response_action: 'errors', errors: { [SETTINGS_BLOCK.lines]: message } });
    nothingStored();
  });
});

describe('who may change settings', () => {
  it('refuses a non-admin at the button and at submission', async () => {
    const tap = await tapHomeButton(h, REP, settingsListActionId('industry'), 'industry');
    expect(readable(tap.view)).toContain(NOT_ADMIN);
    const forged = await submit(h, REP, await openList(LEADER, 'industry'), linesState('製造業'));
    expect(readable((forged.body as { view: unknown }).view)).toContain(NOT_ADMIN);
    const audit = await tapHomeButton(h, REP, ACTION.openSettingsAudit, 'audit');
    expect(readable(audit.view)).toContain(NOT_ADMIN);
    nothingStored();
  });

  it('refuses a modal submitted by someone who stopped being an admin after opening it', async () => {
    const stale = await openList(LEADER2, 'industry');
    const people = await tapHomeButton(h, LEADER, ACTION.openSettingsPeople, 'people');
    const removed = await submit(h, LEADER, people.view!, {
      ...state(SETTINGS_BLOCK.leaders, { type: 'multi_users_select', selected_users: [LEADER, LEADER2] }),
      ...state(SETTINGS_BLOCK.admins, { type: 'multi_users_select', selected_users: [LEADER] }),
    });
    expect(removed.body).toMatchObject({ response_action: 'update' });
    const refused = await submit(h, LEADER2, stale, linesState('製造業'));
    expect(readable((refused.body as { view: unknown }).view)).toContain(NOT_ADMIN);
    expect(h.store.settings.stored().has('list:industry')).toBe(false);
  });

  it('tells the second of two admins saving at once that the settings changed, and keeps the first', async () => {
    const first = await openList(LEADER, 'source');
    const second = await openList(LEADER2, 'source');
    await submit(h, LEADER, first, linesState(`${defaultLines('source')}\nセミナー`));
    const late = await submit(h, LEADER2, second, linesState(`${defaultLines('source')}\nDM`));
    expect(late.body).toEqual({
      response_action: 'errors',
      errors: { [SETTINGS_BLOCK.lines]: expect.stringContaining('他の管理者が設定を変更しました') },
    });
    const labels = (await openList(LEADER2, 'source')).blocks.map((block) => JSON.stringify(block)).join('');
    expect(labels).toContain('セミナー');
    expect(labels).not.toContain('\\nDM');
    expect(h.store.settings.auditLog(50)).toHaveLength(1);
  });
});

describe('leaders and admins', () => {
  const peopleState = (leaders: string[], admins: string[]) => ({
    ...state(SETTINGS_BLOCK.leaders, { type: 'multi_users_select', selected_users: leaders }),
    ...state(SETTINGS_BLOCK.admins, { type: 'multi_users_select', selected_users: admins }),
  });

  it.each([
    ['a guest', [LEADER, GUEST], [LEADER], SETTINGS_BLOCK.leaders, 'ゲストのため選べません'],
    ['a bot', [LEADER], [LEADER, 'UBOT'], SETTINGS_BLOCK.admins, 'ボットのため選べません'],
    ['another workspace', [FOREIGN], [LEADER], SETTINGS_BLOCK.leaders, '他のワークスペースのメンバー'],
    ['no admin at all', [LEADER], [], SETTINGS_BLOCK.admins, '管理者を1人以上選んでください。'],
  ])('refuses %s inline', async (_what, leaders, admins, blockId, message) => {
    const { view } = await tapHomeButton(h, LEADER, ACTION.openSettingsPeople, 'people');
    const response = await submit(h, LEADER, view!, peopleState(leaders, admins));
    expect(response.body).toEqual({
      response_action: 'errors',
      errors: { [blockId]: expect.stringContaining(message) },
    });
    nothingStored();
  });

  it('applies new leaders to the very next deal', async () => {
    const { view } = await tapHomeButton(h, LEADER, ACTION.openSettingsPeople, 'people');
    await submit(h, LEADER, view!, peopleState([LEADER, REP2], [LEADER]));
    await reportDeal({});
    expect(h.fake.dmMessagesTo(REP2).some((m) => readable(m).includes('助言'))).toBe(true);
    expect(h.fake.dmMessagesTo(LEADER2).some((m) => readable(m).includes('助言'))).toBe(false);
    await h.sender.event({ event: { type: 'app_home_opened', user: LEADER2, channel: 'D0HOME', tab: 'home' } });
    await h.settle();
    expect(readable(h.fake.homeOf(LEADER2))).not.toContain('設定 (管理者)');
  });
});

describe('the sales channel', () => {
  const channelState = (channel: string) =>
    state(SETTINGS_BLOCK.channel, { type: 'conversations_select', selected_conversation: channel });

  async function saveChannel(channel: string) {
    const { view } = await tapHomeButton(h, LEADER, ACTION.openSettingsChannel, 'channel');
    return submit(h, LEADER, view!, channelState(channel));
  }

  it('is refused until the bot is a member; then new cards go there and old threads stay', async () => {
    await reportDeal({});
    h.fake.addChannel('C0NEWSALES', { isMember: false, name: '新営業' });
    h.fake.addChannel('G0SECRET', { isMember: false, isPrivate: true });
    for (const channel of ['C0NEWSALES', 'G0SECRET']) {
      const refused = await saveChannel(channel);
      expect(refused.body).toEqual({
        response_action: 'errors',
        errors: { [SETTINGS_BLOCK.channel]: expect.stringContaining('/invite @anken') },
      });
    }
    nothingStored();

    h.fake.addChannel('C0NEWSALES', { isMember: true, name: '新営業' });
    expect((await saveChannel('C0NEWSALES')).body).toMatchObject({ response_action: 'update' });
    await reportDeal({ customer: '新チャンネル商事' });
    expect(readable(h.fake.messagesIn('C0NEWSALES').at(-1))).toContain('新チャンネル商事');

    const oldCard = h.fake.messagesIn(SALES_CHANNEL)[0]!;
    const progress = await tapButton(h, REP, oldCard, ACTION.openProgress);
    await submit(h, REP, progress.view!, progressValues({ content: '元のスレッドへ' }, teamToday()));
    await h.settle();
    expect(readable(h.fake.repliesTo(SALES_CHANNEL, oldCard.ts).at(-1))).toContain('元のスレッドへ');
  });
});

describe('reminders and thresholds', () => {
  /** Every field as the modal shows it, but the schedule and the interval typed anew. */
  function tunablesState(view: FakeView, typed: Record<string, string>) {
    return Object.assign(
      {},
      ...TUNABLES.map((spec) => {
        const blockId = settingsTunableBlock(spec.key);
        const block = view.blocks.find((b) => (b as { block_id?: string }).block_id === blockId) as {
          element: { initial_value?: string };
        };
        const value = typed[spec.key] ?? block.element.initial_value ?? '';
        return state(blockId, { type: 'plain_text_input', value });
      }),
    );
  }

  async function saveTunables(schedule: string, days: string, more: Record<string, string> = {}) {
    const { view } = await tapHomeButton(h, LEADER, ACTION.openSettingsTunables, 'tunables');
    const typed = { reminderSchedule: schedule, progressIntervalDays: days, ...more };
    return submit(h, LEADER, view!, tunablesState(view!, typed));
  }

  it.each([
    ['a schedule that does not parse', '毎朝9時', '7', 'reminderSchedule', 'cron 形式として読めません'],
    ['a threshold out of range', '0 10 * * 1-5', '120', 'progressIntervalDays', '1〜90日の整数で入力してください。'],
  ])('refuses %s inline', async (_what, schedule, days, key, message) => {
    const response = await saveTunables(schedule, days);
    expect(response.body).toEqual({
      response_action: 'errors',
      errors: { [settingsTunableBlock(key)]: expect.stringContaining(message) },
    });
    nothingStored();
  });

  it('changes the reminder schedule and the progress interval without a restart', async () => {
    await reportDeal({});
    expect((await saveTunables('0 9 * * 1-5', '14')).body).toMatchObject({ response_action: 'update' });
    expect(h.anken.jobs.find((job) => job.name === 'reminders')?.schedule()).toBe('0 9 * * 1-5');
    const card = h.fake.messagesIn(SALES_CHANNEL)[0]!;
    const { view } = await tapButton(h, REP, card, ACTION.openProgress);
    expect(readable(view)).toContain('空欄なら14日後です');
  });

  it('changes when the weekly digest goes out, and refuses a schedule that does not parse', async () => {
    const refused = await saveTunables('0 10 * * 1-5', '7', { digestSchedule: '月曜9時' });
    expect(refused.body).toEqual({
      response_action: 'errors',
      errors: { [settingsTunableBlock('digestSchedule')]: expect.stringContaining('cron 形式として読めません') },
    });
    expect(h.anken.jobs.find((job) => job.name === 'digest')?.schedule()).toBe('0 9 * * 1');
    const saved = await saveTunables('0 10 * * 1-5', '7', { digestSchedule: '30 8 * * 5' });
    expect(saved.body).toMatchObject({ response_action: 'update' });
    expect(h.anken.jobs.find((job) => job.name === 'digest')?.schedule()).toBe('30 8 * * 5');
  });
});

describe('the audit list', () => {
  it('shows admins who changed what and when, newest first', async () => {
    await saveList(LEADER, 'lossReason', `${defaultLines('lossReason')}\n社内事情`);
    await saveList(
      LEADER2,
      'activityType',
      defaultLines('activityType').replace('メール', 'メール → メール・チャット'),
    );
    const { view } = await tapHomeButton(h, LEADER, ACTION.openSettingsAudit, 'audit');
    const text = readable(view);
    expect(text).toContain('新しい順に 2 件');
    expect(text.indexOf('活動種別: 名前の変更: メール → メール・チャット')).toBeLessThan(
      text.indexOf('失注理由: 追加: 社内事情'),
    );
    expect(text).toContain(`<@${LEADER2}>`);
  });
});
