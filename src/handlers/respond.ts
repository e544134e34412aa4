import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { buildNoticeModal } from '../views/notice.js';
import { isDomainError } from '../workflow/errors.js';

const UNEXPECTED = 'うまく処理できませんでした。少し時間をおいて、もう一度お試しください。';

/** What a person reads when their request is refused: the domain reason, never exception text. */
export function messageFor(error: unknown): string {
  return isDomainError(error) ? error.message : UNEXPECTED;
}

/** Logs what was refused (expected) or failed (unexpected), with its context. */
export function logFailure(logger: Logger, what: string, error: unknown, context: Record<string, unknown>): void {
  if (isDomainError(error)) logger.info(`anken: ${what} refused`, error.code, context);
  else logger.error(`anken: ${what} failed`, context, error);
}

/** Tells the person in a small modal (buttons have no other private place in DMs and the home tab). */
export async function showNotice(client: WebClient, triggerId: string, message: string, logger: Logger): Promise<void> {
  try {
    await client.views.open({ trigger_id: triggerId, view: buildNoticeModal(message) });
  } catch (error) {
    logger.warn('anken: could not show a notice', error);
  }
}

export function noticeFor(error: unknown) {
  return { response_action: 'update' as const, view: buildNoticeModal(messageFor(error)) };
}
