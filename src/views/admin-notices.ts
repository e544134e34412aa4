import type { KnownBlock } from '@slack/types';
import type { FailedOutboxItem } from '../workflow/read-models.js';
import type { Deal, Effect } from '../workflow/types.js';
import type { MessageContent } from './deal-card.js';
import { dealName, dealNumber } from './deal-summary.js';
import { escapeMrkdwn, formatInstant, mention, truncate } from './text.js';

const effectLabels: Record<Effect['kind'], string> = {
  post_card: '案件カードの投稿',
  update_card: '案件カードの更新',
  post_thread_reply: 'スレッドへの投稿',
  post_closed_notice: 'クローズのお知らせ',
  sync_task_message: 'タスクの DM',
  send_loss_report: '失注報告の DM',
  publish_home: 'ホームタブの更新',
  send_reminder: 'リマインダー',
  send_stall_reminder: '停滞のリマインダー',
  send_escalation: '停滞のエスカレーション',
  send_snooze_ended: '保留期限のお知らせ',
  send_webhook: '外部システムへの連携 (Webhook)',
  send_digest: '週次ダイジェスト',
  report_delivery_failure: '配信失敗のお知らせ',
};

/** What an admin can do about the most common permanent failures. */
const remedies: Record<string, string> = {
  channel_not_found: '営業チャンネル (ホームタブの 設定) が存在するか確認してください。',
  not_in_channel: 'ボットを営業チャンネルに招待してください (/invite @anken)。',
  is_archived: '営業チャンネルがアーカイブされています。',
  invalid_blocks: 'メッセージの形式に問題があります。ログを確認してください。',
  user_not_found: '相手のユーザーが見つかりません (退職済みなど)。',
  cannot_dm_bot: 'ボット宛てには DM を送れません。',
};

function remedyFor(reason: string): string {
  if (reason.startsWith('webhook_http_')) return '連携先の URL と受信側のログを確認してください。';
  return remedies[reason] ?? 'ログで詳細を確認してください。';
}

function recipientOf(effect: Effect): string {
  if ('userId' in effect) return ` (宛先 ${mention(effect.userId)})`;
  if (effect.kind === 'send_webhook') return ` (${escapeMrkdwn(truncate(effect.url, 200))})`;
  return '';
}

export function failureLine(item: FailedOutboxItem, deal: Deal | null, timeZone: string): string {
  const what = `${effectLabels[item.effect.kind]}${recipientOf(item.effect)}`;
  const about = deal ? `${dealNumber(deal)} ${dealName(deal, 100)}` : '';
  const when = item.finishedAt ? formatInstant(item.finishedAt, timeZone) : '';
  return `*${what}* ${about}\n理由: \`${escapeMrkdwn(item.lastError ?? '')}\` ・ ${when} ・ ${remedyFor(item.lastError ?? '')}`;
}

/** DM to an admin: a notification was given up for good. */
export function buildDeliveryFailureNotice(
  item: FailedOutboxItem,
  deal: Deal | null,
  timeZone: string,
): MessageContent {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`⚠️ *通知を配信できませんでした*\n${failureLine(item, deal, timeZone)}`, 3_000),
      },
    },
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `配信 #${item.id} ・ ${item.attempts} 回試行しました。案件の記録は保存されています。` },
      ],
    },
  ];
  return { text: `⚠️ 通知を配信できませんでした: ${effectLabels[item.effect.kind]}`, blocks };
}
