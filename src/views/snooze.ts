import type { KnownBlock, ModalView } from '@slack/types';
import { ACTION, CALLBACK, SNOOZE_BLOCK } from '../ids.js';
import { latestSnoozeDate, SNOOZE_MAX_DAYS, SNOOZE_REASON_MAX } from '../workflow/snoozes.js';
import type { Deal } from '../workflow/types.js';
import type { MessageContent } from './deal-card.js';
import { dealName, dealNumber } from './deal-summary.js';
import { dealButton } from './follow-up-messages.js';
import { dateInput, textInput } from './inputs.js';
import { type DealModalMetadata, dealHeading } from './progress-modal.js';
import { formatDate, mention, mrkdwn, plain, truncate, userText } from './text.js';

/** A snooze in force, as the views show it. */
export interface SnoozeState {
  until: string;
  reason: string;
}

/** "2030/05/15 まで保留中 ・ 先方の予算確定待ち", with the reason escaped. */
export function snoozeLine(snooze: SnoozeState): string {
  return `⏸ ${formatDate(snooze.until)} まで保留中 ・ ${userText(snooze.reason, SNOOZE_REASON_MAX)}`;
}

/** 保留にする: until when (at most 90 days ahead) and why; prefilled when the deal is already snoozed. */
export function buildSnoozeModal(deal: Deal, today: string, current: SnoozeState | null): ModalView {
  const metadata: DealModalMetadata = { dealId: deal.id };
  return {
    type: 'modal',
    callback_id: CALLBACK.snoozeModal,
    title: plain(current ? '保留を変更' : '保留にする', 24),
    submit: plain('保留にする', 24),
    close: plain('キャンセル', 24),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      dealHeading(deal, current ? snoozeLine(current) : `担当: ${mention(deal.ownerId)}`),
      dateInput({
        blockId: SNOOZE_BLOCK.until,
        label: 'いつまで保留にしますか',
        hint: `${SNOOZE_MAX_DAYS} 日先 (${formatDate(latestSnoozeDate(today))}) まで。その日まではリマインドせず、当日に担当営業へ DM でお知らせします。`,
        initial: current?.until ?? null,
      }),
      textInput({
        blockId: SNOOZE_BLOCK.reason,
        label: '保留の理由',
        maxLength: SNOOZE_REASON_MAX,
        placeholder: '例: 先方の予算確定待ち',
        initial: current?.reason ?? null,
      }),
    ],
  };
}

function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(text) };
}

/** The thread hears that the deal was snoozed, until when and why. */
export function buildSnoozedReply(deal: Deal, snooze: SnoozeState, byId: string): MessageContent {
  return {
    text: truncate(`⏸ ${formatDate(snooze.until)} まで保留: ${userText(snooze.reason, 200)}`, 3_000),
    blocks: [
      section(
        `⏸ *${formatDate(snooze.until)} まで保留にしました*\n理由: ${userText(snooze.reason, SNOOZE_REASON_MAX)}`,
      ),
      { type: 'context', elements: [mrkdwn(`${mention(byId)} ・ 担当 ${mention(deal.ownerId)}`)] },
    ],
  };
}

/** The thread hears that the snooze was ended early. */
export function buildSnoozeLiftedReply(byId: string): MessageContent {
  return {
    text: '保留を解除しました',
    blocks: [section(`▶️ 保留を解除しました (${mention(byId)})。`)],
  };
}

/** To the owner on the snooze's date: the deal is live again, with the buttons to record or snooze again. */
export function buildSnoozeEndedMessage(deal: Deal, snooze: SnoozeState): MessageContent {
  return {
    text: truncate(`⏰ 保留の期限になりました: ${dealName(deal)}`, 3_000),
    blocks: [
      section(
        `⏰ *保留の期限になりました*\n${dealName(deal, 300)}\n${formatDate(snooze.until)} まで保留 ・ 理由: ${userText(snooze.reason, SNOOZE_REASON_MAX)}\n進捗を記録してください。まだ動きがなければ、もう一度保留にできます。`,
      ),
      { type: 'context', elements: [mrkdwn(dealNumber(deal))] },
      {
        type: 'actions',
        block_id: `snooze_ended_actions_${deal.id}`,
        elements: [
          dealButton(ACTION.openProgress, '進捗を記録', deal.id, true),
          dealButton(ACTION.openSnooze, 'もう一度保留', deal.id),
          dealButton(ACTION.openDetails, '詳細', deal.id),
        ],
      },
    ],
  };
}
