import type { BlockAction } from '@slack/bolt';
import { readButtonId } from '../forms/metadata.js';
import { DomainError } from '../workflow/errors.js';
import type { Deal } from '../workflow/types.js';
import type { HandlerDeps } from './deps.js';

/** The deal a button names in its value, or not_found for a missing or tampered value. */
export function dealOfButton(deps: HandlerDeps, value: string | undefined): Deal {
  const dealId = readButtonId(value);
  const deal = dealId === null ? null : deps.queries.getDeal(dealId);
  if (!deal) throw new DomainError('not_found');
  return deal;
}

export function buttonActor(deps: HandlerDeps, body: BlockAction) {
  return deps.people.actor(body.user.id, body.user.team_id);
}
