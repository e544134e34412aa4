import type { KnownBlock, ModalView } from '@slack/types';
import { writeFilterMetadata } from '../forms/filter-form.js';
import { ACTION, CALLBACK, SEARCH_RESULTS_BLOCK } from '../ids.js';
import { formatAmount } from '../workflow/amount.js';
import { todayIn } from '../workflow/dates.js';
import {
  type DealFilters,
  SEARCH_COUNT_CAP,
  SEARCH_PAGE_SIZE,
  type SearchPage,
  SHORT_WORD_SCAN,
} from '../workflow/deal-search.js';
import type { OptionLists } from '../workflow/options.js';
import type { Deal } from '../workflow/types.js';
import { channelStatusLabel } from './deal-card.js';
import { dealName, dealNumber } from './deal-summary.js';
import { filterInputs } from './filter-inputs.js';
import { formatDate, plain, truncate } from './text.js';

export interface SearchResultsView {
  page: SearchPage;
  /** Deals whose 失注 this person may see (the owner's and, for leaders, all); others read クローズ. */
  lossVisible: ReadonlySet<number>;
  /** Leaders may export the results as CSV. */
  mayExport: boolean;
  /** A one-character word was searched for. */
  shortWord: boolean;
}

export interface SearchModalInput {
  filters: DealFilters;
  results: SearchResultsView | null;
  /** https://<workspace>.slack.com/ for links to the deal threads; null: no links. */
  workspaceUrl: string | null;
  timeZone: string;
  lists: OptionLists;
}

/** A link to the deal's thread (its card), as Slack's own "copy link" forms it. */
export function threadLink(workspaceUrl: string | null, deal: Deal): string | null {
  if (!workspaceUrl || !deal.cardChannel || !deal.cardTs) return null;
  return `${workspaceUrl.replace(/\/?$/, '/')}archives/${deal.cardChannel}/p${deal.cardTs.replace('.', '')}`;
}

function dayOf(iso: string | null, timeZone: string): string | null {
  return iso === null ? null : formatDate(todayIn(timeZone, new Date(iso)));
}

function statusLabel(deal: Deal, lossVisible: boolean): string {
  return deal.status === 'lost' && lossVisible ? '⚪ 失注' : channelStatusLabel(deal);
}

function resultRow(deal: Deal, input: SearchModalInput, lossVisible: boolean): KnownBlock {
  const link = threadLink(input.workspaceUrl, deal);
  const name = dealName(deal, 150);
  const title = link ? `*<${link}|${name}>*` : `*${name}*`;
  const reported = dayOf(deal.reportedAt, input.timeZone);
  const closed = dayOf(deal.closedAt, input.timeZone);
  const facts = [
    dealNumber(deal),
    statusLabel(deal, lossVisible),
    deal.amount === null ? null : formatAmount(deal.amount),
    reported ? `報告 ${reported}` : null,
    closed ? `クローズ ${closed}` : null,
  ].filter((fact) => fact !== null);
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(`${title}\n${facts.join(' ・ ')}`, 3_000) },
    accessory: { type: 'button', action_id: ACTION.openDetails, text: plain('詳細', 75), value: String(deal.id) },
  };
}

const count = (n: number) => `${n.toLocaleString('ja-JP')} 件`;

const countedSince = (day: string, page: SearchPage) =>
  `${day} 以降に${page.countedBy === 'closed' ? 'クローズした' : '報告された'}案件`;

/** The total as far as it was counted: exact, more than the cap, or among the newest deals only. */
function countLine(page: SearchPage, timeZone: string): string {
  if (page.deals.length === 0) {
    if (page.offset > 0) return 'このページより後に案件はありません。';
    // An empty first page means nothing matches, unless the search looked at the newest deals only.
    const from = page.totalIs === 'amongRecent' ? dayOf(page.countedFrom, timeZone) : null;
    return from
      ? `${countedSince(from, page)}に該当はありません (それより前は探していません)。`
      : '条件に合う案件はありません。';
  }
  const shown =
    page.deals.length === 0 ? '' : `・新しい順 (${page.offset + 1}〜${page.offset + page.deals.length} 件目)`;
  switch (page.totalIs) {
    case 'exact':
      return `${count(page.total)}${shown}`;
    case 'moreThanCap':
      return `${count(page.total)}以上${shown}`;
    case 'amongRecent': {
      const from = dayOf(page.countedFrom, timeZone);
      const counted = from ? `${countedSince(from, page)}で` : '新しい案件のうち';
      return `${counted} ${count(page.total)}が該当 (それより前は数えていません)${shown}`;
    }
  }
}

function notes(results: SearchResultsView): string[] {
  const lines: string[] = [];
  if (results.shortWord) {
    lines.push(
      `💡 1 文字の語は新しい案件 ${SHORT_WORD_SCAN} 件の中から探しています。2 文字以上なら全期間から探せます。`,
    );
  }
  if (results.page.unindexed > 0) {
    lines.push(
      `⏳ 検索用の索引を作成中です (残り ${results.page.unindexed} 件)。古い案件はまだ見つからないことがあります。`,
    );
  }
  return lines;
}

function pager(results: SearchResultsView): KnownBlock[] {
  const { page } = results;
  const buttons = [];
  if (page.offset > 0) {
    buttons.push({
      type: 'button' as const,
      action_id: ACTION.searchPage,
      text: plain('← 前へ', 75),
      value: String(Math.max(page.offset - SEARCH_PAGE_SIZE, 0)),
    });
  }
  const next = page.offset + SEARCH_PAGE_SIZE;
  if (page.hasNext && next < SEARCH_COUNT_CAP) {
    buttons.push({
      type: 'button' as const,
      action_id: ACTION.searchPage,
      text: plain('次へ →', 75),
      value: String(next),
    });
  }
  const blocks: KnownBlock[] = [];
  // action_ids are unique per block, so the two page buttons share one id and differ in value.
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: SEARCH_RESULTS_BLOCK.pager, elements: buttons });
  if (results.mayExport && (page.total > 0 || page.deals.length > 0)) {
    blocks.push({
      type: 'actions',
      block_id: SEARCH_RESULTS_BLOCK.export,
      elements: [{ type: 'button', action_id: ACTION.exportCsv, text: plain('CSV で DM に送る', 75), value: 'csv' }],
    });
  }
  return blocks;
}

/**
 * 案件を検索: the filters, and below them a page of results. Stays far under 100 blocks (8 inputs,
 * 10 rows and a few lines), so it works in the mobile apps too.
 */
export function buildSearchModal(input: SearchModalInput): ModalView {
  const { results } = input;
  const blocks: KnownBlock[] = [...filterInputs(input.filters, input.lists, { keywords: true, periodBasis: true })];
  if (results) {
    const lossVisible = (deal: Deal) => results.lossVisible.has(deal.id);
    blocks.push(
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: countLine(results.page, input.timeZone) }] },
      ...notes(results).map((line): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: line }] })),
      ...results.page.deals.map((deal) => resultRow(deal, input, lossVisible(deal))),
      ...pager(results),
    );
  }
  return {
    type: 'modal',
    callback_id: CALLBACK.searchModal,
    title: plain('案件を検索', 24),
    submit: plain('検索', 24),
    close: plain('閉じる', 24),
    private_metadata: writeFilterMetadata(input.filters),
    blocks,
  };
}
