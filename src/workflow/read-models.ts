import type { Deal, Effect, Task, TimelineEntry, TimelineKind } from './types.js';

/**
 * What the views and the dispatcher read back: plain data that src/store fills in, so a view is a
 * function of the data it is given and knows nothing of where it came from.
 */

export interface TaskWithDeal {
  task: Task;
  deal: Deal;
}

export interface PipelineSummary {
  negotiating: number;
  negotiatingAmount: number;
  wonThisMonth: number;
  wonAmountThisMonth: number;
  lostThisMonth: number;
}

/** A queued effect, as the dispatcher delivers it. */
export interface OutboxItem {
  id: number;
  effect: Effect;
  attempts: number;
  createdAt: string;
  lastError: string | null;
}

/** An effect given up for good, shown to admins. */
export interface FailedOutboxItem extends OutboxItem {
  finishedAt: string;
}

/** The entries 詳細 shows as items; edits and deletions only change how a comment reads. */
export const TIMELINE_ITEM_KINDS = [
  'report',
  'advice',
  'progress',
  'comment',
  'handover',
  'snoozed',
  'snooze_lifted',
] as const satisfies readonly TimelineKind[];

/** The newest part of a deal's timeline: what 詳細 shows, read without the rest. */
export interface RecentTimeline {
  /** The newest items and everything after the oldest of them (their edits and deletions), in order. */
  entries: TimelineEntry[];
  /** How many items the whole timeline holds. */
  itemCount: number;
}
