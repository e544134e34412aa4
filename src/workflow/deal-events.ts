import type { Deal, DealEvent, DealEventType, DealSnapshot, DealStatus, Effect } from './types.js';

export function snapshotOf(deal: Deal): DealSnapshot {
  return {
    id: deal.id,
    externalId: deal.externalId,
    status: deal.status,
    customer: deal.customer,
    title: deal.title,
    industry: deal.industry,
    companySize: deal.companySize,
    amount: deal.amount,
    expectedCloseDate: deal.expectedCloseDate,
    source: deal.source,
    contactName: deal.contactName,
    description: deal.description,
    ownerSlackUserId: deal.ownerId,
    createdAt: deal.createdAt,
    reportedAt: deal.reportedAt,
    closedAt: deal.closedAt,
  };
}

export interface EventInput {
  type: DealEventType;
  deal: Deal;
  previousStatus: DealStatus | null;
  actorId: string;
  at: string;
  details?: Pick<DealEvent, 'advice' | 'progress'>;
}

/** One signed webhook per configured target; the deal's items are captured as they are now. */
export function webhookEffects(urls: readonly string[], eventId: string, input: EventInput): Effect[] {
  if (urls.length === 0) return [];
  const event: DealEvent = {
    id: eventId,
    type: input.type,
    occurredAt: input.at,
    previousStatus: input.previousStatus,
    status: input.deal.status,
    actor: { slackUserId: input.actorId },
    deal: snapshotOf(input.deal),
    ...input.details,
  };
  return urls.map((url) => ({ kind: 'send_webhook', dealId: input.deal.id, url, event }));
}
