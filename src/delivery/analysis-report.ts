import { createRequire } from 'node:module';
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { analysisQueries, type NamedQuery } from '../store/deal-stats.js';
import type { Store } from '../store/index.js';
import { searchIndexAttachment } from '../store/search-file.js';
import { buildAnalysisMessages, describeFilters, formatMonths } from '../views/analysis-report.js';
import { buildWinRateChart } from '../views/win-rate-chart.js';
import { renderPng } from '../workers/render-png.js';
import { runInWorker } from '../workers/run-in-worker.js';
import {
  type AnalysisCounts,
  lastTwelveMonths,
  type MonthRange,
  monthsOf,
  summariseAnalysis,
} from '../workflow/analysis.js';
import { todayIn } from '../workflow/dates.js';
import { type DealFilters, toDealQuery } from '../workflow/deal-search.js';
import { optionLabel } from '../workflow/options.js';
import type { TeamSettings } from '../workflow/settings.js';

const require = createRequire(import.meta.url);

export interface ReportDeps {
  client: WebClient;
  store: Store;
  settings: () => TeamSettings;
  databasePath: string;
  timeZone: string;
  now: () => Date;
  logger: Logger;
}

/** The counters answer for a period alone; any other filter needs the deals themselves. */
export function countersAnswer(filters: DealFilters): boolean {
  const { industry, companySize, status, ownerId, keywords } = filters;
  return industry === null && companySize === null && status === null && ownerId === null && keywords.trim() === '';
}

interface QueryJob {
  databasePath: string;
  /** Its search index, attached on the worker's connection (a query with words reads it). */
  searchIndex: { sql: string; path: string };
  driver: string;
  queries: NamedQuery[];
}

/** In the worker: the analysis's grouped queries on a read-only connection of its own. */
function runQueriesJob(input: QueryJob): Record<string, unknown[]> {
  const Database = require(input.driver);
  const db = new Database(input.databasePath, { readonly: true, fileMustExist: true });
  try {
    db.prepare(input.searchIndex.sql).run(input.searchIndex.path);
    return Object.fromEntries(input.queries.map((query) => [query.name, db.prepare(query.sql).all(query.params)]));
  } finally {
    db.close();
  }
}

export function analysisMonths(filters: DealFilters, today: string): MonthRange {
  if (filters.from === null && filters.to === null) return lastTwelveMonths(today);
  return monthsOf(filters.from ?? lastTwelveMonths(today).from, filters.to ?? today);
}

/** The analysis's groups computed from the deals, in a worker thread with its own read-only connection. */
export async function countsInWorker(databasePath: string, queries: NamedQuery[]): Promise<AnalysisCounts> {
  const job = {
    databasePath,
    searchIndex: searchIndexAttachment(databasePath),
    driver: require.resolve('better-sqlite3'),
    queries,
  };
  return (await runInWorker(runQueriesJob, job)) as unknown as AnalysisCounts;
}

function countsFor(
  deps: ReportDeps,
  filters: DealFilters,
  months: MonthRange,
): Promise<AnalysisCounts> | AnalysisCounts {
  if (countersAnswer(filters)) return deps.store.stats.counts(months);
  const query = deps.store.search.resolveShortWords(toDealQuery(filters, deps.timeZone));
  return countsInWorker(deps.databasePath, analysisQueries(query, months, deps.timeZone));
}

export async function openDm(client: WebClient, userId: string): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  return channel;
}

/** 分析: the tables as DM messages, then the chart as a PNG uploaded into the same DM. */
export async function sendAnalysis(deps: ReportDeps, userId: string, filters: DealFilters): Promise<void> {
  const months = analysisMonths(filters, todayIn(deps.timeZone, deps.now()));
  const report = summariseAnalysis(await countsFor(deps, filters, months), months);
  const { lists } = deps.settings();
  const channel = await openDm(deps.client, userId);
  for (const message of buildAnalysisMessages(report, { lists, filters: describeFilters(filters, lists) })) {
    await deps.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
  }
  const bars = report.byIndustry.map((row) => ({
    ...row,
    label: row.industry === '' ? '(未設定)' : optionLabel(lists, 'industry', row.industry),
  }));
  const subtitle = `${formatMonths(months)} にクローズした案件`;
  const png = await renderPng(buildWinRateChart('業種別の受注率', subtitle, bars));
  await deps.client.filesUploadV2({
    channel_id: channel,
    file: png,
    filename: `win-rate-by-industry-${months.from}-${months.to}.png`,
    title: `業種別の受注率 (${formatMonths(months)})`,
    alt_text: bars.map((bar) => `${bar.label} ${bar.rate === null ? '—' : Math.round(bar.rate * 100)}%`).join('、'),
  });
}
