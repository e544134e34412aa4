/**
 * 分析: win rates, loss reasons, how long deals take and the open pipeline, from grouped counts (the
 * counters the store keeps, or the same groups computed over filtered deals). Pure.
 */

/** Fewer closed deals than this in a group are too few to judge a win rate by. */
export const MIN_CLOSED_TO_JUDGE = 5;

export type Step = 'total' | 'advice' | 'negotiation';

/** Closed deals of one group: how many were won and lost, and the amount won. */
export interface Outcomes {
  won: number;
  lost: number;
  wonAmount: number;
}

/** Grouped counts of the deals closed in some months (the open pipeline: of every open deal). */
export interface AnalysisCounts {
  outcomes: Array<Outcomes & { industry: string; companySize: string }>;
  reps: Array<Outcomes & { ownerId: string }>;
  lossReasons: Array<{ reason: string; deals: number }>;
  /** For each number of whole days, how many deals took that long in each step. */
  durations: Array<{ days: number } & Record<Step, number>>;
  pipeline: Array<{ month: string; deals: number; amount: number }>;
}

/** Calendar months, YYYY-MM, both included (UTC, as the counters keep them). */
export interface MonthRange {
  from: string;
  to: string;
}

export interface WinRate {
  won: number;
  lost: number;
  /** 受注 ÷ (受注 + 失注); null when nothing closed. */
  rate: number | null;
  wonAmount: number;
  tooFew: boolean;
}

export interface AnalysisReport {
  months: MonthRange;
  total: WinRate;
  bySegment: Array<WinRate & { industry: string; companySize: string }>;
  byIndustry: Array<WinRate & { industry: string }>;
  byRep: Array<WinRate & { ownerId: string }>;
  lossReasons: Array<{ reason: string; deals: number; share: number }>;
  /** Median days, null when no deal closed. */
  medianDays: Record<Step, number | null>;
  pipeline: Array<{ month: string; deals: number; amount: number }>;
}

function winRate(rows: readonly Outcomes[]): WinRate {
  const sum = (field: keyof Outcomes) => rows.reduce((total, row) => total + row[field], 0);
  const won = sum('won');
  const lost = sum('lost');
  return {
    won,
    lost,
    rate: won + lost === 0 ? null : won / (won + lost),
    wonAmount: sum('wonAmount'),
    tooFew: won + lost < MIN_CLOSED_TO_JUDGE,
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/** One collator for every sort: localeCompare with a locale builds a new one on each call. */
const japanese = new Intl.Collator('ja');

/** Most closed deals first; ties by name, so the order is stable. */
function byClosed<T extends WinRate>(rows: T[], name: (row: T) => string): T[] {
  return rows.sort((a, b) => b.won + b.lost - (a.won + a.lost) || japanese.compare(name(a), name(b)));
}

/** The median of a histogram of whole days. */
export function medianOf(histogram: readonly { days: number; deals: number }[]): number | null {
  const buckets = histogram.filter((bucket) => bucket.deals > 0).sort((a, b) => a.days - b.days);
  const count = buckets.reduce((total, bucket) => total + bucket.deals, 0);
  if (count === 0) return null;
  const at = (position: number): number => {
    let seen = 0;
    for (const bucket of buckets) {
      seen += bucket.deals;
      if (position < seen) return bucket.days;
    }
    return buckets.at(-1)?.days ?? 0;
  };
  return (at(Math.floor((count - 1) / 2)) + at(Math.floor(count / 2))) / 2;
}

export function summariseAnalysis(counts: AnalysisCounts, months: MonthRange): AnalysisReport {
  const outcomes = counts.outcomes.filter((row) => row.won !== 0 || row.lost !== 0);
  const segments = [...groupBy(outcomes, (row) => `${row.industry}\u0000${row.companySize}`).values()].map((rows) => ({
    industry: rows[0]?.industry ?? '',
    companySize: rows[0]?.companySize ?? '',
    ...winRate(rows),
  }));
  const industries = [...groupBy(outcomes, (row) => row.industry).entries()].map(([industry, rows]) => ({
    industry,
    ...winRate(rows),
  }));
  const reps = [...groupBy(counts.reps, (row) => row.ownerId).entries()].map(([ownerId, rows]) => ({
    ownerId,
    ...winRate(rows),
  }));
  const losses = counts.lossReasons.filter((row) => row.deals > 0);
  const lostTotal = losses.reduce((total, row) => total + row.deals, 0);
  const steps: Step[] = ['total', 'advice', 'negotiation'];
  return {
    months,
    total: winRate(outcomes),
    bySegment: byClosed(segments, (row) => `${row.industry}${row.companySize}`),
    byIndustry: byClosed(industries, (row) => row.industry),
    byRep: byClosed(
      reps.filter((rep) => rep.won + rep.lost > 0),
      (row) => row.ownerId,
    ),
    lossReasons: losses
      .map((row) => ({ ...row, share: row.deals / lostTotal }))
      .sort((a, b) => b.deals - a.deals || japanese.compare(a.reason, b.reason)),
    medianDays: Object.fromEntries(
      steps.map((step) => [step, medianOf(counts.durations.map((row) => ({ days: row.days, deals: row[step] })))]),
    ) as Record<Step, number | null>,
    pipeline: counts.pipeline.filter((row) => row.deals > 0).sort((a, b) => a.month.localeCompare(b.month)),
  };
}

/** The last 12 months up to and including the month of `today` (YYYY-MM-DD). */
export function lastTwelveMonths(today: string): MonthRange {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(year, month - 1 - 11, 1));
  return { from: start.toISOString().slice(0, 7), to: today.slice(0, 7) };
}

/** The months a date range (YYYY-MM-DD) touches. */
export function monthsOf(from: string, to: string): MonthRange {
  return { from: from.slice(0, 7), to: to.slice(0, 7) };
}
