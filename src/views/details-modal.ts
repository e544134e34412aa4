import type { KnownBlock, ModalView } from '@slack/types';
import { ACTION, CALLBACK } from '../ids.js';
import { STATUS_LABELS } from '../workflow/catalog.js';
import { type OptionLists, optionLabelOrNull } from '../workflow/options.js';
import { type RecentTimeline, TIMELINE_ITEM_KINDS } from '../workflow/read-models.js';
import type { Deal, ProgressEntry, TimelineEntry } from '../workflow/types.js';
import { channelStatusLabel } from './deal-card.js';
import { dealFieldsBlock, dealName, dealNumber, descriptionBlocks } from './deal-summary.js';
import { dealButton } from './follow-up-messages.js';
import { type SnoozeState, snoozeLine } from './snooze.js';
import { formatDate, formatInstant, mention, plain, quote, truncate, userText, userTextWithMentions } from './text.js';
import { progressLines } from './thread-replies.js';

const MAX_BLOCKS = 100;
/** Each timeline item is a section and a context line. */
const BLOCKS_PER_ITEM = 2;
/** The blocks around the items when the deal has no 案件概要: title, fields, divider, header and a notice. */
const FEWEST_OTHER_BLOCKS = 5;
/** The most items 詳細 can show: read no more than these. */
export const DETAILS_MAX_ITEMS = Math.floor((MAX_BLOCKS - FEWEST_OTHER_BLOCKS) / BLOCKS_PER_ITEM);

export interface DetailsViewer {
  timeZone: string;
  /** The snooze in force, if any. */
  snooze?: SnoozeState | null;
  /** What the viewer may do from here while the deal is 商談中: snooze (the owner, leaders), reassign (leaders). */
  may?: { snooze: boolean; reassign: boolean };
  /** The owner and the leaders see a loss's reason; the channel's members see only that it closed. */
  maySeeLossReason: boolean;
  /** Option ids are shown with the labels in force. */
  lists: OptionLists;
}

interface TimelineItem {
  icon: string;
  body: string;
  authorId: string;
  at: string;
}

/** Comments are shown as they read now: edits folded in, deletions marked. */
function foldComments(entries: readonly TimelineEntry[]) {
  const latest = new Map<string, { text: string; edited: boolean; deleted: boolean }>();
  for (const entry of entries) {
    if (entry.kind === 'comment') latest.set(entry.message.ts, { text: entry.text, edited: false, deleted: false });
    if (entry.kind === 'comment_edited')
      latest.set(entry.message.ts, { text: entry.text, edited: true, deleted: false });
    if (entry.kind === 'comment_deleted') {
      const before = latest.get(entry.message.ts);
      latest.set(entry.message.ts, {
        text: before?.text ?? '',
        edited: before?.edited ?? false,
        deleted: true,
      });
    }
  }
  return latest;
}

function progressItem(entry: ProgressEntry, viewer: DetailsViewer): { icon: string; body: string } {
  if (entry.status === 'lost' && !viewer.maySeeLossReason) return { icon: '⚪', body: '*クローズ*' };
  const lines = progressLines(entry, viewer.lists);
  if (entry.status === 'lost') {
    const reason = [optionLabelOrNull(viewer.lists, 'lossReason', entry.lossReason), entry.lossDetail]
      .filter(Boolean)
      .join(' — ');
    lines.push(`失注理由: ${userText(reason, 1_000)}`);
  }
  return {
    icon: entry.status === 'won' ? '🎉' : entry.status === 'lost' ? '⚪' : '📝',
    body: lines.join('\n'),
  };
}

const ITEM_KINDS = new Set<TimelineEntry['kind']>(TIMELINE_ITEM_KINDS);

