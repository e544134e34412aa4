import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { readButtonId, readReportMetadata } from '../forms/metadata.js';
import { readReportForm } from '../forms/report-form.js';
import { ACTION, CALLBACK } from '../ids.js';
import { dealNumber } from '../views/deal-summary.js';
import { buildReportModal, type ReportModalInput } from '../views/report-modal.js';
import { DomainError } from '../workflow/errors.js';
import { assertAllowed } from '../workflow/permissions.js';
import type { HandlerDeps } from './deps.js';
import { logFailure, messageFor, showNotice } from './respond.js';
import { submissionHandler } from './submission.js';

export async function openReportModal(client: WebClient, triggerId: string, input: ReportModalInput): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: buildReportModal(input) });
}

/** 1. 案件発生報告: the modal opened from the home tab or a task DM, and its submission. */
export function registerReportModal(app: App, deps: HandlerDeps): void {
  const { people, process, queries, roles, logger } = deps;

  app.action(ACTION.openNewReport, async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions') return;
    try {
      assertAllowed(await people.actor(body.user.id, body.user.team_id), 'report', roles);
      await openReportModal(client, body.trigger_id, { ownerId: body.user.id });
    } catch (error) {
      logFailure(logger, 'open report', error, { userId: body.user.id });
      await showNotice(client, body.trigger_id, messageFor(error), logger);
    }
  });

  app.action(ACTION.openReport, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    const dealId = readButtonId(action.value);
    try {
      const deal = dealId === null ? null : queries.getDeal(dealId);
      if (!deal) throw new DomainError('not_found');
      assertAllowed(await people.actor(body.user.id, body.user.team_id), 'report', roles, deal);
      if (deal.status !== 'draft') throw new DomainError('already_reported');
      await openReportModal(client, body.trigger_id, {
        ownerId: deal.ownerId,
        prefill: deal,
        metadata: { draftDealId: deal.id },
      });
    } catch (error) {
      logFailure(logger, 'open draft report', error, { userId: body.user.id, value: action.value });
      await showNotice(client, body.trigger_id, messageFor(error), logger);
    }
  });

  app.view(
    CALLBACK.reportModal,
    submissionHandler(deps, {
      what: 'report',
      readMetadata: readReportMetadata,
      readForm: readReportForm,
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
