import type { ModalView } from '@slack/types';
import { ADVICE_BLOCK, CALLBACK } from '../ids.js';
import { LIMITS } from '../workflow/catalog.js';
import type { OptionLists } from '../workflow/options.js';
import type { Deal } from '../workflow/types.js';
import { dealFieldsBlock, descriptionBlocks } from './deal-summary.js';
import { textInput } from './inputs.js';
import type { DealModalMetadata } from './progress-modal.js';
import { dealHeading } from './progress-modal.js';
import { mention, plain } from './text.js';

/** 1a. 助言や戦略の指示 */
export function buildAdviceModal(deal: Deal, lists: OptionLists): ModalView {
  const metadata: DealModalMetadata = { dealId: deal.id };
  return {
    type: 'modal',
    callback_id: CALLBACK.adviceModal,
    title: plain('助言・戦略の指示', 24),
    submit: plain('スレッドに投稿', 24),
    close: plain('キャンセル', 24),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      dealHeading(deal, `担当: ${mention(deal.ownerId)}`),
      dealFieldsBlock(deal, lists),
      ...descriptionBlocks(deal, 1_500),
      textInput({
        blockId: ADVICE_BLOCK.text,
        label: '助言・戦略の指示',
        multiline: true,
        maxLength: LIMITS.advice,
        placeholder: 'どう取り組むとよいか、担当営業へのアドバイス',
        hint: '案件のスレッドに、担当営業へのメンション付きで投稿されます。',
      }),
    ],
  };
}
