import type { KnownBlock } from '@slack/types';
import { ACTION } from '../ids.js';
import type { StallReason } from '../workflow/stalled.js';
import type { Deal } from '../workflow/types.js';
import type { MessageContent } from './deal-card.js';
import { dealName, dealNumber } from './deal-summary.js';
import { formatDate, formatInstant, mention, mrkdwn, plain, truncate } from './text.js';

function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function dealButton(actionId: string, label: string, dealId: number, primary = false) {
  return {
    type: 'button' as const,
    action_id: actionId,
    text: plain(label, 75),
    value: String(dealId),
    ...(primary ? { style: 'primary' as const } : {}),
  };
}

/** "期日 2030/04/15 を過ぎています" and the like, from when the wait began. */
export function stallSentence(reason: StallReason, since: string, timeZone: string): string {
  switch (reason) {
    case 'advice':
      return `助言の依頼 (${formatInstant(since, timeZone)}) から時間が経っています。`;
    case 'overdue':
      return `次のアクションの期日 ${formatDate(since)} を過ぎています。`;
    case 'no_entry':
      return `最後の記録 (${formatInstant(since, timeZone)}) から記録がありません。`;
  }
}

export interface StallReminderInput {
  deal: Deal;
  reason: StallReason;
  since: string;
  nudgedBy: string | null;
  timeZone: string;
}

/** The DM to whoever must act on a stalled deal, with the button that moves it. */
export function buildStallReminder({ deal, reason, since, nudgedBy, timeZone }: StallReminderInput): MessageContent {
  const advice = reason === 'advice';
  const what = advice ? '助言・戦略の指示' : '進捗の記録';
  const from = nudgedBy ? `${mention(nudgedBy)} さんから催促がありました。\n` : '';
  const act = advice
    ? dealButton(ACTION.openAdvice, '助言を入力', deal.id, true)
    : dealButton(ACTION.openProgress, '進捗を記録', deal.id, true);
  return {
    text: truncate(`⏰ ${what}をお願いします: ${dealName(deal)}`, 3_000),
    blocks: [
      section(`⏰ *${what}をお願いします*\n${dealName(deal, 300)}\n${from}${stallSentence(reason, since, timeZone)}`),
      { type: 'context', elements: [mrkdwn(dealNumber(deal))] },
      {
        type: 'actions',
        block_id: `stall_actions_${deal.id}`,
        elements: [
          act,
          ...(advice ? [] : [dealButton(ACTION.openSnooze, '保留にする', deal.id)]),
          dealButton(ACTION.openDetails, '詳細', deal.id),
        ],
      },
    ],
  };
}

export interface EscalationInput {
  deal: Deal;
  reason: StallReason;
  since: string;
  reminders: number;
  timeZone: string;
}

/** To each leader: a deal stays stuck on its owner after several reminders. Buttons to look and nudge. */
export function buildEscalation({ deal, reason, since, reminders, timeZone }: EscalationInput): MessageContent {
  return {
    text: truncate(`⚠️ 止まったままの案件: ${dealName(deal)}`, 3_000),
    blocks: [
      section(
        `⚠️ *止まったままの案件があります*\n${dealName(deal, 300)}\n担当: ${mention(deal.ownerId)} ・ リマインド ${reminders} 回\n${stallSentence(reason, since, timeZone)}`,
      ),
      { type: 'context', elements: [mrkdwn(dealNumber(deal))] },
      {
        type: 'actions',
        block_id: `escalation_actions_${deal.id}`,
        elements: [
          dealButton(ACTION.openDetails, '詳細', deal.id),
          dealButton(ACTION.nudgeOwner, '催促する', deal.id, true),
          dealButton(ACTION.openReassign, '担当を変更', deal.id),
        ],
      },
    ],
  };
}

/** The thread hears who handed the deal to whom. */
export function buildHandoverReply(fromId: string, toId: string, byId: string): MessageContent {
  return {
    text: '担当営業が変わりました',
    blocks: [
      section(`🔁 担当営業を ${mention(fromId)} さんから ${mention(toId)} さんに引き継ぎました (${mention(byId)})。`),
    ],
  };
}

/** The former owner's task DM, once the deal is someone else's. */
export function buildHandedOverTask(deal: Deal, toId: string): MessageContent {
  return {
    text: `${dealNumber(deal)} は ${toId} さんに引き継がれました`,
    blocks: [
      section(`🔁 ${dealName(deal, 300)}\nこの案件は ${mention(toId)} さんに引き継がれました。対応は不要です。`),
    ],
  };
}
