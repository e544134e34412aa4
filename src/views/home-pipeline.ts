import type { KnownBlock } from '@slack/types';
import { ACTION } from '../ids.js';
import { formatAmount } from '../workflow/amount.js';
import type { Bucket, PipelineBoard, StalledDeal } from '../workflow/pipeline-board.js';
import type { PipelineSummary } from '../workflow/read-models.js';
import type { OpenDealFacts, StallReason } from '../workflow/stalled.js';
import { formatDate, mention, mrkdwn, plain, truncate, userText } from './text.js';

/** Stalled rows take two blocks each (text, buttons): five keep the tab well under Slack's 100 blocks. */
export const PIPELINE_STALLED_LIMIT = 5;
export const OWN_STALLED_LIMIT = 3;
const SNOOZED_LIMIT = 10;
const REP_LIMIT = 20;

const reasonLabel: Record<StallReason, string> = {
  advice: '助言待ち',
  overdue: '期日超過',
  no_entry: '記録なし',
};

function factsName(facts: OpenDealFacts): string {
  return userText(`${facts.customer} / ${facts.title}`, 200);
}

function bucketField(label: string, bucket: Bucket): { type: 'mrkdwn'; text: string } {
  return mrkdwn(`*${label}*\n${bucket.count} 件 ・ ${formatAmount(bucket.amount)}`);
}

export function stallLine({ facts, stall, businessDays }: StalledDeal): string {
  const due = stall.reason === 'overdue' ? ` (期日 ${formatDate(stall.since)})` : '';
  return `*${factsName(facts)}*\n${mention(facts.ownerId)} ・ ${reasonLabel[stall.reason]}${due} ・ ${businessDays} 営業日`;
}

function button(actionId: string, label: string, dealId: number, primary = false) {
  return {
    type: 'button' as const,
    action_id: actionId,
    text: plain(label, 75),
    value: String(dealId),
    ...(primary ? { style: 'primary' as const } : {}),
  };
}

/** A stalled deal with the leaders' buttons: 詳細, 催促する, 担当を変更 (the App Home and the digest). */
export function stalledRow(item: StalledDeal): KnownBlock[] {
  return [
    { type: 'section', text: mrkdwn(stallLine(item)) },
    {
      type: 'actions',
      block_id: `pipeline_stalled_${item.facts.dealId}`,
      elements: [
        button(ACTION.openDetails, '詳細', item.facts.dealId),
        button(ACTION.nudgeOwner, '催促する', item.facts.dealId, true),
        button(ACTION.openReassign, '担当を変更', item.facts.dealId),
      ],
    },
  ];
}

function repLines(board: PipelineBoard): string {
  const lines = board.reps
    .slice(0, REP_LIMIT)
    .map(
      (rep) =>
        `${mention(rep.userId)} 進行中 ${rep.openDeals} 件 ・ 期限超過 ${rep.overdueTasks} 件 ・ 最終記録 ${rep.daysSinceEntry} 日前`,
    );
  const rest = board.reps.length - REP_LIMIT;
  return truncate([...lines, ...(rest > 0 ? [`ほか ${rest} 人`] : [])].join('\n'), 3_000);
}

function snoozedLines(deals: readonly OpenDealFacts[]): string {
  const lines = deals
    .slice(0, SNOOZED_LIMIT)
    .map(
      (facts) =>
        `*${factsName(facts)}* ・ ${mention(facts.ownerId)} ・ ${formatDate(facts.snoozedUntil ?? '')} まで ・ ${userText(facts.snoozeReason ?? '', 100)}`,
    );
  const rest = deals.length - SNOOZED_LIMIT;
  return truncate([...lines, ...(rest > 0 ? [`ほか ${rest} 件`] : [])].join('\n'), 3_000);
}

/** The leaders' pipeline: steps with counts and amounts, this month, each rep, and what is stuck. */
export function buildPipelineSection(board: PipelineBoard, month: PipelineSummary): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('パイプライン', 150) },
    {
      type: 'section',
      fields: [
        bucketField('助言待ち', board.adviceWaiting),
        bucketField('商談中 (期日内)', board.onTime),
        bucketField('商談中 (期日超過)', board.overdue),
        bucketField('商談中 (停滞)', board.noEntry),
        bucketField('保留中', board.snoozed),
      ],
    },
    {
      type: 'context',
      elements: [
        mrkdwn(
          `今月: 受注 ${month.wonThisMonth} 件 (${formatAmount(month.wonAmountThisMonth)}) ・ 失注 ${month.lostThisMonth} 件`,
        ),
      ],
    },
  ];
  if (board.reps.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn(`*担当者別*\n${repLines(board)}`) });
  }
  blocks.push({ type: 'header', text: plain(`止まっている案件 (${board.stalledTotal})`, 150) });
  if (board.stalled.length === 0) {
    blocks.push({ type: 'context', elements: [mrkdwn('止まっている案件はありません。')] });
  }
  blocks.push(...board.stalled.flatMap(stalledRow));
  const rest = board.stalledTotal - board.stalled.length;
  if (rest > 0) blocks.push({ type: 'context', elements: [mrkdwn(`ほか ${rest} 件 (古い順)`)] });
  if (board.snoozedDeals.length > 0) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`*保留中の案件 (${board.snoozedDeals.length})*\n${snoozedLines(board.snoozedDeals)}`),
    });
  }
  return blocks;
}

/** A rep's own stalled deals, first on their home, each with the button that moves it. */
export function buildOwnStalledSection(stalled: readonly StalledDeal[]): KnownBlock[] {
  const mine = stalled.filter((item) => item.stall.actor === 'owner');
  if (mine.length === 0) return [];
  const shown = mine.slice(0, OWN_STALLED_LIMIT);
  const rest = mine.length - shown.length;
  return [
    { type: 'header', text: plain(`止まっているあなたの案件 (${mine.length})`, 150) },
    ...shown.map(
      (item): KnownBlock => ({
        type: 'section',
        text: mrkdwn(stallLine(item)),
        accessory: button(ACTION.openProgress, '記録する', item.facts.dealId, true),
      }),
    ),
    ...(rest > 0 ? [{ type: 'context', elements: [mrkdwn(`ほか ${rest} 件`)] } as KnownBlock] : []),
  ];
}
