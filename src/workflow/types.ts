/** The deal process's vocabulary: plain data, no Slack and no SQL. */

import type { StallReason } from './stalled.js';

/** `draft`: started by another system, waiting for the rep's report. */
export type DealStatus = 'draft' | 'negotiating' | 'won' | 'lost';
export type ProgressStatus = Exclude<DealStatus, 'draft'>;

export interface DealReport {
  customer: string;
  title: string;
  industry: string | null;
  companySize: string | null;
  /** 見込み金額, whole yen. */
  amount: number | null;
  /** 受注予定時期, YYYY-MM-DD. */
  expectedCloseDate: string | null;
  source: string | null;
  contactName: string | null;
  description: string | null;
  ownerId: string;
}

export interface Deal extends DealReport {
  id: number;
  status: DealStatus;
  reporterId: string;
  externalId: string | null;
  createdAt: string;
  reportedAt: string | null;
  closedAt: string | null;
  adviceGiven: boolean;
  cardChannel: string | null;
  cardTs: string | null;
  /** The newest progress entry, for the card and the home tab. */
  lastProgressId: number | null;
}

export interface ProgressEntry {
  status: ProgressStatus;
  activityType: string | null;
  /** 活動日, YYYY-MM-DD. */
  activityDate: string;
  /** 見積金額 or 受注金額, whole yen. */
  amount: number | null;
  content: string;
  nextAction: string | null;
  /** 次のアクション期日, YYYY-MM-DD. */
  nextActionDue: string | null;
  lossReason: string | null;
  lossDetail: string | null;
}

export interface SlackMessageRef {
  channel: string;
  ts: string;
}

export type TimelineData =
  | { kind: 'report'; report: DealReport }
  | { kind: 'advice'; text: string }
  | { kind: 'progress'; entry: ProgressEntry }
  | { kind: 'comment'; text: string; message: SlackMessageRef }
  | { kind: 'comment_edited'; text: string; message: SlackMessageRef }
  | { kind: 'comment_deleted'; message: SlackMessageRef }
  | { kind: 'handover'; fromId: string; toId: string }
  /** 保留: no reminders until `until` (YYYY-MM-DD), for a known reason. */
  | { kind: 'snoozed'; until: string; reason: string }
  /** 保留を解除: ended early by the owner or a leader. */
  | { kind: 'snooze_lifted' };

export type TimelineKind = TimelineData['kind'];

export type TimelineEntry = TimelineData & {
  id: number;
  dealId: number;
  authorId: string;
  at: string;
};

export type TaskKind = 'report' | 'advice' | 'progress';
export type TaskState = 'open' | 'done' | 'cancelled';

export interface Task {
  id: number;
  dealId: number;
  kind: TaskKind;
  /** null: any leader may complete it (advice). */
  assigneeId: string | null;
  state: TaskState;
  /** YYYY-MM-DD. */
  dueOn: string | null;
  createdAt: string;
  completedBy: string | null;
  completedAt: string | null;
}

export type DealEventType = 'deal.reported' | 'deal.advised' | 'deal.progressed' | 'deal.won' | 'deal.lost';

/** A deal as other systems see it, in webhook events and in the start API's answers. */
export interface DealSnapshot extends Omit<DealReport, 'ownerId'> {
  id: number;
  externalId: string | null;
  status: DealStatus;
  ownerSlackUserId: string;
  createdAt: string;
  reportedAt: string | null;
  closedAt: string | null;
}

/** What happened to a deal, for other systems (billing, production): sent as a signed webhook. */
export interface DealEvent {
  id: string;
  type: DealEventType;
  occurredAt: string;
  previousStatus: DealStatus | null;
  status: DealStatus;
  actor: { slackUserId: string };
  deal: DealSnapshot;
  advice?: { text: string };
  progress?: ProgressEntry;
}

/**
 * What a state change asks the outside world to learn. Effects carry references, not text: the
 * dispatcher renders them from the stored state when it delivers them.
 */
export type Effect =
  | { kind: 'post_card'; dealId: number }
  | { kind: 'update_card'; dealId: number }
  | { kind: 'post_thread_reply'; dealId: number; entryId: number; broadcast: boolean }
  | { kind: 'post_closed_notice'; dealId: number }
  | { kind: 'sync_task_message'; dealId: number; taskKind: TaskKind; userId: string }
  | { kind: 'send_loss_report'; dealId: number; entryId: number; userId: string }
  | { kind: 'publish_home'; userId: string }
  | { kind: 'send_reminder'; dealId: number; taskId: number; userId: string }
  | {
      kind: 'send_stall_reminder';
      dealId: number;
      userId: string;
      reason: StallReason;
      /** When the wait began: an ISO instant, or the missed 期日 (YYYY-MM-DD). */
      since: string;
      nudgedBy: string | null;
    }
  | {
      kind: 'send_escalation';
      dealId: number;
      userId: string;
      reason: StallReason;
      since: string;
      /** Reminders sent without an entry. */
      reminders: number;
    }
  | {
      kind: 'send_snooze_ended';
      dealId: number;
      userId: string;
      /** The snooze as it was: it is cleared in the same transaction that queues this DM. */
      until: string;
      reason: string;
    }
  | { kind: 'send_webhook'; dealId: number; url: string; event: DealEvent }
  /** The weekly digest made in `week` (its Monday), to one leader. */
  | { kind: 'send_digest'; week: string; userId: string }
  | { kind: 'report_delivery_failure'; failedEffectId: number; userId: string };

export type EffectKind = Effect['kind'];

/** The person acting, as Slack describes them. */
export interface Actor {
  userId: string;
  teamId: string | null;
  isBot: boolean;
  isGuest: boolean;
}

export interface Roles {
  workspaceTeamId: string | null;
  leaderIds: readonly string[];
  adminIds: readonly string[];
}
