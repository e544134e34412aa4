import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, FILTER_BLOCK, inputActionId, SETTINGS_BLOCK, settingsListActionId } from '../../src/ids.js';
import { DEFAULT_OPTION_LISTS } from '../../src/workflow/options.js';
import type { FakeMessage } from '../support/fake-slack.js';
import {
  date,
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
import { type Harness, LEADER, LEADER2, MEMBER, REP, REP2, SALES_CHANNEL, startHarness } from '../support/harness.js';

let h: Harness;

async function closedDeal(
  owner: string,
  industry: string,
  outcome: 'won' | 'lost',
  reason: string | null = null,
  customer = '株式会社サンプル',
) {
  const { view } = await runCommand(h, owner);
  if (!view) throw new Error('report modal did not open');
  await submit(h, owner, view, reportValues({ customer, industry, companySize: '50〜299名', amount: '100万' }, owner));
  await h.settle();
  const card = h.fake.messagesIn(SALES_CHANNEL).at(-1) as FakeMessage;
  const progress = await tapButton(h, owner, h.fake.message(SALES_CHANNEL, card.ts) ?? card, ACTION.openProgress);
  if (!progress.view) throw new Error('progress modal did not open');
  await submit(
    h,
    owner,
    progress.view,
    progressValues({ status: outcome, lossReason: reason, content: '結果' }, teamToday()),
  );
  await h.settle();
}

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function analysisValues(view: { blocks: unknown[] }, owner: string | null, keywords: string | null) {
  const initial = (blockId: string) =>
    ((view.blocks as Array<{ block_id?: string; element?: { initial_date?: string } }>).find(
      (b) => b.block_id === blockId,
    )?.element?.initial_date ?? null) as string | null;
  const entry = (blockId: string, state: unknown) => [blockId, { [inputActionId(blockId)]: state }];
  return Object.fromEntries([
    entry(FILTER_BLOCK.keywords, text(keywords)),
    entry(FILTER_BLOCK.industry, select(null)),
    entry(FILTER_BLOCK.companySize, select(null)),
    entry(FILTER_BLOCK.status, select(null)),
    entry(FILTER_BLOCK.owner, user(owner)),
    entry(FILTER_BLOCK.from, date(initial(FILTER_BLOCK.from))),
    entry(FILTER_BLOCK.to, date(initial(FILTER_BLOCK.to))),
  ]);
}

/** A leader asks for the analysis from the home tab; resolves with what arrived in their DM. */
async function analyse(leader: string, owner: string | null = null, keywords: string | null = null) {
  const filesBefore = h.fake.files.length;
  const dmBefore = h.fake.dmMessagesTo(leader).length;
  const { view } = await tapHomeButton(h, leader, ACTION.openAnalysis, 'analysis');
  if (!view) throw new Error('analysis modal did not open');
  expect(view.callback_id).toBe(CALLBACK.analysisModal);
  const response = await submit(h, leader, view, analysisValues(view, owner, keywords));
  expect(readable((response.body as { view?: unknown }).view)).toContain('DM でお送りします');
  await until('the chart', () => h.fake.files.length > filesBefore);
  return { messages: h.fake.dmMessagesTo(leader).slice(dmBefore), file: h.fake.files.at(-1) };
}

beforeAll(async () => {
  h = await startHarness();
  for (const outcome of ['won', 'won', 'won', 'lost', 'lost'] as const) {
    await closedDeal(REP, '製造業', outcome, outcome === 'lost' ? '価格' : null);
  }
  await closedDeal(REP2, '情報通信業', 'lost', '競合に敗退', '東和物産');
}, 90_000);

afterAll(async () => {
  await h.close();
});

describe('analysis for the leaders', () => {
  it('sends the tables to the DM and the win-rate chart as a PNG, flagging groups too small to judge', async () => {
    const { messages, file } = await analyse(LEADER);
    expect(messages).toHaveLength(4);
    const [summary, reps, losses, pipeline] = messages.map((message) => readable(message));
    expect(summary).toContain('受注率 50%');
    expect(summary).toMatch(/製造業[\s\S]*50〜299名[\s\S]*3[\s\S]*2[\s\S]*60%/);
    expect(summary).toMatch(/情報通信業[\s\S]*0% ⚠️/);
    expect(summary).toContain('5 件未満');
    expect(JSON.stringify(messages[1]?.blocks)).toContain(`"user_id":"${REP}"`);
    expect(reps).toContain('受注率');
    expect(losses).toMatch(/価格[\s\S]*2[\s\S]*67%/);
    expect(losses).toMatch(/競合に敗退[\s\S]*1[\s\S]*33%/);
    expect(pipeline).toContain('商談中の案件はありません');
    for (const message of messages)
      expect((message.blocks ?? []).filter((b) => b.type === 'table').length).toBeLessThanOrEqual(1);
    expect(file?.channel).toBe(h.fake.dmChannelOf(LEADER));
    expect(file?.filename).toMatch(/\.png$/);
    expect(file?.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(file?.bytes.length).toBeGreaterThan(5_000);
  });

  it('narrows to the deals holding a word (computed off the event loop, with the search index attached)', async () => {
    const { messages } = await analyse(LEADER, null, '東和');
    const summary = readable(messages[0]);
    expect(summary).toContain('受注率 0%');
    expect(summary).toContain('情報通信業');
    expect(summary).not.toContain('製造業');
  });

  it('narrows to one rep (computed from the deals, off the event loop)', async () => {
    const { messages } = await analyse(LEADER2, REP2);
    const summary = readable(messages[0]);
    expect(summary).toContain('受注率 0%');
    expect(summary).toContain(`担当営業: <@${REP2}>`);
    expect(summary).not.toContain('製造業');
    expect(JSON.stringify(messages[1]?.blocks)).not.toContain(`"user_id":"${REP}"`);
  });

  it('is for leaders only: members get a refusal, and no 分析 button', async () => {
    await h.sender.slashCommand({
      command: '/案件',
      text: '分析',
      userId: MEMBER,
      triggerId: h.fake.issueTriggerId({ userId: MEMBER }),
    });
    // The refusal follows the answer, through the command's response_url.
    expect(JSON.stringify(h.fake.responseUrlPosts.at(-1)?.body)).toContain('営業リーダだけ');
    for (const userId of [MEMBER, LEADER]) {
      await h.sender.event({ event: { type: 'app_home_opened', user: userId, channel: 'D0HOME', tab: 'home' } });
    }
    await h.settle();
    expect(JSON.stringify(h.fake.homeOf(MEMBER)?.blocks)).not.toContain(ACTION.openAnalysis);
    expect(JSON.stringify(h.fake.homeOf(LEADER)?.blocks)).toContain(ACTION.openAnalysis);
  });

  it('shows a renamed 業種 under its new name with its history whole', async () => {
    const { view } = await tapHomeButton(h, LEADER, settingsListActionId('industry'), 'industry');
    if (!view) throw new Error('the settings modal did not open');
    const lines = DEFAULT_OPTION_LISTS.industry
      .map((option) => (option.label === '製造業' ? '製造業 → ものづくり' : option.label))
      .join('\n');
    await submit(h, LEADER, view, {
      [SETTINGS_BLOCK.lines]: { [inputActionId(SETTINGS_BLOCK.lines)]: { type: 'plain_text_input', value: lines } },
    });
    const summary = readable((await analyse(LEADER)).messages[0]);
    expect(summary).toMatch(/ものづくり[\s\S]*50〜299名[\s\S]*3[\s\S]*2[\s\S]*60%/);
    expect(summary).not.toContain('製造業');
  });
});
