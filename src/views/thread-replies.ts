import type { KnownBlock } from '@slack/types';
import { formatAmount } from '../workflow/amount.js';
import { STATUS_LABELS } from '../workflow/catalog.js';
import { type OptionLists, optionLabel } from '../workflow/options.js';
import type { Deal, ProgressEntry } from '../workflow/types.js';
import { dealButtons, type MessageContent } from './deal-card.js';
import { dealName } from './deal-summary.js';
import { formatDate, mention, quote, truncate, userText } from './text.js';

const BODY_MAX = 2_800;

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3_000) } };
}

function byline(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 3_000) }] };
}

/** Slash commands do not work in threads, so replies carry the button to record the next step. */
function progressButton(deal: Deal): KnownBlock[] {
  return deal.status === 'negotiating' ? [dealButtons(deal, { progress: true, details: false })] : [];
}

/** 1a. 助言や戦略の指示, posted in the deal thread and addressed to the rep. */
export function buildAdviceReply(deal: Deal, advice: string, leaderId: string): MessageContent {
  return {
    text: truncate(`💡 助言・戦略の指示: ${userText(advice, 200)}`, 3_000),
    blocks: [
      section(`💡 *助言・戦略の指示*  ${mention(deal.ownerId)}\n${quote(advice, BODY_MAX)}`),
      byline(`${mention(leaderId)} より`),
      ...progressButton(deal),
    ],
  };
}

export function progressLines(entry: ProgressEntry, lists: OptionLists): string[] {
  const activity = entry.activityType === null ? null : optionLabel(lists, 'activityType', entry.activityType);
  const head = [STATUS_LABELS[entry.status], activity, formatDate(entry.activityDate)]
    .filter((part): part is string => part !== null)
    .map((part) => userText(part, 40))
    .join(' ・ ');
  const lines = [`*${head}*`];
  if (entry.amount !== null) {
    lines.push(`${entry.status === 'won' ? '受注金額' : '金額'}: ${formatAmount(entry.amount)}`);
  }
  lines.push(quote(entry.content, 2_000));
  if (entry.nextAction) {
    const due = entry.nextActionDue ? ` (期日 ${formatDate(entry.nextActionDue)})` : '';
    lines.push(`次のアクション: ${userText(entry.nextAction, 300)}${due}`);
  } else if (entry.nextActionDue) {
    lines.push(`次の期日: ${formatDate(entry.nextActionDue)}`);
  }
  return lines;
}

/** 2. 見積もり提出や往訪の記録 (商談中), shared in the thread. */
export function buildProgressReply(
  deal: Deal,
  entry: ProgressEntry,
  authorId: string,
  lists: OptionLists,
): MessageContent {
  return {
    text: truncate(`📝 進捗: ${userText(entry.content, 200)}`, 3_000),
    blocks: [
      section(`📝 ${progressLines(entry, lists).join('\n')}`),
      byline(`${mention(authorId)} が記録`),
      ...progressButton(deal),
    ],
  };
}

/** 受注: a broadcast reply, so the whole channel sees it. */
export function buildWinAnnouncement(deal: Deal, entry: ProgressEntry, authorId: string): MessageContent {
  const amount = entry.amount ?? deal.amount;
  const amountText = amount === null ? '' : ` (${formatAmount(amount)})`;
  return {
    text: truncate(`🎉 受注しました: ${dealName(deal)}${amountText}`, 3_000),
    blocks: [
      section(`🎉 *受注しました!*  ${dealName(deal, 300)}${amountText}\n担当: ${mention(deal.ownerId)}`),
      section(quote(entry.content, 2_000)),
      byline(`${mention(authorId)} が記録`),
    ],
  };
}

/** 失注 as the channel sees it: closed, with no reason. */
export function buildClosedNotice(deal: Deal): MessageContent {
  return {
    text: `この案件はクローズしました: ${dealName(deal)}`,
    blocks: [section(`⚪ この案件はクローズしました。ご協力ありがとうございました。`)],
  };
}
