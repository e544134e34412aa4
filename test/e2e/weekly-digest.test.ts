/**
 * The leaders' weekly digest: one DM per leader on DIGEST_SCHEDULE (Monday 09:00 by default) covering
 * the seven days before, with the stalled deals and their buttons. Losses reach leaders only; one
 * digest a week, even across restarts; a digest missed while the bot was down is sent after start-up.
 * The clock is moved by the test; the job is run on demand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/ids.js';
import type { FakeMessage } from '../support/fake-slack.js';
import {
  adviceValues,
  findButton,
  type ProgressInput,
  pressStaleButton,
  progressValues,
  readable,
  reportValues,
  runCommand,
  submit,
  tapButton,
} from '../support/flows.js';
import { type Harness, LEADER, LEADER2, MEMBER, REP, REP2, startHarness } from '../support/harness.js';

/** Monday 2030-04-01 10:00 in Tokyo. */
const WEEK_START = '2030-04-01T01:00:00Z';
/** Monday 2030-04-08 09:00 in Tokyo: the default DIGEST_SCHEDULE. */
const DIGEST_TIME = '2030-04-08T00:00:00Z';
let h: Harness;

afterEach(async () => {
  await h?.close();
});

const isDigest = (message: FakeMessage) => readable(message).includes('週次ダイジェスト');
const digestsTo = (userId: string) => h.fake.dmMessagesTo(userId).filter(isDigest);

