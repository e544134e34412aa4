import type { KnownBlock, RawTextElement, RichTextBlock } from '@slack/types';
import { formatAmount } from '../workflow/amount.js';
import type { AnalysisReport, MonthRange, WinRate } from '../workflow/analysis.js';
import { STATUS_LABELS } from '../workflow/catalog.js';
import type { DealFilters } from '../workflow/deal-search.js';
import { type OptionListKey, type OptionLists, optionLabel } from '../workflow/options.js';
import { plain, truncate, userText } from './text.js';

/** One DM message: Slack allows one table block a message, so each breakdown is a message of its own. */
export interface ReportMessage {
  /** The plain-text fallback (notifications, clients without tables): the same figures as text. */
  text: string;
  blocks: KnownBlock[];
}

type Cell = RawTextElement | RichTextBlock;
/** Tables hold at most 100 rows: a header and 99 groups (the rest are summed in the text). */
const MAX_TABLE_ROWS = 99;
const TOO_FEW = '⚠️';

const cell = (text: string): RawTextElement => ({ type: 'raw_text', text: text === '' ? '—' : truncate(text, 200) });

function userCell(userId: string): RichTextBlock {
  return {
    type: 'rich_text',
    elements: [{ type: 'rich_text_section', elements: [{ type: 'user', user_id: userId }] }],
  };
}

export function formatMonths(months: MonthRange): string {
  const show = (month: string) => month.replace('-', '/');
  return months.from === months.to ? show(months.from) : `${show(months.from)}〜${show(months.to)}`;
}

function rate(row: WinRate): string {
  if (row.rate === null) return '—';
  return `${Math.round(row.rate * 100)}%${row.tooFew ? ` ${TOO_FEW}` : ''}`;
}

function table(header: string[], rows: Cell[][], numericFrom: number): KnownBlock {
  return {
    type: 'table',
    column_settings: header.map((_, index) => (index >= numericFrom ? { align: 'right' } : { is_wrapped: true })),
    rows: [header.map(cell), ...rows.slice(0, MAX_TABLE_ROWS)],
  } as KnownBlock;
}

function heading(title: string, months: MonthRange | null): KnownBlock {
  return { type: 'header', text: plain(months ? `${title} (${formatMonths(months)})` : title, 150) };
}

function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 3_000) }] };
}

function lines(header: string[], rows: string[][]): string {
  return [header.join(' / '), ...rows.slice(0, MAX_TABLE_ROWS).map((row) => row.join(' / '))].join('\n');
}

const days = (value: number | null) => (value === null ? '—' : `${value} 日`);

export interface ReportLabels {
  lists: OptionLists;
  /** What this analysis was narrowed to, in words (empty: everything). */
  filters: string;
}

function label(labels: ReportLabels, list: OptionListKey, id: string): string {
  return id === '' ? '(未設定)' : optionLabel(labels.lists, list, id);
}

function summary(report: AnalysisReport, labels: ReportLabels): ReportMessage {
  const { total, medianDays } = report;
  const headline = `受注率 ${rate(total)} ・ 受注 ${total.won} 件 (${formatAmount(total.wonAmount)}) ・ 失注 ${total.lost} 件`;
  const steps = `日数の中央値: 報告→クローズ ${days(medianDays.total)} ・ 助言待ち ${days(medianDays.advice)} ・ 商談中 ${days(medianDays.negotiation)}`;
  const header = ['業種', '会社規模', '受注', '失注', '受注率'];
  const rows = report.bySegment.map((row) => [
    label(labels, 'industry', row.industry),
    label(labels, 'companySize', row.companySize),
    String(row.won),
    String(row.lost),
    rate(row),
  ]);
  return {
    text: `受注・失注の分析 (${formatMonths(report.months)})\n${headline}\n${steps}\n${lines(header, rows)}`,
    blocks: [
      heading('📊 受注・失注の分析', report.months),
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`*${headline}*\n${steps}`, 3_000) } },
      ...(labels.filters ? [note(`条件: ${labels.filters}`)] : []),
      ...(rows.length > 0
        ? [
            table(
              header,
              rows.map((row) => row.map(cell)),
              2,
            ),
          ]
        : []),
      note(`${TOO_FEW} はクローズが 5 件未満で、判断には少なすぎます。期間はクローズした月 (UTC) で数えます。`),
    ],
  };
}

function byRep(report: AnalysisReport): ReportMessage {
  const header = ['担当営業', '受注', '失注', '受注率'];
  const rows = report.byRep.map((row) => [row.ownerId, String(row.won), String(row.lost), rate(row)]);
  return {
    text: `担当営業別の受注率\n${lines(
      header,
      rows.map(([owner, ...rest]) => [`<@${owner}>`, ...rest]),
    )}`,
    blocks: [
      heading('担当営業別の受注率', null),
      rows.length > 0
        ? table(
            header,
            report.byRep.map((row) => [
              userCell(row.ownerId),
              cell(String(row.won)),
              cell(String(row.lost)),
              cell(rate(row)),
            ]),
            1,
          )
        : note('この期間にクローズした案件はありません。'),
    ],
  };
}

function lossReasons(report: AnalysisReport, labels: ReportLabels): ReportMessage {
  const header = ['失注理由', '件数', '割合'];
  const rows = report.lossReasons.map((row) => [
    label(labels, 'lossReason', row.reason),
    String(row.deals),
    `${Math.round(row.share * 100)}%`,
  ]);
  return {
    text: `失注理由\n${lines(header, rows)}`,
    blocks: [
      heading('失注理由', null),
      rows.length > 0
        ? table(
            header,
            rows.map((row) => row.map(cell)),
            1,
          )
        : note('この期間の失注はありません。'),
    ],
  };
}

function pipeline(report: AnalysisReport): ReportMessage {
  const header = ['受注予定月', '商談中', '見込み金額'];
  const rows = report.pipeline.map((row) => [
    row.month === '' ? '(未設定)' : row.month.replace('-', '/'),
    `${row.deals} 件`,
    formatAmount(row.amount),
  ]);
  return {
    text: `商談中のパイプライン (受注予定月別)\n${lines(header, rows)}`,
    blocks: [
      heading('商談中のパイプライン (受注予定月別)', null),
      rows.length > 0
        ? table(
            header,
            rows.map((row) => row.map(cell)),
            1,
          )
        : note('商談中の案件はありません。'),
    ],
  };
}

/** The analysis as DM messages: summary with 業種 × 会社規模, by rep, 失注理由, and the open pipeline. */
export function buildAnalysisMessages(report: AnalysisReport, labels: ReportLabels): ReportMessage[] {
  return [summary(report, labels), byRep(report), lossReasons(report, labels), pipeline(report)];
}

/** What an analysis or export was narrowed to, for its reader: 「業種: 製造業 ・ キーワード: 保守」. */
export function describeFilters(filters: DealFilters, lists: OptionLists): string {
  const parts = [
    filters.industry === null ? null : `業種: ${optionLabel(lists, 'industry', filters.industry)}`,
    filters.companySize === null ? null : `会社規模: ${optionLabel(lists, 'companySize', filters.companySize)}`,
    filters.status === null ? null : `状況: ${STATUS_LABELS[filters.status]}`,
    filters.ownerId === null ? null : `担当営業: <@${filters.ownerId}>`,
    filters.keywords.trim() === '' ? null : `キーワード: ${userText(filters.keywords, 200)}`,
  ];
  return parts.filter((part) => part !== null).join(' ・ ');
}
