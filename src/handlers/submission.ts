import type { FormResult, StateValues } from '../forms/fields.js';
import { buildDoneModal } from '../views/notice.js';
import { DomainError, isDomainError } from '../workflow/errors.js';
import type { Actor } from '../workflow/types.js';
import type { HandlerDeps } from './deps.js';
import { logFailure, noticeFor } from './respond.js';
import type { ViewArgs } from './routes.js';

export interface Submission<M, T> {
  /** For logs: what was submitted. */
  what: string;
  readMetadata(raw: string): M | null;
  readForm(values: StateValues): FormResult<T>;
  /** When set, a workflow refusal is shown inline beside this input block instead of replacing the modal. */
  refusalBlock?: string;
  /** Runs the workflow; returns the confirmation the person reads. */
  submit(input: { actor: Actor; metadata: M; value: T; viewId: string }): string;
}

/**
 * A modal submission: unreadable metadata and workflow refusals turn the modal into a notice, field
 * errors go back inline (`response_action: 'errors'`), success shows a short confirmation.
 */
export function submissionHandler<M, T>(deps: HandlerDeps, submission: Submission<M, T>) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const userId = body.user.id;
    const metadata = submission.readMetadata(view.private_metadata);
    if (metadata === null) {
      deps.logger.warn(`anken: ${submission.what} submitted with unreadable private_metadata`, { userId });
      await ack(noticeFor(new DomainError('not_found')));
      return;
    }
    // A malformed payload may lack state altogether: read it as an empty form (every field missing).
    const form = submission.readForm((view.state?.values ?? {}) as StateValues);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    try {
      const actor = await deps.people.actor(userId, body.user.team_id);
      const done = submission.submit({ actor, metadata, value: form.value, viewId: view.id });
      await ack({ response_action: 'update', view: buildDoneModal(done) });
    } catch (error) {
      logFailure(deps.logger, submission.what, error, { userId, metadata });
      if (submission.refusalBlock && isDomainError(error)) {
        await ack({ response_action: 'errors', errors: { [submission.refusalBlock]: error.message } });
      } else await ack(noticeFor(error));
    }
  };
}
