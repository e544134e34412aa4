import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, CALLBACK } from '../../src/ids.js';
import {
  adviceValues,
  pressStaleButton,
  progressValues,
  readable,
  reportValues,
  runCommand,
  submit,
  teamToday,
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

/** Who may do what (営業担当, 営業リーダ, members, and those refused), through every surface: commands, shortcuts, buttons, modals, threads. */

interface Role {
  name: string;
  userId: string;
  teamId?: string;
}

const roles: Record<string, Role> = {
  owner: { name: '担当営業', userId: REP },
  otherRep: { name: '他の営業', userId: REP2 },
  leader: { name: '営業リーダ', userId: LEADER },
  member: { name: '営業メンバー', userId: MEMBER },
  guest: { name: 'ゲスト', userId: GUEST },
  foreign: { name: '他社 (Slack Connect)', userId: FOREIGN, teamId: FOREIGN_TEAM },
};

type Outcome = 'allowed' | 'refused';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

async function freshDeal(): Promise<number> {
  const { view } = await runCommand(h, REP);
  await submit(h, REP, view!, reportValues({ customer: '株式会社マトリクス' }, REP));
  await h.settle();
  return count('SELECT MAX(id) AS n FROM deals');
}

function count(sql: string, ...params: unknown[]): number {
  return (h.store.db.prepare(sql).get(...params) as { n: number }).n;
}

async function openAsLeader(actionId: string, dealId: number) {
  const { view } = await pressStaleButton(h, LEADER, actionId, String(dealId));
  return view!;
}

/** Each action returns whether it was allowed, judged by what the person saw and what was stored. */
const actions: Record<string, (role: Role) => Promise<Outcome>> = {
  async 'command /案件'(role) {
    const { view } = await runCommand(h, role.userId, '/案件', role.teamId);
    return view?.callback_id === CALLBACK.reportModal ? 'allowed' : 'refused';
  },
  async 'shortcut 案件を登録'(role) {
    const before = h.fake.openViews.length;
    await h.sender.shortcut({
      callbackId: CALLBACK.reportShortcut,
      userId: role.userId,
      triggerId: h.fake.issueTriggerId({ userId: role.userId }),
      ...(role.teamId ? { teamId: role.teamId } : {}),
    });
    return h.fake.openViews.slice(before).some((view) => view.callback_id === CALLBACK.reportModal)
      ? 'allowed'
      : 'refused';
  },
  async 'submit 案件発生報告'(role) {
    const { view } = await runCommand(h, REP);
    const before = count('SELECT COUNT(*) AS n FROM deals');
    await submit(h, role.userId, view!, reportValues({ owner: role.userId }, role.userId), role.teamId);
    return count('SELECT COUNT(*) AS n FROM deals') > before ? 'allowed' : 'refused';
  },
  async 'button 進捗を記録'(role) {
    const dealId = await freshDeal();
    const { view } = await pressStaleButton(h, role.userId, ACTION.openProgress, String(dealId), role.teamId);
    return view?.callback_id === CALLBACK.progressModal ? 'allowed' : 'refused';
  },
  async 'submit 進捗'(role) {
    const dealId = await freshDeal();
    const view = await openAsLeader(ACTION.openProgress, dealId);
    await submit(h, role.userId, view, progressValues({ content: 'matrix' }, teamToday()), role.teamId);
    return count(`SELECT COUNT(*) AS n FROM timeline WHERE deal_id = ? AND kind = 'progress'`, dealId) > 0
      ? 'allowed'
      : 'refused';
  },
  async 'button 助言を入力'(role) {
    const dealId = await freshDeal();
    const { view } = await pressStaleButton(h, role.userId, ACTION.openAdvice, String(dealId), role.teamId);
    return view?.callback_id === CALLBACK.adviceModal ? 'allowed' : 'refused';
  },
  async 'submit 助言'(role) {
    const dealId = await freshDeal();
    const view = await openAsLeader(ACTION.openAdvice, dealId);
    await submit(h, role.userId, view, adviceValues('matrix'), role.teamId);
    return h.store.queries.getDeal(dealId)?.adviceGiven ? 'allowed' : 'refused';
  },
  async 'button 詳細'(role) {
    const dealId = await freshDeal();
    const { view } = await pressStaleButton(h, role.userId, ACTION.openDetails, String(dealId), role.teamId);
    return readable(view).includes('掲示板') ? 'allowed' : 'refused';
  },
  async 'thread reply'(role) {
    const dealId = await freshDeal();
    const card = h.store.queries.getDeal(dealId)!;
    const message = h.fake.addUserMessage(SALES_CHANNEL, { user: role.userId, text: 'matrix', threadTs: card.cardTs! });
    await h.sender.event({
      event: {
        type: 'message',
        channel: SALES_CHANNEL,
        user: role.userId,
        text: 'matrix',
        ts: message.ts,
        thread_ts: card.cardTs,
        ...(role.teamId ? { user_team: role.teamId } : {}),
      },
    });
    return count(`SELECT COUNT(*) AS n FROM timeline WHERE deal_id = ? AND kind = 'comment'`, dealId) > 0
      ? 'allowed'
      : 'refused';
  },
};

const A = 'allowed' as const;
const R = 'refused' as const;

const expected: Record<string, Record<keyof typeof roles, Outcome>> = {
  'command /案件': { owner: A, otherRep: A, leader: A, member: A, guest: R, foreign: R },
  'shortcut 案件を登録': { owner: A, otherRep: A, leader: A, member: A, guest: R, foreign: R },
  'submit 案件発生報告': { owner: A, otherRep: A, leader: A, member: A, guest: R, foreign: R },
  'button 進捗を記録': { owner: A, otherRep: R, leader: A, member: R, guest: R, foreign: R },
  'submit 進捗': { owner: A, otherRep: R, leader: A, member: R, guest: R, foreign: R },
  'button 助言を入力': { owner: R, otherRep: R, leader: A, member: R, guest: R, foreign: R },
  'submit 助言': { owner: R, otherRep: R, leader: A, member: R, guest: R, foreign: R },
  'button 詳細': { owner: A, otherRep: A, leader: A, member: A, guest: R, foreign: R },
  'thread reply': { owner: A, otherRep: A, leader: A, member: A, guest: R, foreign: R },
};

const cases = Object.entries(expected).flatMap(([action, byRole]) =>
  Object.entries(byRole).map(([role, outcome]) => ({ action, role, outcome })),
);

describe('role × action matrix', () => {
  it.each(cases)('$action by $role is $outcome', async ({ action, role, outcome }) => {
    const run = actions[action]!;
    expect(await run(roles[role]!)).toBe(outcome);
  });

  it('tells every refused person why, in Japanese', async () => {
    const dealId = await freshDeal();
    for (const role of [roles.guest!, roles.foreign!, roles.member!]) {
      const { view } = await pressStaleButton(h, role.userId, ACTION.openProgress, String(dealId), role.teamId);
      expect(readable(view)).toMatch(/ゲスト|社内のメンバー|担当営業と営業リーダ/);
    }
  });
});
