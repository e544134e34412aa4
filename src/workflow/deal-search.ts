import { addDays, startOfDay } from './dates.js';
import { isIndexedWord, longestFirst, searchWords } from './search-terms.js';
import type { Deal, ProgressStatus } from './types.js';

/** What the search (and the analysis and the CSV export) narrow deals by; null means any. */
export interface DealFilters {
  industry: string | null;
  companySize: string | null;
  status: ProgressStatus | null;
  ownerId: string | null;
  /** Which date 期間 reads: when the deal was reported, or when it closed. */
  periodBasis: 'reported' | 'closed';
  /** YYYY-MM-DD in the team's time zone, both ends included. */
  from: string | null;
  to: string | null;
  /** キーワード as typed. */
  keywords: string;
}

export const NO_FILTERS: DealFilters = {
  industry: null,
  companySize: null,
  status: null,
  ownerId: null,
  periodBasis: 'reported',
  from: null,
  to: null,
  keywords: '',
};

/** The filters as the store reads them: instants instead of dates, normalised words instead of keywords. */
export interface DealQuery {
  industry: string | null;
  companySize: string | null;
  status: ProgressStatus | null;
  ownerId: string | null;
  periodColumn: 'reported_at' | 'closed_at';
  /** ISO instants: from included, until excluded. */
  since: string | null;
  until: string | null;
  /** The words, normalised, longest first: a deal matches when its texts hold each (in any of them). */
  words: string[];
  /** Only these deals (the ones found to hold a one-character word); null: any. */
  onlyDeals: number[] | null;
}

export function toDealQuery(filters: DealFilters, timeZone: string): DealQuery {
  return {
    industry: filters.industry,
    companySize: filters.companySize,
    status: filters.status,
    ownerId: filters.ownerId,
    periodColumn: filters.periodBasis === 'closed' ? 'closed_at' : 'reported_at',
    since: filters.from === null ? null : startOfDay(filters.from, timeZone),
    until: filters.to === null ? null : startOfDay(addDays(filters.to, 1), timeZone),
    words: longestFirst(searchWords(filters.keywords)),
    onlyDeals: null,
  };
}

/** A one-character word is looked for only in the newest deals (SHORT_WORD_SCAN): the modal says so. */
export function needsLongerWord(filters: DealFilters): boolean {
  return searchWords(filters.keywords).some((word) => !isIndexedWord(word));
}

/**
 * With a one-character word, the texts of this many deals (the newest that pass the other filters and
 * words) are read to find it: the index holds pairs of characters only (npm run bench).
 */
export const SHORT_WORD_SCAN = 100;

export const SEARCH_PAGE_SIZE = 10;
/**
 * Totals are counted up to this many, and pages reach this far; more reads as 「1,000 件以上」. An exact
 * count of a common word costs about 0.3–0.9 s at 100,000 deals (every deal holding it is read), so
 * a count is always bounded (npm run bench).
 */
export const SEARCH_COUNT_CAP = 1_000;
/**
 * With words, the count looks at the newest this many deals that hold the first word (then applies the
 * other filters); when there are older ones, the modal says from when it counted. Pages are found all
 * the same.
 */
export const COUNT_WORD_WINDOW = 2_000;
/** With filters too, each deal's row is read for them: the count looks at the newest this many. */
export const FILTERED_COUNT_WINDOW = 1_000;

/**
 * How far a total can be trusted: `exact`; `moreThanCap` (more than SEARCH_COUNT_CAP match);
 * `amongRecent` (counted among the newest deals only: those reported from `countedFrom` on).
 */
export type TotalKind = 'exact' | 'moreThanCap' | 'amongRecent';

export interface SearchPage {
  deals: Deal[];
  /** Whether a deal comes after this page. */
  hasNext: boolean;
  /** Matching deals, counted as `totalIs` says (never more than SEARCH_COUNT_CAP). */
  total: number;
  totalIs: TotalKind;
  /**
   * With `amongRecent`: when the oldest deal the count looked at was reported (ISO instant), or closed
   * (`countedBy: 'closed'`: a search by closing date counts its period's newest deals).
   */
  countedFrom: string | null;
  countedBy?: 'closed';
  offset: number;
  /** Deals reported before the search index was rebuilt and not yet indexed (their words are not found yet). */
  unindexed: number;
}