/** The timeline as people read it; only the newest `room` items are rendered (a long deal stays cheap). */
function toItems(timeline: RecentTimeline, viewer: DetailsViewer, room: number) {
  const comments = foldComments(timeline.entries);
  const itemEntries = timeline.entries.filter((entry) => ITEM_KINDS.has(entry.kind));
  const newest = itemEntries.slice(Math.max(itemEntries.length - room, 0));
  const items = newest.flatMap((entry): TimelineItem[] => {
    const base = { authorId: entry.authorId, at: entry.at };
    switch (entry.kind) {
      case 'report':
        return [{ ...base, icon: '📋', body: '*案件発生報告*' }];
      case 'advice':
        return [{ ...base, icon: '💡', body: `*助言・戦略の指示*\n${quote(entry.text, 2_500)}` }];
      case 'progress':
        return [{ ...base, ...progressItem(entry.entry, viewer) }];
      case 'comment': {
        const now = comments.get(entry.message.ts);
        if (now?.deleted) return [{ ...base, icon: '💬', body: '_(削除されたコメント)_' }];
        const note = now?.edited ? ' _(編集済み)_' : '';
        return [{ ...base, icon: '💬', body: `${userTextWithMentions(now?.text ?? entry.text, 2_500)}${note}` }];
      }
      case 'handover':
        return [{ ...base, icon: '🔁', body: `*担当営業の変更*: ${mention(entry.fromId)} → ${mention(entry.toId)}` }];
      case 'snoozed':
        return [
          {
            ...base,
            icon: '⏸',
            body: `*${formatDate(entry.until)} まで保留*\n理由: ${userText(entry.reason, 300)}`,
          },
        ];
      case 'snooze_lifted':
        return [{ ...base, icon: '▶️', body: '*保留を解除*' }];
      default:
        return [];
    }
  });
  return { items, omitted: timeline.itemCount - newest.length };
}

function itemBlocks(item: TimelineItem, timeZone: string): KnownBlock[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`${item.icon} ${item.body}`, 3_000) } },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${mention(item.authorId)} ・ ${formatInstant(item.at, timeZone)}` }],
    },
  ];
}

function statusFor(deal: Deal, viewer: DetailsViewer): string {
  return viewer.maySeeLossReason ? STATUS_LABELS[deal.status] : channelStatusLabel(deal);
}

/** The snooze in force and the buttons the viewer may use on a 商談中 deal (pushed on top of 詳細). */
function followUpBlocks(deal: Deal, viewer: DetailsViewer): KnownBlock[] {
  if (deal.status !== 'negotiating') return [];
  const may = viewer.may ?? { snooze: false, reassign: false };
  const state: KnownBlock[] = viewer.snooze
    ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(snoozeLine(viewer.snooze), 3_000) }] }]
    : [];
  const buttons = [
    ...(may.snooze && viewer.snooze
      ? [dealButton(ACTION.openSnooze, '保留を変更', deal.id), dealButton(ACTION.endSnooze, '保留を解除', deal.id)]
      : []),
    ...(may.snooze && !viewer.snooze ? [dealButton(ACTION.openSnooze, '保留にする', deal.id)] : []),
    ...(may.reassign ? [dealButton(ACTION.openReassign, '担当を変更', deal.id)] : []),
  ];
  const actions: KnownBlock[] =
    buttons.length > 0 ? [{ type: 'actions', block_id: `details_actions_${deal.id}`, elements: buttons }] : [];
  return [...state, ...actions];
}

/**
 * The deal's items and its timeline, the newest entries kept when it is too long for one modal: given
 * the newest `DETAILS_MAX_ITEMS` items (or more) and the count of all.
 */
export function buildDetailsModal(deal: Deal, timeline: RecentTimeline, viewer: DetailsViewer): ModalView {
  const head: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`*${dealName(deal, 300)}*\n${dealNumber(deal)} ・ 状況: ${statusFor(deal, viewer)}`, 3_000),
      },
    },
    dealFieldsBlock(deal, viewer.lists),
    ...descriptionBlocks(deal, 2_500),
    ...followUpBlocks(deal, viewer),
    { type: 'divider' },
    { type: 'header', text: plain('掲示板', 150) },
  ];
  const room = Math.floor((MAX_BLOCKS - head.length - 1) / BLOCKS_PER_ITEM);
  const { items: shown, omitted } = toItems(timeline, viewer, room);
  const notice: KnownBlock[] =
    omitted > 0
      ? [
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `古い記録 ${omitted} 件は省略しています。` }],
          },
        ]
      : [];
  return {
    type: 'modal',
    callback_id: CALLBACK.detailsModal,
    title: plain('案件の詳細', 24),
    close: plain('閉じる', 24),
    blocks: [...head, ...notice, ...shown.flatMap((item) => itemBlocks(item, viewer.timeZone))],
  };
}
