import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import type { Effect } from '../workflow/types.js';
import { WebhookHttpError } from './webhook.js';

/** How a failed delivery should go on: wait and try again, or stop and tell someone. */
export type FailureVerdict =
  | { retry: true; afterMs: number | null; ambiguous: boolean; reason: string }
  | { retry: false; reason: string };

/** Slack errors that say "not now" rather than "never". */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

export class PermanentDeliveryError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PermanentDeliveryError';
  }
}

/** Receiver statuses worth another try: timeouts, "too early", rate limits and server errors. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export function classifyFailure(error: unknown): FailureVerdict {
  if (error instanceof PermanentDeliveryError) return { retry: false, reason: error.reason };
  if (error instanceof WebhookHttpError) {
    const reason = `webhook_http_${error.status}`;
    return isRetryableStatus(error.status)
      ? {
          retry: true,
          afterMs: error.retryAfterSeconds === null ? null : error.retryAfterSeconds * 1_000,
          ambiguous: false,
          reason,
        }
      : { retry: false, reason };
  }
  if (error instanceof WebAPIRateLimitedError) {
    return { retry: true, afterMs: error.retryAfter * 1_000, ambiguous: false, reason: 'ratelimited' };
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    return TRANSIENT_PLATFORM_ERRORS.has(code)
      ? { retry: true, afterMs: null, ambiguous: false, reason: code }
      : { retry: false, reason: code };
  }
  if (error instanceof WebAPIHTTPError) {
    const retryAfter = Number(error.headers['retry-after']);
    return {
      retry: true,
      afterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1_000 : null,
      // A 5xx may come after Slack has already acted.
      ambiguous: error.statusCode >= 500,
      reason: `http_${error.statusCode}`,
    };
  }
  if (error instanceof WebAPIRequestError) {
    return {
      retry: true,
      afterMs: null,
      ambiguous: true,
      reason: `request_error: ${error.original.message}`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { retry: true, afterMs: null, ambiguous: true, reason: `unexpected: ${message}` };
}

/**
 * Attempts before an effect is given up and reported to the admins. With the backoff below, Slack
 * messages are tried for about a day, webhooks for about two and a half hours.
 */
export function maxAttemptsOf(effect: Effect): number {
  return effect.kind === 'send_webhook' ? 24 : 150;
}

/** Exponential backoff with jitter: 1 s, 2 s, 4 s … capped at 10 minutes. */
export function backoffMs(attempt: number, baseMs = 1_000, random: () => number = Math.random): number {
  const base = Math.min(baseMs * 2 ** attempt, 600_000);
  return Math.round(base * (0.75 + random() * 0.5));
}
