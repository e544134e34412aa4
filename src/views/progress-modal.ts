import type { KnownBlock, ModalView } from '@slack/types';
import { CALLBACK, PROGRESS_BLOCK } from '../ids.js';
import { LIMITS, STATUS_LABELS } from '../workflow/catalog.js';
import type { OptionLists } from '../workflow/options.js';
import type { Deal } from '../workflow/types.js';
import { dealName, dealNumber } from './deal-summary.js';
import { dateInput, listChoices, radioInput, selectInput, textInput } from './inputs.js';
import { plain, truncate } from './text.js';

export interface DealModalMetadata {
  dealId: number;
}

export function dealHeading(deal: Deal, note: string): KnownBlock {
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: truncate(`*${dealName(deal, 300)}*\n${dealNumber(deal)} ・ ${note}`, 3_000),
    },
  };
}

export interface ProgressModalSettings {
  lists: OptionLists;
  /** Days until the next entry is due when no 期日 is given. */
  intervalDays: number;
}

/** 2. 見積もり提出や往訪の記録 */
export function buildProgressModal(deal: Deal, today: string, settings: ProgressModalSettings): ModalView {
  const metadata: DealModalMetadata = { dealId: deal.id };
  return {
    type: 'modal',
    callback_id: CALLBACK.progressModal,
    title: plain('進捗の記録', 24),
    submit: plain('記録', 24),
    close: plain('キャンセル', 24),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      dealHeading(deal, `いまの状況: ${STATUS_LABELS[deal.status]}`),
      radioInput({
        blockId: PROGRESS_BLOCK.status,
        label: '状況',
        choices: [
          { label: '商談中', value: 'negotiating' },
          { label: '受注', value: 'won' },
          { label: '失注', value: 'lost' },
        ],
        initial: 'negotiating',
      }),
      selectInput({
        blockId: PROGRESS_BLOCK.activityType,
        label: '活動種別',
        optional: true,
        choices: listChoices(settings.lists, 'activityType'),
      }),
      dateInput({ blockId: PROGRESS_BLOCK.activityDate, label: '活動日', initial: today }),
      textInput({
        blockId: PROGRESS_BLOCK.amount,
        label: '見積金額・受注金額 (円)',
        optional: true,
        maxLength: 30,
        placeholder: '例: 1200万',
      }),
      textInput({
        blockId: PROGRESS_BLOCK.content,
        label: '内容',
        multiline: true,
        maxLength: LIMITS.longText,
        placeholder: '顧客の反応、提出した見積もり、決まったことなど',
      }),
      textInput({
        blockId: PROGRESS_BLOCK.nextAction,
        label: '次のアクション',
        optional: true,
        maxLength: LIMITS.shortText * 2,
      }),
      dateInput({
        blockId: PROGRESS_BLOCK.nextActionDue,
        label: '次のアクションの期日',
        optional: true,
        hint: `次の記録の期日になります。空欄なら${settings.intervalDays}日後です。`,
      }),
      selectInput({
        blockId: PROGRESS_BLOCK.lossReason,
        label: '失注理由 (失注のとき必須)',
        optional: true,
        choices: listChoices(settings.lists, 'lossReason'),
      }),
      textInput({
        blockId: PROGRESS_BLOCK.lossDetail,
        label: '失注理由の詳細',
        optional: true,
        multiline: true,
        maxLength: LIMITS.longText,
        hint: '失注理由は営業リーダにだけ届き、チャンネルには出ません。',
      }),
    ],
  };
}
