import { createHmac } from 'node:crypto';
import type { DealEvent } from '../workflow/types.js';

/** A webhook receiver answered with a status that is not 2xx. */
export class WebhookHttpError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterSeconds: number | null,
  ) {
    super(`webhook receiver answered ${status}`);
    this.name = 'WebhookHttpError';
  }
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, as receivers verify it. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

export interface WebhookSenderDeps {
  secret: string;
  now: () => Date;
  timeoutMs?: number;
}

export type WebhookSender = (url: string, event: DealEvent) => Promise<void>;

export function createWebhookSender(deps: WebhookSenderDeps): WebhookSender {
  return async (url, event) => {
    const body = JSON.stringify(event);
    const timestamp = Math.floor(deps.now().getTime() / 1_000);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'anken-webhook/1',
        'x-anken-event-id': event.id,
        'x-anken-event-type': event.type,
        'x-anken-signature': signWebhook(deps.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return;
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new WebhookHttpError(response.status, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  };
}
