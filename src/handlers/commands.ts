import type { App } from '@slack/bolt';
import { assertAllowed } from '../workflow/permissions.js';
import type { HandlerDeps } from './deps.js';
import { openReportModal } from './report-modal.js';
import { logFailure, messageFor } from './respond.js';

const HELP = [
  '*anken の使い方*',
  '• `/案件` (または `/anken`): 案件発生報告のフォームを開きます。',
  '• 進捗の記録は、案件カードや DM の「進捗を記録」ボタンから。',
  '• 自分のタスクと案件は、anken アプリの「ホーム」タブで確認できます。',
].join('\n');

/** `/案件` and its aliases open the 案件発生報告 modal. */
export function registerCommands(app: App, deps: HandlerDeps): void {
  for (const name of deps.commandNames) {
    app.command(name, async ({ ack, command, client }) => {
      if (/^(help|ヘルプ|使い方)$/i.test(command.text.trim())) {
        await ack({ response_type: 'ephemeral', text: HELP });
        return;
      }
      try {
        assertAllowed(await deps.people.actor(command.user_id, command.team_id), 'report', deps.roles);
      } catch (error) {
        logFailure(deps.logger, 'command', error, { userId: command.user_id, command: command.command });
        await ack({ response_type: 'ephemeral', text: messageFor(error) });
        return;
      }
      await ack();
      try {
        await openReportModal(deps, client, command.trigger_id, { ownerId: command.user_id });
      } catch (error) {
        logFailure(deps.logger, 'open report from command', error, { userId: command.user_id });
      }
    });
  }
}
