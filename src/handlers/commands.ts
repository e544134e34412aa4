import type { WebClient } from '@slack/web-api';
import { assertAllowed, type DealAction } from '../workflow/permissions.js';
import type { Actor } from '../workflow/types.js';
import { openAnalysis } from './analysis.js';
import type { HandlerDeps } from './deps.js';
import { openReportModal } from './report-modal.js';
import { logFailure, messageFor } from './respond.js';
import type { Routes } from './routes.js';
import { openSearch } from './search.js';

const HELP = [
  '*anken の使い方*',
  '• `/案件` (または `/anken`): 案件発生報告のフォームを開きます。',
  '• `/案件 検索 保守 更改` (`/anken search …`): 過去の案件を探します。',
  '• `/案件 分析` (営業リーダ): 受注率・失注理由などの分析を DM でお送りします。',
  '• 進捗の記録は、案件カードや DM の「進捗を記録」ボタンから。',
  '• 自分のタスクと案件は、anken アプリの「ホーム」タブで確認できます。',
].join('\n');

interface SubCommand {
  /** Matches the command's text; group 1, when present, is what follows the sub-command. */
  pattern: RegExp;
  action: DealAction;
  open(deps: HandlerDeps, client: WebClient, triggerId: string, actor: Actor, rest: string): Promise<unknown>;
}

const SUB_COMMANDS: readonly SubCommand[] = [
  {
    pattern: /^(?:検索|search)(?:\s+([\s\S]*))?$/i,
    action: 'search',
    open: (deps, client, triggerId, actor, words) => openSearch(deps, client, triggerId, actor, words),
  },
  {
    pattern: /^(?:分析|analysis)$/i,
    action: 'analyse',
    open: (deps, client, triggerId, actor) => openAnalysis(deps, client, triggerId, actor),
  },
  {
    pattern: /^[\s\S]*$/,
    action: 'report',
    open: (deps, client, triggerId, actor) => openReportModal(deps, client, triggerId, { ownerId: actor.userId }),
  },
];

/** `/案件` and its aliases open the 案件発生報告 modal; `検索 <words>` the search, `分析` the analysis. */
export function registerCommands(routes: Routes, deps: HandlerDeps): void {
  for (const name of deps.commandNames) {
    routes.command(name, async ({ ack, command, client, respond }) => {
      const text = command.text.trim();
      if (/^(help|ヘルプ|使い方)$/i.test(text)) {
        await ack({ response_type: 'ephemeral', text: HELP });
        return;
      }
      const sub = SUB_COMMANDS.find((candidate) => candidate.pattern.test(text)) as SubCommand;
      await ack();
      // Judged after the answer: a person Slack has not told us about yet costs a users.info call.
      deps.afterAck.run(`${sub.action} command`, async () => {
        try {
          const actor = await deps.people.actor(command.user_id, command.team_id);
          assertAllowed(actor, sub.action, deps.roles);
          await sub.open(deps, client, command.trigger_id, actor, sub.pattern.exec(text)?.[1] ?? '');
        } catch (error) {
          logFailure(deps.logger, 'command', error, { userId: command.user_id, command: command.command });
          // Only the person who typed the command sees it; a malformed request may come without a response_url.
          if (command.response_url) await respond({ response_type: 'ephemeral', text: messageFor(error) });
        }
      });
    });
  }
}
