/**
 * One synthetic deal's life, planned when it is created: the report, advice, progress entries up to
 * 受注/失注 (or still 商談中), thread comments with edits and deletions, and the tasks these open and
 * close, with the reminders overdue tasks get. Only what happens up to `until` is kept.
 */
import { COMPANY_SIZES, INDUSTRIES, LOSS_REASONS, SOURCES } from '../workflow/catalog.js';
import type { DealReport, ProgressEntry, TaskKind, TaskState } from '../workflow/types.js';
import type { Random } from './random.js';
import type { Texts } from './synthetic-texts.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
const JST = 9 * HOUR;

/** YYYY-MM-DD in Japan. */
export const dateOf = (ms: number): string => new Date(ms + JST).toISOString().slice(0, 10);

export interface PlannedTask {
  id: number;
  kind: TaskKind;
  assigneeId: string | null;
  createdAt: number;
  dueOn: string;
  state: TaskState;
  completedBy: string | null;
  completedAt: number | null;
  remindedOn: string | null;
}

export interface PlannedComment {
  ts: string;
}

export type Step = { at: number } & (
  | { kind: 'start' }
  | { kind: 'report' }
  | { kind: 'advice'; by: string; text: string }
  | { kind: 'progress'; entry: ProgressEntry; closes: PlannedTask | null; opens: PlannedTask | null; last: boolean }
  | { kind: 'comment'; by: string; text: string; comment: PlannedComment }
  | { kind: 'comment_edited'; by: string; text: string; comment: PlannedComment }
  | { kind: 'comment_deleted'; by: string; comment: PlannedComment }
  | { kind: 'remind'; task: PlannedTask }
);

export interface PlannedDeal {
  id: number;
  createdAt: number;
  reportedAt: number | null;
  apiStarted: boolean;
  status: 'draft' | 'negotiating' | 'won' | 'lost';
  closedAt: number | null;
  adviceGiven: boolean;
  report: DealReport;
  /** Tasks opened at the start (report) or at the report (advice, progress). */
  initialTasks: PlannedTask[];
  steps: Step[];
}

export interface PlanContext {
  random: Random;
  texts: Texts;
  reps: readonly string[];
  /** Relative weight of each rep (a few carry many deals). */
  repWeights: readonly number[];
  leaders: readonly string[];
  until: number;
  /** Extra timeline entries for this deal (a long-running deal for the 詳細 benchmark); 0 for most. */
  heavyEntries: number;
}

const INDUSTRY_WEIGHTS = [22, 9, 14, 13, 6, 4, 7, 8, 4, 8, 3, 2];
const SIZE_WEIGHTS = [30, 32, 20, 12, 6];
const WIN_RATE = 0.36;

function planAmount(random: Random, sizeIndex: number): number {
  const base = [80, 300, 900, 2_500, 6_000][sizeIndex] ?? 300;
  return Math.round(base * (0.2 + random.next() * random.next() * 4)) * 10_000;
}

function openTask(kind: TaskKind, assigneeId: string | null, at: number, dueDays: number): PlannedTask {
  const due = dateOf(at + dueDays * DAY);
  return {
    id: 0,
    kind,
    assigneeId,
    createdAt: at,
    dueOn: due,
    state: 'open',
    completedBy: null,
    completedAt: null,
    remindedOn: null,
  };
}

function complete(task: PlannedTask, state: 'done' | 'cancelled', by: string | null, at: number): void {
  task.state = state;
  task.completedBy = by;
  task.completedAt = at;
}

