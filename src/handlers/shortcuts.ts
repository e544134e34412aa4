import { CALLBACK } from '../ids.js';
import { assertAllowed } from '../workflow/permissions.js';
import type { HandlerDeps } from './deps.js';
import { openReportModal } from './report-modal.js';
import { logFailure, messageFor, showNotice } from './respond.js';
import type { Routes } from './routes.js';

/** The global shortcut 「案件を登録」: the same modal as `/案件`, reachable from the ⚡ menu on phones. */
export function registerShortcuts(routes: Routes, deps: HandlerDeps): void {
  routes.shortcut(CALLBACK.reportShortcut, async ({ ack, shortcut, client }) => {
    await ack();
    deps.afterAck.run('report shortcut', async () => {
      try {
        assertAllowed(await deps.people.actor(shortcut.user.id, shortcut.user.team_id), 'report', deps.roles);
        await openReportModal(deps, client, shortcut.trigger_id, { ownerId: shortcut.user.id });
      } catch (error) {
        logFailure(deps.logger, 'report shortcut', error, { userId: shortcut.user.id });
        await showNotice(client, shortcut.trigger_id, messageFor(error), deps.logger);
      }
    });
  });
}
