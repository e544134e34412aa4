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
  /** The deal a request with this idempotency key already changed (retries, double taps), if any. */
  findHandled(key: string): { dealId: number } | null;
  markHandled(key: string, dealId: number, at: string): void;
  insertDeal(deal: NewDeal): Deal;
  saveDeal(deal: Deal): void;
  getDeal(id: number): Deal | null;
  getDealByCard(message: SlackMessageRef): Deal | null;
  getDealByExternalId(externalId: string): Deal | null;
  appendTimeline(dealId: number, authorId: string, at: string, data: TimelineData): TimelineEntry;
  findComment(message: SlackMessageRef): TimelineEntry | null;
  openTask(task: Omit<Task, 'id' | 'state' | 'completedBy' | 'completedAt'>): Task;
  getOpenTask(dealId: number, kind: TaskKind): Task | null;
  getLatestTask(dealId: number, kind: TaskKind): Task | null;
  closeTask(taskId: number, state: Exclude<TaskState, 'open'>, by: string | null, at: string): void;
  /** Open tasks due before `today` that have not been reminded today. */
  overdueTasks(today: string): Task[];
  markReminded(taskId: number, on: string): void;
  enqueue(effects: readonly Effect[], at: string): void;
  /** Puts a given-up effect, and the later failed ones of its deal, back in the queue; false when it is not failed. */
  requeueFailed(effectId: number, at: string): boolean;
}