function progressEntry(ctx: PlanContext, status: ProgressEntry['status'], at: number, amount: number | null) {
  const { random, texts } = ctx;
  const nextDue = status === 'negotiating' && random.chance(0.7) ? dateOf(at + random.between(3, 14) * DAY) : null;
  const entry: ProgressEntry = {
    status,
    activityType: random.pick(['往訪', '見積提出', '電話・Web会議', 'メール', 'その他']),
    activityDate: dateOf(at),
    amount: status === 'lost' || random.chance(0.4) ? null : amount,
    content: status === 'won' ? texts.winNote() : status === 'lost' ? texts.lossNote() : texts.progressNote(),
    nextAction: nextDue ? texts.nextAction() : null,
    nextActionDue: nextDue,
    lossReason: status === 'lost' ? random.weighted(LOSS_REASONS, [34, 26, 12, 16, 8, 4]) : null,
    lossDetail: status === 'lost' && random.chance(0.5) ? texts.lossNote() : null,
  };
  return entry;
}

export function planDeal(ctx: PlanContext, id: number, createdAt: number): PlannedDeal {
  const { random, texts } = ctx;
  const apiStarted = random.chance(0.03);
  const ownerId = random.weighted(ctx.reps, ctx.repWeights);
  const sizeIndex = random.weighted([0, 1, 2, 3, 4], SIZE_WEIGHTS);
  const amount = random.chance(0.9) ? planAmount(random, sizeIndex) : null;
  const reportAt = apiStarted ? createdAt + random.between(1, 72) * HOUR : createdAt;
  const reported = reportAt <= ctx.until && !(apiStarted && random.chance(0.1));
  const deal: PlannedDeal = {
    id,
    createdAt,
    reportedAt: reported ? reportAt : null,
    apiStarted,
    status: reported ? 'negotiating' : 'draft',
    closedAt: null,
    adviceGiven: false,
    report: {
      customer: texts.customer(),
      title: texts.title(),
      industry: random.chance(0.95) ? random.weighted(INDUSTRIES, INDUSTRY_WEIGHTS) : null,
      companySize: random.chance(0.93) ? (COMPANY_SIZES[sizeIndex] ?? null) : null,
      amount,
      expectedCloseDate: random.chance(0.8) ? dateOf(createdAt + random.between(20, 200) * DAY) : null,
      source: apiStarted ? '外部システム' : random.weighted(SOURCES, [22, 20, 12, 26, 14, 0, 6]),
      contactName: random.chance(0.8) ? texts.contact() : null,
      description: texts.description(),
      ownerId,
    },
    initialTasks: [],
    steps: [],
  };
  const steps: Step[] = [];
  if (apiStarted) {
    const reportTask = openTask('report', ownerId, createdAt, 1);
    deal.initialTasks.push(reportTask);
    steps.push({ at: createdAt, kind: 'start' });
    if (reported) complete(reportTask, 'done', ownerId, reportAt);
  }
  if (reported) planReported(ctx, deal, reportAt, steps);
  deal.steps = steps.filter((step) => step.at <= ctx.until).sort((a, b) => a.at - b.at);
  addReminders(ctx, deal);
  return deal;
}

function planReported(ctx: PlanContext, deal: PlannedDeal, reportAt: number, steps: Step[]): void {
  const { random, texts, until } = ctx;
  steps.push({ at: reportAt, kind: 'report' });
  const advice = openTask('advice', null, reportAt, 2);
  let progress = openTask('progress', deal.report.ownerId, reportAt, 7);
  deal.initialTasks.push(advice, progress);

  const adviceAt = reportAt + random.between(1, 60) * HOUR;
  if (random.chance(0.75) && adviceAt <= until) {
    const by = random.pick(ctx.leaders);
    steps.push({ at: adviceAt, kind: 'advice', by, text: texts.advice() });
    complete(advice, 'done', by, adviceAt);
    deal.adviceGiven = true;
  }

  const heavyTimes = heavyProgressTimes(ctx, reportAt);
  const negotiations = heavyTimes.length > 0 ? heavyTimes.length : random.weighted([0, 1, 2, 3, 4], [38, 35, 17, 7, 3]);
  const entries = negotiations + (ctx.heavyEntries === 0 && !random.chance(0.04) ? 1 : 0);
  let at = reportAt;
  let dueAt = reportAt + 7 * DAY;
  let lastStep: Extract<Step, { kind: 'progress' }> | null = null;
  for (let i = 0; i < entries; i += 1) {
    // Most entries come around the task's due date; some late (the task is reminded), some early.
    at = heavyTimes[i] ?? Math.max(at + DAY, dueAt + random.between(-5, 3) * DAY) + random.int(8 * HOUR);
    if (at > until) break;
    const status = i < negotiations ? 'negotiating' : random.chance(WIN_RATE) ? 'won' : 'lost';
    const entry = progressEntry(ctx, status, at, deal.report.amount);
    complete(progress, 'done', deal.report.ownerId, at);
    const closed = progress;
    const opens = status === 'negotiating' ? openTask('progress', deal.report.ownerId, at, 7) : null;
    if (opens && entry.nextActionDue) opens.dueOn = entry.nextActionDue;
    lastStep = { at, kind: 'progress', entry, closes: closed, opens, last: false };
    steps.push(lastStep);
    if (opens) progress = opens;
    dueAt = Date.parse(`${progress.dueOn}T01:00:00Z`);
    if (status !== 'negotiating') {
      deal.status = status;
      deal.closedAt = at;
      if (advice.state === 'open') complete(advice, 'cancelled', null, at);
    }
  }
  if (lastStep) lastStep.last = true;
  planComments(ctx, deal, reportAt, steps);
}

