import type { HomeView, KnownBlock } from '@slack/types';
import { ACTION } from '../ids.js';
import { formatAmount } from '../workflow/amount.js';
import type { PipelineBoard, StalledDeal } from '../workflow/pipeline-board.js';
import type { FailedOutboxItem, PipelineSummary, TaskWithDeal } from '../workflow/read-models.js';
import type { TeamSettings } from '../workflow/settings.js';
import type { Deal, TaskKind } from '../workflow/types.js';
import { failureLine } from './admin-notices.js';
import { channelStatusLabel } from './deal-card.js';
import { dealName, dealNumber } from './deal-summary.js';
import { buildOwnStalledSection, buildPipelineSection } from './home-pipeline.js';
import { searchHomeBlocks } from './home-search.js';
import { buildSettingsSection } from './home-settings.js';
import { formatDate, plain, truncate } from './text.js';

/** How many rows each list shows, so the tab stays under Slack's 100 blocks. */
export const HOME_LIST_LIMIT = 15;

export interface HomeData {
  userId: string;
  isLeader: boolean;
  today: string;
  tasks: TaskWithDeal[];
  adviceWaiting: TaskWithDeal[];
  ownDeals: Deal[];
  pipeline: PipelineSummary;
  /** For admins: notifications given up for good, newest first, each with its deal when it has one. */
  failures?: Array<{ item: FailedOutboxItem; deal: Deal | null }>;
  /** The real totals, when the lists hold only the first rows (the headers and 「ほか N 件」 use them). */
  totals?: { tasks: number; adviceWaiting: number; ownDeals: number };
  timeZone: string;
  /** For admins: the settings in force, shown in the 設定 section. */
  settings?: TeamSettings;
  /** For leaders: the whole pipeline and what is stuck. */
  board?: PipelineBoard;
  /** The person's own stalled deals, oldest first. */
  ownStalled?: StalledDeal[];
}

const taskAction: Record<TaskKind, { actionId: string; label: string; what: string }> = {
  report: { actionId: ACTION.openReport, label: '入力する', what: '案件情報の入力' },
  advice: { actionId: ACTION.openAdvice, label: '助言する', what: '助言・戦略の指示' },
  progress: { actionId: ACTION.openProgress, label: '記録する', what: '進捗の記録' },
};

function header(text: string): KnownBlock {
  return { type: 'header', text: plain(text, 150) };
}

function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 3_000) }] };
}

function dueLabel(dueOn: string | null, today: string): string {
  if (!dueOn) return '';
  return dueOn < today ? ` ・ ⚠️ 期限超過 (${formatDate(dueOn)})` : ` ・ 期日 ${formatDate(dueOn)}`;
}

function taskRow({ task, deal }: TaskWithDeal, today: string): KnownBlock {
  const action = taskAction[task.kind];
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: truncate(`*${dealName(deal, 200)}*\n${action.what}${dueLabel(task.dueOn, today)}`, 3_000),
    },
    accessory: {
      type: 'button',
      action_id: action.actionId,
      text: plain(action.label, 75),
      value: String(deal.id),
      style: 'primary',
    },
  };
}

function dealRow(deal: Deal): KnownBlock {
  const amount = deal.amount === null ? '' : ` ・ ${formatAmount(deal.amount)}`;
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: truncate(`*${dealName(deal, 200)}*\n${dealNumber(deal)} ・ ${channelStatusLabel(deal)}${amount}`, 3_000),
    },
    accessory: {
      type: 'button',
      action_id: ACTION.openDetails,
      text: plain('詳細', 75),
      value: String(deal.id),
    },
  };
}

function list<T>(items: readonly T[], total: number, row: (item: T) => KnownBlock, empty: string): KnownBlock[] {
  if (items.length === 0) return [note(empty)];
  const shown = items.slice(0, HOME_LIST_LIMIT);
  const rest = Math.max(total, items.length) - shown.length;
  return rest > 0 ? [...shown.map(row), note(`ほか ${rest} 件`)] : shown.map(row);
}

/** App Home: the person's tasks, their open deals, and (for leaders) the deals waiting for advice. */
export function buildHome(data: HomeData): HomeView {
  const p = data.pipeline;
  const totals = data.totals ?? {
    tasks: data.tasks.length,
    adviceWaiting: data.adviceWaiting.length,
    ownDeals: data.ownDeals.length,
  };
  const blocks: KnownBlock[] = [
    header('anken 営業案件'),
    {
      type: 'actions',
      block_id: 'home_actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.openNewReport,
          text: plain('＋ 案件を登録', 75),
          style: 'primary',
          value: 'new',
        },
      ],
    },
    ...searchHomeBlocks(data.isLeader),
    ...buildOwnStalledSection(data.ownStalled ?? []),
    header(`あなたのタスク (${totals.tasks})`),
    ...list(data.tasks, totals.tasks, (item) => taskRow(item, data.today), 'いま対応が必要なタスクはありません。'),
  ];
  if (data.isLeader) {
    blocks.push(
      header(`助言待ちの案件 (${totals.adviceWaiting})`),
      ...list(
        data.adviceWaiting,
        totals.adviceWaiting,
        (item) => taskRow(item, data.today),
        '助言待ちの案件はありません。',
      ),
    );
  }
  if (data.board) blocks.push(...buildPipelineSection(data.board, data.pipeline));
  if (data.failures && data.failures.length > 0) {
    blocks.push(
      header('⚠️ 配信できなかった通知'),
      ...data.failures.slice(0, 5).map(
        ({ item, deal }): KnownBlock => ({
          type: 'section',
          text: { type: 'mrkdwn', text: truncate(failureLine(item, deal, data.timeZone), 3_000) },
          accessory: {
            type: 'button',
            action_id: ACTION.retryDelivery,
            text: plain('再送する', 75),
            value: String(item.id),
          },
        }),
      ),
    );
  }
  blocks.push(
    header(`あなたの案件 (${totals.ownDeals})`),
    ...list(data.ownDeals, totals.ownDeals, dealRow, '進行中の案件はありません。/案件 で登録できます。'),
    { type: 'divider' },
    note(
      `パイプライン: 商談中 ${p.negotiating} 件 (${formatAmount(p.negotiatingAmount)}) ・ 今月の受注 ${p.wonThisMonth} 件 (${formatAmount(p.wonAmountThisMonth)}) ・ 今月のクローズ ${p.lostThisMonth} 件`,
    ),
  );
  if (data.settings) blocks.push(...buildSettingsSection(data.settings));
  return { type: 'home', blocks };
}
