/**
 * A leader reassigns a deal: the owner changes, the open task and its DM move to the new owner, the
 * former owner's DM says who has it, the thread says who handed over to whom, both App Homes refresh.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK, REASSIGN_BLOCK } from '../../src/ids.js';
import { hasButton, pressStaleButton, readable, reportValues, runCommand, submit } from '../support/flows.js';
import { type Harness, LEADER, REP, REP2, SALES_CHANNEL, startHarness } from '../support/harness.js';

let h: Harness;

afterEach(async () => {
  await h?.close();
});

function newOwner(userId: string) {
  return {
    [REASSIGN_BLOCK.owner]: { [`${REASSIGN_BLOCK.owner}_input`]: { type: 'users_select', selected_user: userId } },
  };
}

describe('reassigning a deal', () => {
  it('moves the owner, the open task and its DM, tells the thread and refreshes both homes', async () => {
    h = await startHarness({ now: () => new Date('2030-04-08T01:00:00Z') });
    const { view } = await runCommand(h, REP);
    const reported = await submit(h, REP, view!, reportValues({ customer: '株式会社サンプル' }, REP));
    await h.settle();
    const dealId = Number(/案件 #(\d+)/.exec(readable((reported.body as { view?: unknown }).view))?.[1]);
    const homesBefore = h.fake.okCallsTo('views.publish').length;

    // A rep may not reassign.
    const refused = await pressStaleButton(h, REP, ACTION.openReassign, String(dealId));
    expect(readable(refused.view)).toContain('営業リーダだけ');

    const opened = await pressStaleButton(h, LEADER, ACTION.openReassign, String(dealId));
    expect(opened.view?.callback_id).toBe(CALLBACK.reassignModal);
    const same = await submit(h, LEADER, opened.view!, newOwner(REP));
    expect(readable((same.body as { view?: unknown }).view)).toContain('すでにその人が担当営業です');

    const again = await pressStaleButton(h, LEADER, ACTION.openReassign, String(dealId));
    const done = await submit(h, LEADER, again.view!, newOwner(REP2));
    expect(readable((done.body as { view?: unknown }).view)).toContain('担当営業を変更しました');
    await h.settle();

    expect(h.store.queries.getDeal(dealId)?.ownerId).toBe(REP2);
    expect(h.store.queries.latestTask(dealId, 'progress')).toMatchObject({ state: 'open', assigneeId: REP2 });
    // The thread says who handed over to whom.
    const card = h.fake.messagesIn(SALES_CHANNEL)[0]!;
    const replies = h.fake.repliesTo(SALES_CHANNEL, card.ts);
    expect(replies.map(readable).join('\n')).toContain(
      `担当営業を <@${REP}> さんから <@${REP2}> さんに引き継ぎました (<@${LEADER}>)`,
    );
    // The former owner's task DM is updated in place; the new owner gets one with the button.
    const former = h.fake.dmMessagesTo(REP);
    expect(readable(former.at(-1))).toContain(`<@${REP2}> さんに引き継がれました`);
    expect(hasButton(former.at(-1)!.blocks, ACTION.openProgress)).toBe(false);
    const taken = h.fake.dmMessagesTo(REP2);
    expect(taken).toHaveLength(1);
    expect(hasButton(taken[0]!.blocks, ACTION.openProgress)).toBe(true);
    // Both homes were published again.
    const published = h.fake
      .okCallsTo('views.publish')
      .slice(homesBefore)
      .map((call) => call.args.user_id);
    expect(published).toEqual(expect.arrayContaining([REP, REP2]));
  });
});
