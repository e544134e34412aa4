import type { KnownBlock } from '@slack/types';
import { formatAmount } from '../workflow/amount.js';
import type { WeeklyDigest } from '../workflow/digest.js';
import { type OptionLists, optionLabel } from '../workflow/options.js';
import type { Bucket } from '../workflow/pipeline-board.js';
import type { MessageContent } from './deal-card.js';
import { stalledRow } from './home-pipeline.js';
import { escapeMrkdwn, formatDate, mrkdwn, plain, truncate } from './text.js';

const LOSS_REASON_LIMIT = 10;

const days = (value: number | null) => (value === null ? '—' : `${value} 日`);
const bucket = (value: Bucket) => `${value.count} 件 ・ ${formatAmount(value.amount)}`;

function period(digest: WeeklyDigest): string {
  return `${formatDate(digest.period.from)} 〜 ${formatDate(digest.period.to)}`;
}

function lossReasonLines(digest: WeeklyDigest, lists: OptionLists): string {
  const lines = digest.lossReasons
    .slice(0, LOSS_REASON_LIMIT)
    .map(
      ({ reason, deals }) =>
        `${reason === '' ? '(未設定)' : escapeMrkdwn(optionLabel(lists, 'lossReason', reason))} ${deals} 件`,
    );
  const rest = digest.lossReasons.length - LOSS_REASON_LIMIT;
  return [...lines, ...(rest > 0 ? [`ほか ${rest} 種類`] : [])].join('\n');
}

function stepLine(digest: WeeklyDigest): string {
  const closed = digest.won.count + digest.lost.count;
  if (closed === 0) return 'この期間にクローズした案件はありません。';
  const { total, advice, negotiation } = digest.medianDays;
  return `報告→クローズ ${days(total)} ・ 助言待ち ${days(advice)} ・ 商談中 ${days(negotiation)}\n(この期間にクローズした ${closed} 件の中央値)`;
}

/**
 * The leaders' weekly DM: one message, short lines that read on a phone. 失注 and its reasons are in
 * it, so it goes to leaders only.
 */
export function buildWeeklyDigest(digest: WeeklyDigest, lists: OptionLists): MessageContent {
  const quiet = digest.newDeals.count + digest.won.count + digest.lost.count === 0;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('📈 週次ダイジェスト', 150) },
    { type: 'context', elements: [mrkdwn(`${period(digest)} の動きと、いまのパイプライン`)] },
    {
      type: 'section',
      fields: [
        mrkdwn(`*新規案件*\n${bucket(digest.newDeals)}`),
        mrkdwn(`*受注*\n${bucket(digest.won)}`),
        mrkdwn(`*失注*\n${digest.lost.count} 件`),
        mrkdwn(`*パイプライン (商談中)*\n${bucket(digest.pipeline)}`),
      ],
    },
  ];
  if (quiet) blocks.push({ type: 'context', elements: [mrkdwn('この期間の新規・受注・失注はありませんでした。')] });
  if (digest.lost.count > 0) {
    blocks.push({ type: 'section', text: mrkdwn(`*失注の理由*\n${lossReasonLines(digest, lists)}`) });
  }
  blocks.push(
    { type: 'section', text: mrkdwn(`*ステップごとの日数*\n${stepLine(digest)}`) },
    { type: 'header', text: plain(`止まっている案件 (${digest.stalledTotal})`, 150) },
  );
  if (digest.stalled.length === 0) {
    blocks.push({ type: 'context', elements: [mrkdwn('止まっている案件はありません。')] });
  }
  blocks.push(...digest.stalled.flatMap(stalledRow));
  const rest = digest.stalledTotal - digest.stalled.length;
  if (rest > 0) {
    blocks.push({ type: 'context', elements: [mrkdwn(`ほか ${rest} 件 (古い順)`)] });
  }
  return {
    text: truncate(
      `📈 週次ダイジェスト (${period(digest)}): 新規 ${digest.newDeals.count} 件 ・ 受注 ${digest.won.count} 件 ・ 失注 ${digest.lost.count} 件 ・ 止まっている案件 ${digest.stalledTotal} 件`,
      3_000,
    ),
    blocks,
  };
}
