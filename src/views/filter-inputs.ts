import type { InputBlock } from '@slack/types';
import { FILTER_BLOCK } from '../ids.js';
import { STATUS_LABELS } from '../workflow/catalog.js';
import type { DealFilters } from '../workflow/deal-search.js';
import type { OptionListKey, OptionLists } from '../workflow/options.js';
import { type Choice, dateInput, radioInput, selectInput, textInput, userInput } from './inputs.js';

const statusChoices = (['negotiating', 'won', 'lost'] as const).map((status) => ({
  value: status,
  label: STATUS_LABELS[status],
}));

/** Every option of a list, retired ones too: old deals keep them and can still be found by them. */
function filterChoices(lists: OptionLists, list: OptionListKey): Choice[] {
  return lists[list].map((option) => ({ value: option.id, label: option.label }));
}

/** The filter inputs the search and the analysis share, showing `filters`. */
export function filterInputs(
  filters: DealFilters,
  lists: OptionLists,
  options: { keywords: boolean; periodBasis: boolean },
): InputBlock[] {
  return [
    ...(options.keywords
      ? [
          textInput({
            blockId: FILTER_BLOCK.keywords,
            label: 'キーワード',
            optional: true,
            maxLength: 100,
            placeholder: '例: 保守 更改',
            hint: '顧客名・案件名・案件概要・進捗・助言・スレッドのコメントから探します。スペースで区切ると、すべてを含む案件です。',
            initial: filters.keywords,
          }),
        ]
      : []),
    selectInput({
      blockId: FILTER_BLOCK.industry,
      label: '業種',
      optional: true,
      choices: filterChoices(lists, 'industry'),
      placeholder: 'すべて',
      initial: filters.industry,
    }),
    selectInput({
      blockId: FILTER_BLOCK.companySize,
      label: '会社規模',
      optional: true,
      choices: filterChoices(lists, 'companySize'),
      placeholder: 'すべて',
      initial: filters.companySize,
    }),
    selectInput({
      blockId: FILTER_BLOCK.status,
      label: '状況',
      optional: true,
      choices: statusChoices,
      placeholder: 'すべて',
      initial: filters.status,
    }),
    userInput({ blockId: FILTER_BLOCK.owner, label: '担当営業', optional: true, initial: filters.ownerId }),
    ...periodBasis(filters, options.periodBasis),
    dateInput({ blockId: FILTER_BLOCK.from, label: '期間の開始日', optional: true, initial: filters.from }),
    dateInput({ blockId: FILTER_BLOCK.to, label: '期間の終了日', optional: true, initial: filters.to }),
  ];
}

function periodBasis(filters: DealFilters, shown: boolean): InputBlock[] {
  if (!shown) return [];
  return [
    radioInput({
      blockId: FILTER_BLOCK.periodBasis,
      label: '期間の基準',
      choices: [
        { value: 'reported', label: '報告日' },
        { value: 'closed', label: 'クローズ日 (受注・失注)' },
      ],
      initial: filters.periodBasis,
    }),
  ];
}