/** A long-running deal's own progress entries (a third of its extra entries). */
function heavyProgressTimes(ctx: PlanContext, reportAt: number): number[] {
  const count = Math.floor(ctx.heavyEntries * 0.3);
  const span = ctx.until - reportAt;
  return Array.from({ length: count }, (_, i) => reportAt + Math.floor(((i + 0.5) / count) * span));
}

function planComments(ctx: PlanContext, deal: PlannedDeal, reportAt: number, steps: Step[]): void {
  const { random, texts } = ctx;
  const heavy = ctx.heavyEntries > 0;
  const count = heavy ? Math.floor(ctx.heavyEntries * 0.62) : random.weighted([0, 1, 2, 3, 4], [40, 25, 15, 10, 10]);
  const end = heavy ? ctx.until : (deal.closedAt ?? reportAt + 60 * DAY);
  const people = [deal.report.ownerId, ...ctx.leaders];
  for (let i = 0; i < count; i += 1) {
    const at = reportAt + HOUR + Math.floor(random.next() * Math.max(end - reportAt, HOUR));
    const by = random.chance(0.6) ? deal.report.ownerId : random.pick(random.chance(0.5) ? people : ctx.reps);
    const comment: PlannedComment = { ts: '' };
    steps.push({ at, kind: 'comment', by, text: texts.comment(), comment });
    if (random.chance(0.1)) {
      steps.push({
        at: at + random.between(1, 120) * 60_000,
        kind: 'comment_edited',
        by,
        text: texts.comment(),
        comment,
      });
    } else if (random.chance(0.04)) {
      steps.push({ at: at + random.between(1, 600) * 60_000, kind: 'comment_deleted', by, comment });
    }
  }
}

/** Overdue tasks are reminded on the first weekdays after they fall due (10:00 in Japan), up to twice. */
function addReminders(ctx: PlanContext, deal: PlannedDeal): void {
  if (ctx.heavyEntries > 0) return;
  const tasks = [
    ...deal.initialTasks,
    ...deal.steps.flatMap((s) => (s.kind === 'progress' && s.opens ? [s.opens] : [])),
  ];
  const reminders: Step[] = [];
  for (const task of tasks) {
    const end = Math.min(task.completedAt ?? ctx.until, ctx.until);
    let day = Date.parse(`${task.dueOn}T01:00:00Z`) + DAY;
    for (let sent = 0; sent < 2 && day < end; day += DAY) {
      const weekday = new Date(day).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      reminders.push({ at: day, kind: 'remind', task });
      task.remindedOn = dateOf(day);
      sent += 1;
    }
  }
  if (reminders.length > 0) deal.steps = [...deal.steps, ...reminders].sort((a, b) => a.at - b.at);
}
