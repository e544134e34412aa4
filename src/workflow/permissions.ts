import { DomainError } from './errors.js';
import type { Actor, Deal, Roles } from './types.js';

export type DealAction =
  | 'report'
  | 'record_progress'
  | 'advise'
  | 'view_details'
  | 'comment'
  | 'administer'
  | 'search'
  /** The analysis and the CSV export: whole-team figures and loss reasons. */
  | 'analyse'
  | 'nudge'
  | 'reassign'
  | 'snooze';

export function isLeader(roles: Roles, userId: string): boolean {
  return roles.leaderIds.includes(userId);
}

export function isAdmin(roles: Roles, userId: string): boolean {
  return roles.adminIds.includes(userId);
}

/** What Slack says of a person that decides whether they take part (`deleted` when known). */
export interface PersonFacts {
  teamId: string | null;
  isBot: boolean;
  isGuest: boolean;
  deleted?: boolean;
}

export type NotAMember = 'deleted' | 'foreign_workspace' | 'bot' | 'guest';

/**
 * Why a person takes no part in the process (a deactivated account, a member of another workspace
 * through Slack Connect, a bot, a guest), or null for a member. One rule for whoever acts, owns or leads.
 */
export function whyNotMember(person: PersonFacts, workspaceTeamId: string | null): NotAMember | null {
  if (person.deleted) return 'deleted';
  if (workspaceTeamId !== null && person.teamId !== null && person.teamId !== workspaceTeamId) {
    return 'foreign_workspace';
  }
  if (person.isBot) return 'bot';
  if (person.isGuest) return 'guest';
  return null;
}

function assertMember(actor: Actor, roles: Roles): void {
  const reason = whyNotMember(actor, roles.workspaceTeamId);
  // An actor is someone making a request now: Slack sends none from a deactivated account.
  if (reason !== null && reason !== 'deleted') throw new DomainError(reason);
}

/** Throws a DomainError saying why `actor` may not do `action`; returns when allowed. */
export function assertAllowed(actor: Actor, action: DealAction, roles: Roles, deal?: Deal): void {
  assertMember(actor, roles);
  switch (action) {
    case 'report':
      if (deal && deal.ownerId !== actor.userId && !isLeader(roles, actor.userId)) {
        throw new DomainError('not_owner_or_leader', 'この案件の報告は担当営業と営業リーダだけが入力できます。');
      }
      return;
    case 'record_progress':
      if (deal && deal.ownerId !== actor.userId && !isLeader(roles, actor.userId)) {
        throw new DomainError('not_owner_or_leader');
      }
      return;
    case 'advise':
      if (!isLeader(roles, actor.userId)) throw new DomainError('not_leader');
      return;
    case 'nudge':
    case 'reassign':
      if (!isLeader(roles, actor.userId)) throw new DomainError('leaders_act');
      return;
    case 'snooze':
      if (deal && deal.ownerId !== actor.userId && !isLeader(roles, actor.userId)) {
        throw new DomainError('not_owner_or_leader', '保留にできるのは担当営業と営業リーダだけです。');
      }
      return;
    case 'administer':
      if (!isAdmin(roles, actor.userId)) throw new DomainError('not_admin');
      return;
    case 'analyse':
      if (!isLeader(roles, actor.userId)) throw new DomainError('leaders_only');
      return;
    case 'view_details':
    case 'comment':
    case 'search':
      return;
  }
}

/** The loss reason is for the owner and the leaders only. */
export function maySeeLossReason(roles: Roles, deal: Deal, userId: string): boolean {
  return deal.ownerId === userId || isLeader(roles, userId);
}

/** 2. 進捗 can be recorded while the deal is 商談中. */
export function assertProgressOpen(deal: Deal): void {
  if (deal.status === 'draft') throw new DomainError('not_reported');
  if (deal.status === 'won' || deal.status === 'lost') throw new DomainError('closed');
}

/** Snooze, nudge and reassign apply to a deal while it is 商談中. */
export function assertNegotiating(deal: Deal): void {
  if (deal.status !== 'negotiating') throw new DomainError('not_negotiating');
}

/** 1a. 助言 can be given once, while the deal is 商談中. */
export function assertAdviceOpen(deal: Deal): void {
  if (deal.status === 'draft') throw new DomainError('not_reported');
  if (deal.status === 'won' || deal.status === 'lost') {
    throw new DomainError('closed', 'この案件はクローズしたため、助言の依頼は取り下げられました。');
  }
  if (deal.adviceGiven) throw new DomainError('already_advised');
}

/** 1. 案件発生報告 completes a deal another system started, once. */
export function assertDraft(deal: Deal): void {
  if (deal.status !== 'draft') throw new DomainError('already_reported');
}