async function report(userId: string, customer: string, amount: string): Promise<number> {
  const { view } = await runCommand(h, userId);
  const response = await submit(h, userId, view!, reportValues({ customer, title: '基幹更改', amount }, userId));
  await h.settle();
  return Number(/案件 #(\d+)/.exec(readable((response.body as { view?: unknown }).view))?.[1]);
}

async function advise(dealId: number): Promise<void> {
  const { view } = await pressStaleButton(h, LEADER, ACTION.openAdvice, String(dealId));
  await submit(h, LEADER, view!, adviceValues('決裁者に会いましょう'));
  await h.settle();
}

async function record(userId: string, dealId: number, input: ProgressInput): Promise<void> {
  const { view } = await pressStaleButton(h, userId, ACTION.openProgress, String(dealId));
  await submit(h, userId, view!, progressValues(input, h.clock.now().toISOString().slice(0, 10)));
  await h.settle();
}

/** A week of work: four deals reported, one won, one lost (価格), one left waiting for advice. */
async function aWeekOfWork() {
  const moving = await report(REP, '株式会社うごく', '1200万');
  const won = await report(REP2, '株式会社かつ', '800万');
  const lost = await report(REP, '株式会社まける', '500万');
  const waiting = await report(REP2, '株式会社まつ', '300万');
  h.clock.set('2030-04-01T03:00:00Z');
  await advise(moving);
  await advise(won);
  h.clock.set('2030-04-03T01:00:00Z');
  await record(REP2, won, { status: 'won', content: '発注書を受領しました' });
  h.clock.set('2030-04-05T01:00:00Z');
  await record(REP, lost, { status: 'lost', content: '他社に決まりました', lossReason: '価格' });
  return { moving, won, lost, waiting };
}

describe('the weekly digest', () => {
  it('sends each leader one DM with the week, the pipeline and the stalled deals with their buttons', async () => {
    h = await startHarness({ now: () => new Date(WEEK_START) });
    const deals = await aWeekOfWork();

    h.clock.set(DIGEST_TIME);
    expect(await h.runJob('digest')).toEqual({ leaders: 2 });

    for (const leader of [LEADER, LEADER2]) {
      const [digest, ...more] = digestsTo(leader);
      expect(more).toEqual([]);
      const text = readable(digest);
      expect(text).toContain('2030/04/01 〜 2030/04/07');
      expect(text).toContain('*新規案件*\n4 件 ・ 2,800万円');
      expect(text).toContain('*受注*\n1 件 ・ 800万円');
      expect(text).toContain('*失注*\n1 件');
      expect(text).toContain('*失注の理由*\n価格 1 件');
      expect(text).toContain('*パイプライン (商談中)*\n2 件 ・ 1,500万円');
      // Won: reported → advised the same day → closed 2 days later; lost: never advised, closed after 4.
      expect(text).toContain('報告→クローズ 3 日 ・ 助言待ち 0 日 ・ 商談中 2.5 日');
      expect(text).toContain('クローズした 2 件の中央値');
      // The deal still waiting for advice since Monday is stalled; the advised one is moving.
      expect(text).toContain('止まっている案件 (1)');
      expect(text).toContain('株式会社まつ / 基幹更改*\n<@U0REP02> ・ 助言待ち');
      expect(text).not.toContain('株式会社うごく');
      expect(findButton(digest!.blocks, ACTION.nudgeOwner).value).toBe(String(deals.waiting));
      expect(findButton(digest!.blocks, ACTION.openReassign).value).toBe(String(deals.waiting));
    }

    // The buttons work from the DM: 詳細 opens the deal, 催促する reaches its owner.
    const digest = digestsTo(LEADER)[0]!;
    const details = await tapButton(h, LEADER, digest, ACTION.openDetails);
    expect(details.view?.callback_id).toBe(CALLBACK.detailsModal);
    const before = h.fake.dmMessagesTo(REP2).length;
    await tapButton(h, LEADER, digest, ACTION.nudgeOwner);
    await h.settle();
    expect(h.fake.dmMessagesTo(REP2).slice(before).map(readable).join('\n')).toContain('催促がありました');
  });

  it('keeps losses to leaders: reps and members get no digest', async () => {
    h = await startHarness({ now: () => new Date(WEEK_START) });
    await aWeekOfWork();
    h.clock.set(DIGEST_TIME);
    await h.runJob('digest');

    expect(digestsTo(LEADER)).toHaveLength(1);
    for (const other of [REP, REP2, MEMBER]) {
      expect(digestsTo(other)).toEqual([]);
      expect(h.fake.dmMessagesTo(other).map(readable).join('\n')).not.toContain('失注の理由');
    }
  });

  it('is not sent to someone who stopped being a leader before their DM went out', async () => {
    h = await startHarness({ now: () => new Date(WEEK_START) });
    await aWeekOfWork();
    h.clock.set('2030-04-15T00:00:00Z');
    // Deliveries start on the next turn of the event loop: the change lands while both DMs are queued.
    await h.anken.runJob('digest');
    h.store.settings.save({
      section: 'people',
      expectedVersion: 0,
      value: { leaderIds: [LEADER], adminIds: [LEADER] },
      actorId: LEADER,
      at: h.clock.now().toISOString(),
      summary: 'リーダー: U0LEAD1',
    });
    await h.settle();
    expect(digestsTo(LEADER)).toHaveLength(1);
    expect(digestsTo(LEADER2)).toEqual([]);
  });

  it('goes out once a week, even when run again or after a restart, and again the next week', async () => {
    h = await startHarness({ now: () => new Date(DIGEST_TIME) });
    await h.anken.catchUpMissedJobs();
    expect(await h.runJob('digest')).toEqual({ leaders: 2 });
    expect(await h.runJob('digest')).toEqual({ leaders: 0, skipped: 'already_sent' });

    // Down from 09:00 to Wednesday: nothing is due, and a run made by hand sends nothing either.
    h.clock.set('2030-04-10T01:00:00Z');
    await h.restart();
    expect(await h.anken.catchUpMissedJobs()).not.toContain('digest');
    await h.runJob('digest');
    expect(digestsTo(LEADER)).toHaveLength(1);
    expect(digestsTo(LEADER2)).toHaveLength(1);

    h.clock.set('2030-04-15T00:00:00Z');
    expect(await h.runJob('digest')).toEqual({ leaders: 2 });
    expect(readable(digestsTo(LEADER)[1])).toContain('2030/04/08 〜 2030/04/14');
  });

  it('is sent once after start-up when the bot was down at its time', async () => {
    // Up on Sunday; down from Sunday evening until Monday 11:00, past the digest's 09:00.
    h = await startHarness({ now: () => new Date('2030-04-07T09:00:00Z') });
    await h.anken.catchUpMissedJobs();
    h.clock.set('2030-04-08T02:00:00Z');
    await h.restart();
    expect(await h.anken.catchUpMissedJobs()).toContain('digest');
    await h.settle();
    expect(digestsTo(LEADER)).toHaveLength(1);
    expect(readable(digestsTo(LEADER)[0])).toContain('2030/04/01 〜 2030/04/07');

    await h.restart();
    expect(await h.anken.catchUpMissedJobs()).toEqual([]);
    await h.settle();
    expect(digestsTo(LEADER)).toHaveLength(1);
  });

  it('says calmly that nothing happened in a quiet week', async () => {
    h = await startHarness({ now: () => new Date(DIGEST_TIME) });
    await h.runJob('digest');
    const [digest] = digestsTo(LEADER);
    const text = readable(digest);
    expect(text).toContain('*新規案件*\n0 件 ・ 0円');
    expect(text).toContain('この期間の新規・受注・失注はありませんでした。');
    expect(text).toContain('この期間にクローズした案件はありません。');
    expect(text).toContain('止まっている案件はありません。');
    expect(text).not.toContain('失注の理由');
  });
});
