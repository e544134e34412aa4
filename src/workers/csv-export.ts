import { createRequire } from 'node:module';
import { searchIndexAttachment } from '../store/search-file.js';
import { runInWorker } from './run-in-worker.js';

const require = createRequire(import.meta.url);

/**
 * One CSV cell as RFC 4180 writes it (quoted when it holds a comma, a quote or a line break), and
 * neutralised against formula injection: text starting with =, +, -, @, a tab or a carriage return
 * gets a leading apostrophe, so a spreadsheet shows it instead of running it. Numbers stay numbers.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export function csvLine(cells: ReadonlyArray<string | number | null>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const CSV_HEADER = [
  '案件番号',
  '顧客名',
  '案件名',
  '業種',
  '会社規模',
  '状況',
  '見込み金額',
  '受注金額',
  '受注予定時期',
  '案件発生経路',
  '顧客担当者',
  '担当営業',
  '報告日',
  'クローズ日',
  '失注理由',
  '失注理由の詳細',
  '助言',
];

export interface CsvJob {
  databasePath: string;
  /** Its search index, attached on the worker's connection (a query with words reads it). */
  searchIndex: { sql: string; path: string };
  driver: string;
  sql: string;
  params: Record<string, string | number>;
  header: readonly string[];
  timeZone: string;
  /** Labels by stored id, per list, and of the statuses. */
  labels: Record<'industry' | 'companySize' | 'source' | 'lossReason' | 'status', Record<string, string>>;
}

export interface CsvFile {
  bytes: Uint8Array;
  rows: number;
}

interface ExportRow {
  id: number;
  customer: string;
  title: string;
  industry: string | null;
  company_size: string | null;
  status: string;
  amount: number | null;
  won_amount: number | null;
  expected_close_date: string | null;
  source: string | null;
  contact_name: string | null;
  owner_id: string;
  reported_at: string | null;
  closed_at: string | null;
  loss_reason: string | null;
  loss_detail: string | null;
  advice_given: number;
}

/** In the worker: every matching deal, newest first, as UTF-8 CSV with a BOM (Excel reads it as UTF-8). */
function exportCsvJob(input: CsvJob): CsvFile {
  const Database = require(input.driver);
  const db = new Database(input.databasePath, { readonly: true, fileMustExist: true });
  try {
    db.prepare(input.searchIndex.sql).run(input.searchIndex.path);
    const format = new Intl.DateTimeFormat('sv-SE', {
      timeZone: input.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const day = (iso: string | null) => (iso === null ? null : format.format(new Date(iso)));
    const label = (list: keyof CsvJob['labels'], id: string | null) =>
      id === null ? null : (input.labels[list][id] ?? id);
    const parts = [`\uFEFF${csvLine(input.header)}`];
    let rows = 0;
    for (const row of db.prepare(input.sql).iterate(input.params) as Iterable<ExportRow>) {
      rows += 1;
      parts.push(
        csvLine([
          row.id,
          row.customer,
          row.title,
          label('industry', row.industry),
          label('companySize', row.company_size),
          label('status', row.status),
          row.amount,
          row.won_amount,
          row.expected_close_date,
          label('source', row.source),
          row.contact_name,
          row.owner_id,
          day(row.reported_at),
          day(row.closed_at),
          label('lossReason', row.loss_reason),
          row.loss_detail,
          row.advice_given === 1 ? '済み' : '',
        ]),
      );
    }
    return { bytes: Buffer.from(parts.join(''), 'utf8'), rows };
  } finally {
    db.close();
  }
}

/** Writing 100,000 rows takes seconds: it runs in a worker with its own read-only connection. */
export function exportCsv(job: Omit<CsvJob, 'driver' | 'header' | 'searchIndex'>): Promise<CsvFile> {
  const input = {
    ...job,
    header: CSV_HEADER,
    driver: require.resolve('better-sqlite3'),
    searchIndex: searchIndexAttachment(job.databasePath),
  };
  return runInWorker(exportCsvJob, input, [csvCell, csvLine]);
}
