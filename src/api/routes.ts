import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute, Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import type { OptionLists } from '../workflow/options.js';
import type { SystemCommands } from '../workflow/system-commands.js';
import { type ApiReply, createDealsApi } from './deals-api.js';

/** Lazily resolved: Bolt needs the routes before the app (and its client and logger) exists. */
export interface ApiDeps {
  config: Config;
  system: () => SystemCommands;
  client: () => WebClient;
  logger: () => Logger;
  /** The option lists in force, which a deal's industry, companySize and source must name. */
  lists: () => OptionLists;
}

export interface ApiOptions {
  /** Token bucket per API token (or per client IP before authentication): refill rate and burst size. */
  rateLimit?: { perMinute: number; burst: number };
  maxBodyBytes?: number;
  /** Milliseconds, for the rate limiter (tests move it by hand). */
  clock?: () => number;
}

const DEFAULTS = { rateLimit: { perMinute: 60, burst: 20 }, maxBodyBytes: 64 * 1024 } as const;
const MAX_BUCKETS = 10_000;
// Every method Bolt may route, so that the others get 405 rather than Bolt's bare 404.
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A token bucket per key; `take` answers 0 when allowed, else the seconds to wait. */
export function createRateLimiter(limit: { perMinute: number; burst: number }, clock: () => number = Date.now) {
  const perMs = limit.perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  function refill(bucket: { tokens: number; at: number }, now: number): void {
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
  }

  /** Forgets full buckets (and, under a flood of new keys, the oldest) so the map stays bounded. */
  function prune(now: number): void {
    for (const [key, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= limit.burst) buckets.delete(key);
    }
    for (const key of buckets.keys()) {
      if (buckets.size <= MAX_BUCKETS / 2) break;
      buckets.delete(key);
    }
  }

  return {
    take(key: string): number {
      const now = clock();
      if (!buckets.has(key) && buckets.size >= MAX_BUCKETS) prune(now);
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: now };
      buckets.set(key, bucket);
      refill(bucket, now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1_000));
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** 'ok', 'missing' (no or malformed header) or 'wrong', compared in constant time over equal-length digests. */
function authenticate(header: string | undefined, expected: Buffer): 'ok' | 'missing' | 'wrong' {
  const token = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
  if (token === undefined) return 'missing';
  return timingSafeEqual(sha256(token), expected) ? 'ok' : 'wrong';
}

function isJson(contentType: string | undefined): boolean {
  const [type, ...params] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((param) => !param.startsWith('charset=') || /^charset="?utf-8"?$/.test(param));
}

type Body = { kind: 'ok'; text: string } | { kind: 'too_large' } | { kind: 'not_utf8' } | { kind: 'aborted' };

/** Reads at most `limit` bytes: a larger body is refused without buffering it (by its length when declared). */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      resolve({ kind: 'too_large' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (body: Body) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        finish({ kind: 'too_large' });
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      try {
        finish({ kind: 'ok', text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)) });
      } catch {
        finish({ kind: 'not_utf8' });
      }
    });
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => finish({ kind: 'aborted' }));
  });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function refusal(status: number, error: string, message: string, headers?: Record<string, string>): ApiReply {
  return { status, body: { error, message }, reason: error, ...(headers ? { headers } : {}) };
}

function send(res: ServerResponse, reply: ApiReply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...reply.headers,
  });
  res.end(body);
}

/** The bot's own HTTP API, next to Slack's endpoint. No token configured: no routes, so /api/* is 404. */
export function createApiRoutes(deps: ApiDeps, options: ApiOptions = {}): CustomRoute[] {
  if (deps.config.apiToken === undefined) return [];
  const expected = sha256(deps.config.apiToken);
  const limiter = createRateLimiter(options.rateLimit ?? DEFAULTS.rateLimit, options.clock);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
  const dealsApi = createDealsApi(deps);

  async function postDeal(req: IncomingMessage): Promise<ApiReply> {
    const auth = authenticate(req.headers.authorization, expected);
    // Before authentication a sender is known only by its address; after it, by its token.
    const wait = limiter.take(auth === 'ok' ? 'token' : `ip:${req.socket.remoteAddress ?? 'unknown'}`);
    if (wait > 0) {
      const message = `リクエストが多すぎます。${wait}秒後に再試行してください。`;
      return refusal(429, 'rate_limited', message, { 'retry-after': String(wait) });
    }
    if (req.method !== 'POST') {
      return refusal(405, 'method_not_allowed', 'POST で送ってください。', { allow: 'POST' });
    }
    if (auth === 'missing') {
      const message = 'Authorization: Bearer <トークン> ヘッダが必要です。';
      return refusal(401, 'unauthorized', message, { 'www-authenticate': 'Bearer realm="anken"' });
    }
    if (auth === 'wrong') return refusal(403, 'forbidden', 'トークンが正しくありません。');
    if (!isJson(req.headers['content-type'])) {
      return refusal(415, 'unsupported_media_type', 'Content-Type: application/json (UTF-8) で送ってください。');
    }
    const body = await readBody(req, maxBodyBytes);
    if (body.kind === 'too_large') {
      const message = `本文が大きすぎます。${maxBodyBytes / 1024} KiB 以内にしてください。`;
      // `Connection: close`: Node closes the socket after the answer instead of reading the rest.
      return refusal(413, 'payload_too_large', message, { connection: 'close' });
    }
    if (body.kind === 'aborted') return refusal(400, 'aborted', '本文を最後まで受け取れませんでした。');
    const json = body.kind === 'ok' ? parseJson(body.text) : { ok: false as const };
    if (!json.ok) return refusal(400, 'invalid_json', '本文を JSON (UTF-8) として読めません。');
    return dealsApi.start(json.value);
  }

  function serve(req: IncomingMessage, res: ServerResponse): void {
    const logger = deps.logger();
    const context = { method: req.method, path: req.url, ip: req.socket.remoteAddress };
    postDeal(req)
      .then((reply) => {
        if (reply.status >= 400 && reply.status < 500) {
          logger.info('anken: API request refused', { ...context, status: reply.status, reason: reply.reason });
        }
        send(res, reply);
      })
      .catch((error: unknown) => {
        logger.error('anken: API request failed', context, error);
        if (res.headersSent) res.destroy();
        else
          send(res, refusal(500, 'internal_error', 'サーバーで問題が起きました。しばらくしてから再試行してください。'));
      });
  }

  return [{ path: '/api/deals', method: METHODS, handler: serve }];
}
