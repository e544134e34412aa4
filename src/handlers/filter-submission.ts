import type { ModalView } from '@slack/types';
import type { StateValues } from '../forms/fields.js';
import { readFilterForm } from '../forms/filter-form.js';
import type { DealFilters } from '../workflow/deal-search.js';
import { assertAllowed, type DealAction } from '../workflow/permissions.js';
import type { Actor } from '../workflow/types.js';
import type { HandlerDeps } from './deps.js';
import { logFailure, noticeFor } from './respond.js';
import type { ViewArgs } from './routes.js';

/**
 * A submitted filter form (search, analysis): field errors go back inline, then the person is judged
 * for `action`, and `next` gives the modal that replaces this one.
 */
export function filterSubmission(
  deps: HandlerDeps,
  action: DealAction,
  next: (actor: Actor, filters: DealFilters) => ModalView,
) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const form = readFilterForm((view.state?.values ?? {}) as StateValues, deps.settings().lists);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    try {
      const actor = await deps.people.actor(body.user.id, body.user.team_id);
      assertAllowed(actor, action, deps.roles);
      await ack({ response_action: 'update', view: next(actor, form.value) });
    } catch (error) {
      logFailure(deps.logger, action, error, { userId: body.user.id });
      await ack(noticeFor(error));
    }
  };
}
