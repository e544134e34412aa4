import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { readButtonId } from '../forms/metadata.js';
import { DomainError } from '../workflow/errors.js';
import type { Actor, Deal } from '../workflow/types.js';
import type { HandlerDeps } from './deps.js';
import { logFailure, messageFor, showNotice } from './respond.js';
import type { ActionArgs } from './routes.js';

/** The deal a button names in its value, or not_found for a missing or tampered value. */
export function dealOfButton(deps: HandlerDeps, value: string | undefined): Deal {
  const dealId = readButtonId(value);
  const deal = dealId === null ? null : deps.queries.getDeal(dealId);
  if (!deal) throw new DomainError('not_found');
  return deal;
}

export interface Tap {
  actor: Actor;
  /** The button's value (a deal id, an outbox id …), still to be read and checked. */
  value: string | undefined;
  triggerId: string;
  client: WebClient;
  /** Tapped inside a modal (a search result): a new modal goes on top of it with views.push. */
  inModal: boolean;
}

/** Opens `view` as a new modal, or stacks it on the modal the tap came from (views.push, as Slack asks). */
export async function openOrPush(tap: Tap, view: ModalView): Promise<void> {
  await (tap.inModal
    ? tap.client.views.push({ trigger_id: tap.triggerId, view })
    : tap.client.views.open({ trigger_id: tap.triggerId, view }));
}

/**
 * A button that opens a modal: acked at once; after the answer the person is judged and the modal opened,
 * or any refusal or failure shown in a small notice modal (the one private place a tap in a DM or the
 * home tab has).
 */
export function tapHandler(deps: HandlerDeps, what: string, run: (tap: Tap) => Promise<void>) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    if (body.type !== 'block_actions') return;
    // A button carries its value; an overflow menu (the card's ⋯), the chosen option's.
    const value =
      action.type === 'button' ? action.value : action.type === 'overflow' ? action.selected_option.value : null;
    if (value === null) return;
    const { user, trigger_id: triggerId } = body;
    const inModal = body.view?.type === 'modal';
    deps.afterAck.run(what, async () => {
      try {
        const actor = await deps.people.actor(user.id, user.team_id);
        await run({ actor, value, triggerId, client, inModal });
      } catch (error) {
        logFailure(deps.logger, what, error, { userId: user.id, value });
        await showNotice(client, triggerId, messageFor(error), deps.logger);
      }
    });
  };
}
