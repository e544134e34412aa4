import type { ActionsBlock, KnownBlock } from '@slack/types';
import { ACTION } from '../ids.js';
import { STATUS_LABELS } from '../workflow/catalog.js';
import { type OptionLists, optionLabel } from '../workflow/options.js';
import type { Deal, ProgressEntry } from '../workflow/types.js';
import { dealFieldsBlock, dealName, dealNumber, descriptionBlocks } from './deal-summary.js';
import type { SnoozeState } from './snooze.js';
import { formatDate, plain, truncate, userText } from './text.js';

export interface MessageContent {
  text: string;
  blocks: KnownBlock[];
}

/** What the sales channel may know of a deal's state: a loss shows only as closed. */
export function channelStatusLabel(deal: Deal): string {
  switch (deal.status) {
    case 'won':
      return '🎉 受注';
    case 'lost':
      return '⚪ クローズ';
    default:
      return `🟡 ${STATUS_LABELS[deal.status]}`;
  }
}

export function dealButtons(deal: Deal, options: { progress: boolean; details: boolean }): ActionsBlock {
  const value = String(deal.id);
  return {
    type: 'actions',
    block_id: `deal_actions_${deal.id}`,
    elements: [
      ...(options.progress
        ? [
            {
              type: 'button' as const,
              action_id: ACTION.openProgress,
              text: plain('進捗を記録'),
              style: 'primary' as const,
              value,
            },
          ]
        : []),
      ...(options.details
        ? [{ type: 'button' as const, action_id: ACTION.openDetails, text: plain('詳細'), value }]
        : []),
    ],
  };
}

/** An overflow option's value: the action it stands for and the deal, read back by `readMenuValue`. */
export function menuValue(actionId: string, dealId: number): string {
  return `${actionId}:${dealId}`;
}

/** The card's ⋯ menu while the deal is 商談中: snooze (change, end) and reassign, judged when chosen. */
function cardMenu(deal: Deal, snooze: SnoozeState | null) {
  const option = (label: string, actionId: string) => ({ text: plain(label, 75), value: menuValue(actionId, deal.id) });
  return {
    type: 'overflow' as const,
    action_id: ACTION.cardMenu,
    options: [
      ...(snooze
        ? [option('保留を変更', ACTION.openSnooze), option('保留を解除', ACTION.endSnooze)]
        : [option('保留にする', ACTION.openSnooze)]),
      option('担当を変更', ACTION.openReassign),
    ],
  };
}

/** The deal card: parent message of the deal thread in the sales channel. */
export function buildDealCard(
  deal: Deal,
  latest: ProgressEntry | null,
  lists: OptionLists,
  snooze: SnoozeState | null = null,
): MessageContent {
  const open = deal.status === 'negotiating';
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`📋 ${deal.customer} / ${deal.title}`, 150) },
    dealFieldsBlock(deal, lists),
    ...descriptionBlocks(deal, 600),
  ];
  const snoozeText = open && snooze ? ` ・ ⏸ ${formatDate(snooze.until)} まで保留` : '';
  const latestText =
    open && latest
      ? ` ・ 最新: ${formatDate(latest.activityDate)} ${userText(latest.activityType === null ? '活動' : optionLabel(lists, 'activityType', latest.activityType), 20)}`
      : '';
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${dealNumber(deal)} ・ 状況: *${channelStatusLabel(deal)}*${latestText} ・ 助言: ${deal.adviceGiven ? '済み' : '待ち'}${snoozeText}`,
      },
    ],
  });
  const actions = dealButtons(deal, { progress: open, details: true });
  if (open) actions.elements.push(cardMenu(deal, snooze));
  blocks.push(actions);
  return {
    text: truncate(`新しい案件: ${dealName(deal)} (${channelStatusLabel(deal)})`, 3_000),
    blocks,
  };
}
