import type { ModalView } from '@slack/types';
import { plain } from './text.js';

/** A small modal that tells the person why nothing happened (works in channels, DMs, the home tab). */
export function buildNoticeModal(message: string, title = 'anken'): ModalView {
  return {
    type: 'modal',
    title: plain(title, 24),
    close: plain('閉じる', 24),
    blocks: [{ type: 'section', text: plain(message, 3_000) }],
  };
}

export function buildDoneModal(message: string): ModalView {
  return buildNoticeModal(`✅ ${message}`);
}
