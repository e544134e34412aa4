import { describe, expect, it } from 'vitest';
import { ACTION } from '../../src/ids.js';
import { buildHome } from '../../src/views/home.js';
import { buildPipelineBoard } from '../../src/workflow/pipeline-board.js';
import { type OpenDealFacts, stallCutoffs } from '../../src/workflow/stalled.js';
import type { Task } from '../../src/workflow/types.js';
import { validateView } from '../support/block-kit-rules.js';
import { readable } from '../support/flows.js';
import { sampleDeal } from '../support/samples.js';

const ZONE = 'Asia/Tokyo';
const NOW = new Date('2030-04-30T01:00:00Z');
const cutoffs = stallCutoffs(NOW, { adviceStaleHours: 24, staleDays: 10, timeZone: ZONE });
const HOSTILE = '<!channel> & <https://evil.example|here>';

function facts(i: number): OpenDealFacts {
  return {
    dealId: i + 1,
    ownerId: `U0REP${String(i % 200).padStart(3, '0')}`,
    customer: `${HOSTILE} ${'株'.repeat(300)}`,
    title: `案件 ${i}`,
    amount: 1_000_000,
    adviceAskedAt: i % 4 === 0 ? '2030-04-01T01:00:00.000Z' : null,
    progressDueOn: i % 3 === 0 ? '2030-04-10' : '2030-05-10',
    lastEntryAt: i % 5 === 0 ? '2030-03-01T01:00:00.000Z' : '2030-04-28T01:00:00.000Z',
    snoozedUntil: i % 7 === 0 ? '2030-05-20' : null,
    snoozeReason: i % 7 === 0 ? `先方の予算確定待ち ${HOSTILE}` : null,
  };
}

describe("the leaders' pipeline on the App Home", () => {
  const deals = Array.from({ length: 3_000 }, (_, i) => facts(i));
  const board = buildPipelineBoard(deals, cutoffs, ZONE, 5);

  it('puts every open deal in one step of 商談中 and counts the stalled ones, oldest first', () => {
    const steps = [board.onTime, board.overdue, board.noEntry, board.snoozed];
    expect(steps.reduce((sum, step) => sum + step.count, 0)).toBe(3_000);
    expect(board.adviceWaiting.count).toBe(750);
    expect(board.snoozed.count).toBe(Math.ceil(3_000 / 7));
    expect(board.stalled).toHaveLength(5);
    // The oldest wait is an entry missing since 1 March (deals 0, 5, 10 … not snoozed).
    expect(board.stalled[0]).toMatchObject({ stall: { reason: 'no_entry' }, facts: { dealId: 6 } });
    expect(board.reps).toHaveLength(200);
  });

  it('stays within 100 blocks beside full lists, escaped, with 詳細 and 催促する on each stalled deal', () => {
    const deal = sampleDeal({ customer: HOSTILE });
    const task = (kind: Task['kind']): Task => ({
      id: 1,
      dealId: 42,
      kind,
      assigneeId: null,
      state: 'open',
      dueOn: '2030-04-01',
      createdAt: '2030-04-01T00:00:00Z',
      completedBy: null,
      completedAt: null,
    });
    const view = buildHome({
      userId: 'U0LEAD1',
      isLeader: true,
      today: cutoffs.today,
      timeZone: ZONE,
      tasks: Array.from({ length: 16 }, () => ({ task: task('progress'), deal })),
      adviceWaiting: Array.from({ length: 16 }, () => ({ task: task('advice'), deal })),
      ownDeals: Array.from({ length: 16 }, () => deal),
      totals: { tasks: 40, adviceWaiting: 40, ownDeals: 40 },
      pipeline: { negotiating: 3_000, negotiatingAmount: 1, wonThisMonth: 2, wonAmountThisMonth: 3, lostThisMonth: 4 },
      board,
      ownStalled: buildPipelineBoard(deals.slice(0, 20), cutoffs, ZONE, 20).stalled,
    });
    expect(validateView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = readable(view);
    expect(text).not.toContain('<!channel>');
    expect(text).toContain(`止まっている案件 (${board.stalledTotal})`);
    expect(text).toContain(`ほか ${board.stalledTotal - 5} 件 (古い順)`);
    expect(text).toContain('ほか 180 人');
    expect(text).toContain('止まっているあなたの案件');
    const ids = view.blocks.flatMap(
      (block) => ('elements' in block ? block.elements : []) as Array<{ action_id?: string }>,
    );
    expect(ids.filter((element) => element.action_id === ACTION.nudgeOwner)).toHaveLength(5);
  });
});
