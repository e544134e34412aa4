import type { SettingsSection, StoredSettings } from './settings.js';
import type { DealState, OpenDealFacts } from './stalled.js';
import type {
  Deal,
  DealReport,
  DealStatus,
  Effect,
  SlackMessageRef,
  Task,
  TaskKind,
  TaskState,
  TimelineData,
  TimelineEntry,
} from './types.js';

/** How a deal is being followed up: snoozed until a date, reminded so often since its last entry. */
export interface FollowUp {
  snoozedUntil: string | null;
  snoozeReason: string | null;
  snoozedBy: string | null;
  /** The last day (YYYY-MM-DD) someone was reminded or nudged about it. */
  chasedOn: string | null;
  /** Reminders since the last entry. */
  chaseCount: number;
  escalatedOn: string | null;
}

/** What became of one piece of work run with others: its result, or what it threw. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface NewDeal extends DealReport {
  status: DealStatus;
  reporterId: string;
  externalId: string | null;
  createdAt: string;
  reportedAt: string | null;
}

/** The storage the deal process needs; src/store implements it on SQLite. */
export interface DealRepository {
  /** Runs `work` in one transaction: everything it writes lands together or not at all. */
  transaction<T>(work: () => T): T;
  /**
   * Runs each of `works` in a savepoint of one transaction: one that throws undoes only its own writes,
   * the others commit together. Throws (nothing kept) only when the transaction itself fails.
   */
  transactionOfEach<T>(works: ReadonlyArray<() => T>): Settled<T>[];
  /** The deal a request with this idempotency key already changed (retries, double taps), if any. */
  findHandled(key: string): { dealId: number } | null;
  markHandled(key: string, dealId: number, at: string): void;
  insertDeal(deal: NewDeal): Deal;
  saveDeal(deal: Deal): void;
  getDeal(id: number): Deal | null;
  /** The deal whose card is this message (read from the index alone). */
  dealIdByCard(message: SlackMessageRef): number | null;
  getDealByExternalId(externalId: string): Deal | null;
  /** A card post was sent to Slack (at least tried) but its ts is not recorded yet, queued at or before `queuedBy`. */
  cardPostUnrecorded(queuedBy: string): boolean;
  appendTimeline(dealId: number, authorId: string, at: string, data: TimelineData): TimelineEntry;
  findComment(message: SlackMessageRef): TimelineEntry | null;
  openTask(task: Omit<Task, 'id' | 'state' | 'completedBy' | 'completedAt'>): Task;
  getOpenTask(dealId: number, kind: TaskKind): Task | null;
  getLatestTask(dealId: number, kind: TaskKind): Task | null;
  /** Gives an open task to someone else (a reassigned deal). */
  reassignTask(taskId: number, assigneeId: string): void;
  closeTask(taskId: number, state: Exclude<TaskState, 'open'>, by: string | null, at: string): void;
  /**
   * Up to `limit` open tasks due before `today` and not reminded today, least recently reminded first
   * (never reminded before reminded on an earlier day), then the oldest due.
   */
  overdueTasks(today: string, limit: number): Task[];
  markReminded(taskId: number, on: string): void;
  enqueue(effects: readonly Effect[], at: string): void;
  /** Follow-up state of a deal (snooze, reminders so far); a fresh one when there is none. */
  followUp(dealId: number): FollowUp;
  saveFollowUp(dealId: number, followUp: FollowUp): void;
  /** The facts the stall rules read, for one 商談中 deal. */
  dealFacts(dealId: number): OpenDealFacts | null;
  /** What the rules read of the open deals after `afterDealId`, up to `limit`, by deal id (for batches). */
  openDealStatesAfter(afterDealId: number, limit: number): DealState[];
  /** The same with their names. */
  openDealFactsAfter(afterDealId: number, limit: number): OpenDealFacts[];
  /** Up to `limit` snoozed deals whose date has come by `day`, earliest first (then by deal id). */
  snoozesDue(day: string, limit: number): OpenDealFacts[];
  /** Puts a given-up effect, and the later failed ones of its deal, back in the queue; false when it is not failed. */
  requeueFailed(effectId: number, at: string): boolean;
}

export interface SettingsChange {
  section: SettingsSection;
  /** The version the admin's form was built from; the save is refused when it is no longer current. */
  expectedVersion: number;
  value: unknown;
  actorId: string;
  at: string;
  /** What changed, in words, for the audit list. */
  summary: string;
}

export interface SettingsAuditEntry {
  id: number;
  section: SettingsSection;
  actorId: string;
  at: string;
  summary: string;
}

/** Where the settings changed in Slack are kept; src/store implements it on SQLite. */
export interface SettingsRepository {
  /** Every saved section; cheap to call on every request (cached until the database changes). */
  stored(): StoredSettings;
  /** Saves and audits one section; false (nothing written) when its version moved since the form was built. */
  save(change: SettingsChange): boolean;
  /** The newest changes first. */
  auditLog(limit: number): SettingsAuditEntry[];
}
