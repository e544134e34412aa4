import type { KnownBlock } from '@slack/types';
import { ACTION } from '../ids.js';
import { type OptionLists, optionLabel } from '../workflow/options.js';
import type { Deal, ProgressEntry, Task } from '../workflow/types.js';
import type { MessageContent } from './deal-card.js';
import { dealFieldsBlock, dealName, dealNumber, descriptionBlocks } from './deal-summary.js';
import { formatDate, formatInstant, mention, plain, quote, truncate, userText } from './text.js';
import { progressLines } from './thread-replies.js';

/** Shown when a loss was recorded without a reason (older entries). */
const OTHER_REASON = 'その他';

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3_000) } };
}

function button(actionId: string, label: string, deal: Deal, primary = false) {
  return {
    type: 'button' as const,
    action_id: actionId,
    text: plain(label, 75),
    value: String(deal.id),
    ...(primary ? { style: 'primary' as const } : {}),
  };
}

function actions(deal: Deal, ...elements: ReturnType<typeof button>[]): KnownBlock {
  return { type: 'actions', block_id: `task_actions_${deal.id}`, elements };
}

function dueText(task: Task): string {
  return task.dueOn ? `期日: ${formatDate(task.dueOn)}` : '';
}

/** The leader's DM asking for 1a. 助言や戦略の指示; updated once anyone has answered. */
export function buildAdviceRequest(deal: Deal, task: Task, timeZone: string, lists: OptionLists): MessageContent {
  const name = dealName(deal, 300);
  if (task.state === 'done') {
    const who = task.completedBy ? mention(task.completedBy) : '営業リーダ';
    const when = task.completedAt ? ` (${formatInstant(task.completedAt, timeZone)})` : '';
    return {
      text: `${dealNumber(deal)} の助言は入力済みです`,
      blocks: [section(`✅ ${name}\n${who} さんが助言・戦略の指示を入力しました${when}。`)],
    };
  }
  if (task.state === 'cancelled') {
    return {
      text: `${dealNumber(deal)} はクローズしました`,
      blocks: [section(`⚪ ${name}\nこの案件はクローズしたため、助言の依頼は取り下げました。`)],
    };
  }
  return {
    text: truncate(`💡 助言をお願いします: ${dealName(deal)}`, 3_000),
    blocks: [
      section(`💡 *助言・戦略の指示をお願いします*\n${name}`),
      dealFieldsBlock(deal, lists),
      ...descriptionBlocks(deal, 1_000),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${dealNumber(deal)} ・ ${dueText(task)}` }] },
      actions(deal, button(ACTION.openAdvice, '助言を入力', deal, true), button(ACTION.openDetails, '詳細', deal)),
    ],
  };
}

/** The rep's one live DM per deal for 2. 見積もり提出や往訪の記録. */
export function buildProgressTask(deal: Deal, task: Task | null): MessageContent {
  const name = dealName(deal, 300);
  if (deal.status === 'won') {
    return {
      text: `${dealNumber(deal)} は受注で完了しました`,
      blocks: [section(`🎉 ${name}\n受注で完了しました。おめでとうございます!`)],
    };
  }
  if (deal.status === 'lost') {
    return {
      text: `${dealNumber(deal)} は失注で完了しました`,
      blocks: [section(`⚪ ${name}\n失注で完了しました。報告ありがとうございました。`)],
    };
  }
  const due = task ? dueText(task) : '';
  return {
    text: truncate(`📝 進捗を記録してください: ${dealName(deal)}`, 3_000),
    blocks: [
      section(`📝 *進捗を記録してください*\n${name}\n見積もり提出や往訪など、動きがあったら記録してください。`),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${dealNumber(deal)}${due ? ` ・ ${due}` : ''}` }],
      },
      actions(deal, button(ACTION.openProgress, '進捗を記録', deal, true), button(ACTION.openDetails, '詳細', deal)),
    ],
  };
}

/** The rep's DM for a deal another system started: complete the report. */
export function buildReportTask(deal: Deal, task: Task | null): MessageContent {
  const name = dealName(deal, 300);
  if (deal.status !== 'draft') {
    return {
      text: `${dealNumber(deal)} の案件情報は入力済みです`,
      blocks: [section(`✅ ${name}\n案件情報は入力済みです。`)],
    };
  }
  return {
    text: truncate(`案件情報を入力してください: ${dealName(deal)}`, 3_000),
    blocks: [
      section(`📥 *案件情報を入力してください*\n${name}`),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${dealNumber(deal)}${task?.dueOn ? ` ・ ${dueText(task)}` : ''}` }],
      },
      actions(deal, button(ACTION.openReport, '案件情報を入力', deal, true)),
    ],
  };
}

/** 失注 reported privately to a leader, with the reason and the last activity. */
export function buildLossReport(
  deal: Deal,
  loss: ProgressEntry,
  lastActivity: ProgressEntry | null,
  lists: OptionLists,
): MessageContent {
  const reasonLabel = loss.lossReason === null ? null : optionLabel(lists, 'lossReason', loss.lossReason);
  const given = [reasonLabel, loss.lossDetail].filter((part): part is string => !!part);
  const reason = given.length > 0 ? given : [optionLabel(lists, 'lossReason', OTHER_REASON)];
  const blocks: KnownBlock[] = [
    section(`⚠️ *失注報告*  ${dealName(deal, 300)}\n担当: ${mention(deal.ownerId)}`),
    section(`*失注理由*: ${userText(reason.join(' — '), 1_500)}\n${quote(loss.content, 1_200)}`),
  ];
  if (lastActivity) blocks.push(section(`*最後の活動*\n${progressLines(lastActivity, lists).join('\n')}`));
  blocks.push(actions(deal, button(ACTION.openDetails, '詳細', deal)));
  return { text: truncate(`⚠️ 失注報告: ${dealName(deal)}`, 3_000), blocks };
}

const reminderAction: Record<Task['kind'], { actionId: string; label: string; what: string }> = {
  report: { actionId: ACTION.openReport, label: '案件情報を入力', what: '案件情報の入力' },
  advice: { actionId: ACTION.openAdvice, label: '助言を入力', what: '助言・戦略の指示' },
  progress: { actionId: ACTION.openProgress, label: '進捗を記録', what: '進捗の記録' },
};

/** A nudge for a task past its due date, sent once a day while it stays open. */
export function buildReminder(deal: Deal, task: Task): MessageContent {
  const action = reminderAction[task.kind];
  const due = task.dueOn ? `期日 ${formatDate(task.dueOn)} を過ぎています。` : '';
  return {
    text: truncate(`⏰ ${action.what}をお願いします: ${dealName(deal)}`, 3_000),
    blocks: [
      section(`⏰ *${action.what}をお願いします*\n${dealName(deal, 300)}\n${due}`),
      actions(deal, button(action.actionId, action.label, deal, true), button(ACTION.openDetails, '詳細', deal)),
    ],
  };
}
