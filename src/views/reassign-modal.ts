import type { ModalView } from '@slack/types';
import { CALLBACK, REASSIGN_BLOCK } from '../ids.js';
import type { Deal } from '../workflow/types.js';
import { userInput } from './inputs.js';
import type { DealModalMetadata } from './progress-modal.js';
import { dealHeading } from './progress-modal.js';
import { mention, plain } from './text.js';

/** 担当を変更 (leaders): whom the deal goes to. */
export function buildReassignModal(deal: Deal): ModalView {
  const metadata: DealModalMetadata = { dealId: deal.id };
  return {
    type: 'modal',
    callback_id: CALLBACK.reassignModal,
    title: plain('担当を変更', 24),
    submit: plain('引き継ぐ', 24),
    close: plain('キャンセル', 24),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      dealHeading(deal, `いまの担当: ${mention(deal.ownerId)}`),
      userInput({ blockId: REASSIGN_BLOCK.owner, label: '新しい担当営業' }),
    ],
  };
}
