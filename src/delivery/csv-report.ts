import { exportQuerySql } from '../store/deal-export.js';
import { describeFilters } from '../views/analysis-report.js';
import { exportCsv } from '../workers/csv-export.js';
import { STATUS_LABELS } from '../workflow/catalog.js';
import { todayIn } from '../workflow/dates.js';
import { type DealFilters, toDealQuery } from '../workflow/deal-search.js';
import type { OptionListKey, OptionLists } from '../workflow/options.js';
import { openDm, type ReportDeps } from './analysis-report.js';

function labelsOf(lists: OptionLists, list: OptionListKey): Record<string, string> {
  return Object.fromEntries(lists[list].map((option) => [option.id, option.label]));
}

/** The search's matching deals as CSV, uploaded into the requester's DM. */
export async function sendCsv(deps: ReportDeps, userId: string, filters: DealFilters): Promise<void> {
  const { lists } = deps.settings();
  const { sql, params } = exportQuerySql(deps.store.search.resolveShortWords(toDealQuery(filters, deps.timeZone)));
  const csv = await exportCsv({
    databasePath: deps.databasePath,
    sql,
    params,
    timeZone: deps.timeZone,
    labels: {
      industry: labelsOf(lists, 'industry'),
      companySize: labelsOf(lists, 'companySize'),
      source: labelsOf(lists, 'source'),
      lossReason: labelsOf(lists, 'lossReason'),
      status: { ...STATUS_LABELS },
    },
  });
  const channel = await openDm(deps.client, userId);
  const conditions = describeFilters(filters, lists);
  await deps.client.filesUploadV2({
    channel_id: channel,
    file: Buffer.from(csv.bytes),
    filename: `anken-deals-${todayIn(deps.timeZone, deps.now())}.csv`,
    title: `案件の書き出し (${csv.rows.toLocaleString('ja-JP')} 件)`,
    initial_comment: `検索結果を CSV で書き出しました: ${csv.rows.toLocaleString('ja-JP')} 件${conditions ? ` (${conditions})` : ''}`,
  });
}
