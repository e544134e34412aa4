import type { WebClient } from '@slack/web-api';
import { ACTION, CALLBACK } from '../ids.js';
import { buildAnalysisModal } from '../views/analysis-modal.js';
import { buildDoneModal } from '../views/notice.js';
import { lastTwelveMonths } from '../workflow/analysis.js';
import { todayIn } from '../workflow/dates.js';
import { NO_FILTERS } from '../workflow/deal-search.js';
import { assertAllowed } from '../workflow/permissions.js';
import type { Actor } from '../workflow/types.js';
import { tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { filterSubmission } from './filter-submission.js';
import type { Routes } from './routes.js';

/** Opens 受注・失注の分析 with the last 12 months filled in (leaders only). */
export async function openAnalysis(deps: HandlerDeps, client: WebClient, triggerId: string, actor: Actor) {
  assertAllowed(actor, 'analyse', deps.roles);
  const today = todayIn(deps.timeZone, deps.now());
  const filters = {
    ...NO_FILTERS,
    periodBasis: 'closed' as const,
    from: `${lastTwelveMonths(today).from}-01`,
    to: today,
  };
  await client.views.open({ trigger_id: triggerId, view: buildAnalysisModal(filters, deps.settings().lists) });
}

/** 分析: the home tab's button and the modal; the work runs after Slack has its answer. */
export function registerAnalysis(routes: Routes, deps: HandlerDeps): void {
  routes.action(
    ACTION.openAnalysis,
    tapHandler(deps, 'open analysis', ({ actor, triggerId, client }) => openAnalysis(deps, client, triggerId, actor)),
  );
  routes.view(
    CALLBACK.analysisModal,
    filterSubmission(deps, 'analyse', (actor, filters) => {
      deps.reports.analysis(actor.userId, { ...filters, periodBasis: 'closed' });
      return buildDoneModal('分析結果を DM でお送りします。');
    }),
  );
}
