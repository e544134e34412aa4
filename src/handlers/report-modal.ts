import type { WebClient } from '@slack/web-api';
import { readReportMetadata } from '../forms/metadata.js';
import { readReportForm } from '../forms/report-form.js';
import { ACTION, CALLBACK } from '../ids.js';
import { dealNumber } from '../views/deal-summary.js';
import { buildReportModal, type ReportModalInput } from '../views/report-modal.js';
import { assertAllowed, assertDraft } from '../workflow/permissions.js';
import { dealOfButton, tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import type { Routes } from './routes.js';
import { submissionHandler } from './submission.js';

/** Opens the report modal with the option lists in force. */
export async function openReportModal(
  deps: HandlerDeps,
  client: WebClient,
  triggerId: string,
  input: Omit<ReportModalInput, 'lists'>,
): Promise<void> {
  await client.views.open({
    trigger_id: triggerId,
    view: buildReportModal({ ...input, lists: deps.settings().lists }),
  });
}

/** 1. 案件発生報告: the modal opened from the home tab or a task DM, and its submission. */
export function registerReportModal(routes: Routes, deps: HandlerDeps): void {
  const { process, roles } = deps;

  routes.action(
    ACTION.openNewReport,
    tapHandler(deps, 'open report', async ({ actor, triggerId, client }) => {
      assertAllowed(actor, 'report', roles);
      await openReportModal(deps, client, triggerId, { ownerId: actor.userId });
    }),
  );

  routes.action(
    ACTION.openReport,
    tapHandler(deps, 'open draft report', async ({ actor, value, triggerId, client }) => {
      const deal = dealOfButton(deps, value);
      assertAllowed(actor, 'report', roles, deal);
      assertDraft(deal);
      await openReportModal(deps, client, triggerId, {
        ownerId: deal.ownerId,
        prefill: deal,
        metadata: { draftDealId: deal.id },
      });
    }),
  );

  routes.view(
    CALLBACK.reportModal,
    submissionHandler(deps, {
      what: 'report',
      readMetadata: readReportMetadata,
      readForm: (values) => readReportForm(values, deps.settings().lists),
      submit: ({ actor, metadata, value, viewId }) => {
        const { deal } = process.reportDeal({
          actor,
          report: value,
          idempotencyKey: viewId,
          ...(metadata.draftDealId === undefined ? {} : { draftDealId: metadata.draftDealId }),
        });
        return `${dealNumber(deal)} を登録し、チャンネルに共有しました。`;
      },
    }),
  );
}
