import type { ModalView } from '@slack/types';
import { writeFilterMetadata } from '../forms/filter-form.js';
import { CALLBACK } from '../ids.js';
import type { DealFilters } from '../workflow/deal-search.js';
import type { OptionLists } from '../workflow/options.js';
import { filterInputs } from './filter-inputs.js';
import { plain } from './text.js';

/** 受注・失注の分析: the search's filters; the result goes to the leader's DM. */
export function buildAnalysisModal(filters: DealFilters, lists: OptionLists): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.analysisModal,
    title: plain('受注・失注の分析', 24),
    submit: plain('DM に送る', 24),
    close: plain('閉じる', 24),
    private_metadata: writeFilterMetadata(filters),
    blocks: [
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: '期間にクローズした案件の受注率・失注理由・日数と、いま商談中のパイプラインを DM でお送りします。期間は月単位で数えます。',
          },
        ],
      },
      ...filterInputs(filters, lists, { keywords: true, periodBasis: false }),
    ],
  };
}
