import { z } from 'zod';
import { FILTER_BLOCK, inputActionId } from '../ids.js';
import { type DealFilters, NO_FILTERS } from '../workflow/deal-search.js';
import type { OptionLists } from '../workflow/options.js';
import type { ProgressStatus } from '../workflow/types.js';
import { FormReader, type FormResult, type StateValues } from './fields.js';

const STATUSES: readonly ProgressStatus[] = ['negotiating', 'won', 'lost'];
const BASES = ['reported', 'closed'] as const;
export const KEYWORDS_MAX = 100;

/** The filters of the search and analysis modals; an optional owner left empty means anyone. */
export function readFilterForm(values: StateValues, lists: OptionLists): FormResult<DealFilters> {
  const form = new FormReader(values);
  const ids = (list: 'industry' | 'companySize') => lists[list].map((option) => option.id);
  const keywords = form.text(FILTER_BLOCK.keywords, { required: false, max: KEYWORDS_MAX, label: 'キーワード' });
  const industry = form.choice(FILTER_BLOCK.industry, ids('industry'), { required: false, label: '業種' });
  const companySize = form.choice(FILTER_BLOCK.companySize, ids('companySize'), { required: false, label: '会社規模' });
  const status = form.choice(FILTER_BLOCK.status, STATUSES, { required: false, label: '状況' });
  const owner = values[FILTER_BLOCK.owner]?.[inputActionId(FILTER_BLOCK.owner)]?.selected_user ?? null;
  const ownerId = owner === null ? null : form.user(FILTER_BLOCK.owner, { label: '担当営業' });
  const periodBasis = form.choice(FILTER_BLOCK.periodBasis, BASES, { required: false, label: '期間の基準' });
  const from = form.date(FILTER_BLOCK.from, { required: false, label: '期間の開始日' });
  const to = form.date(FILTER_BLOCK.to, { required: false, label: '期間の終了日' });
  if (from !== null && to !== null && from > to) {
    form.reject(FILTER_BLOCK.to, '期間の終了日は開始日と同じか、それより後の日付を選んでください。');
  }
  return form.result({
    keywords: keywords ?? '',
    industry,
    companySize,
    status,
    ownerId,
    periodBasis: periodBasis ?? 'reported',
    from,
    to,
  });
}

/** Filters carried in private_metadata between pages: parsed again, never trusted. */
const filtersSchema = z.object({
  keywords: z.string().max(KEYWORDS_MAX * 2),
  industry: z.string().max(150).nullable(),
  companySize: z.string().max(150).nullable(),
  status: z.enum(['negotiating', 'won', 'lost']).nullable(),
  ownerId: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,}$/)
    .nullable(),
  periodBasis: z.enum(BASES),
  from: z.iso.date().nullable(),
  to: z.iso.date().nullable(),
});

export function readFilterMetadata(raw: string): DealFilters | null {
  if (raw === '') return NO_FILTERS;
  try {
    const parsed = filtersSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeFilterMetadata(filters: DealFilters): string {
  return JSON.stringify(filters);
}
