import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { stripControlChars } from '../forms/characters.js';
import { CALLBACK } from '../ids.js';
import { truncate } from '../views/text.js';
import { LIMITS } from '../workflow/catalog.js';
import { assertAllowed } from '../workflow/permissions.js';
import type { HandlerDeps } from './deps.js';
import { openReportModal } from './report-modal.js';
import { logFailure, messageFor, showNotice } from './respond.js';
import type { Routes } from './routes.js';

// The trigger_id lives 3 s: a slow permalink is left out rather than losing the modal.
const PERMALINK_TIMEOUT_MS = 1_000;

/** Slack's message markup as people read it: <@U1|sato> → @sato, <https://x|見積> → 見積 (https://x), &lt; → <. */
export function plainMessageText(text: string): string {
  return stripControlChars(text)
    .replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_match, target: string, label: string | undefined) => {
      if (/^[@#]/.test(target)) return label ? `${target[0]}${label.replace(/^[@#]/, '')}` : target;
      if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
      if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
      return label && label !== target ? `${label} (${target})` : target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\r\n?/g, '\n')
    .trim();
}

/** 案件概要 prefilled from a message: its text, cut to leave room for the link back to it. */
export function descriptionFromMessage(text: string, permalink: string | null): string {
  const link = permalink ? `元のメッセージ: ${permalink}` : '';
  const body = plainMessageText(text);
  if (!link) return truncate(body, LIMITS.longText);
  if (!body) return truncate(link, LIMITS.longText);
  return `${truncate(body, LIMITS.longText - [...link].length - 2)}\n\n${link}`;
}

async function permalinkOf(client: WebClient, channel: string, ts: string, logger: Logger): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), PERMALINK_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([client.chat.getPermalink({ channel, message_ts: ts }), timeout]);
    return result?.permalink ?? null;
  } catch (error) {
    logger.warn('anken: no permalink for a message shortcut; opening the report without it', { channel, ts }, error);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** The message shortcut 「案件として登録」: the report modal, prefilled with the message and a link to it. */
export function registerMessageShortcut(routes: Routes, deps: HandlerDeps): void {
  routes.shortcut(CALLBACK.reportFromMessage, async ({ ack, shortcut, client }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const { user, channel, message } = shortcut;
    deps.afterAck.run('report from message', async () => {
      try {
        const [actor, permalink] = await Promise.all([
          deps.people.actor(user.id, user.team_id),
          permalinkOf(client, channel.id, shortcut.message_ts, deps.logger),
        ]);
        assertAllowed(actor, 'report', deps.roles);
        await openReportModal(deps, client, shortcut.trigger_id, {
          ownerId: user.id,
          prefill: { description: descriptionFromMessage(message.text ?? '', permalink) },
        });
      } catch (error) {
        logFailure(deps.logger, 'report from message', error, { userId: user.id, channel: channel.id });
        await showNotice(client, shortcut.trigger_id, messageFor(error), deps.logger);
      }
    });
  });
}
