import type { Logger } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import { ErrorCode } from '@slack/web-api';
import { ConfigError } from '../config.js';

/** One envelope from Slack as the socket client hands it over. */
export interface SocketEnvelope {
  type: string;
  body: Record<string, unknown>;
  retryNum: number | undefined;
  retryReason: string | undefined;
  ack(response?: Record<string, unknown>): Promise<void>;
}

export interface SocketConnectionOptions {
  appToken: string;
  slackApiUrl: string | undefined;
  logger: Logger;
  onEnvelope(envelope: SocketEnvelope): void;
  /** Waits (briefly) for the envelopes being handled, before a replaced connection is closed. */
  drain(): Promise<void>;
  /** Delay before the second try to connect after a failure (default 1 s); it doubles up to 30 s. */
  retryBaseMs?: number;
  /** How long a new connection may take to say hello before it is given up (default 10 s). */
  helloTimeoutMs?: number;
}

export interface SocketConnection {
  /** Connects (a few tries); a rejected app token stops here with a ConfigError naming SLACK_APP_TOKEN. */
  start(): Promise<void>;
  /** Closes the connection and stops reconnecting. */
  stop(): Promise<void>;
}

const MAX_RETRY_MS = 30_000;
const START_ATTEMPTS = 5;
/** A connection that never says hello is given up and opened again. */
const HELLO_TIMEOUT_MS = 10_000;
/** apps.connections.open errors that no retry will fix: the app token itself is refused. */
const TOKEN_REFUSED = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'missing_scope',
  'user_removed_from_team',
  'team_disabled',
]);

class Stopped extends Error {}

function platformError(error: unknown): string | undefined {
  const coded = error as { code?: string; data?: { error?: string } };
  return coded?.code === ErrorCode.PlatformError ? coded.data?.error : undefined;
}

function retryAfterMs(error: unknown): number {
  const coded = error as { code?: string; retryAfter?: number };
  return coded?.code === ErrorCode.RateLimitedError ? (coded.retryAfter ?? 0) * 1000 : 0;
}

/** A ConfigError naming SLACK_APP_TOKEN when Slack refused the app token itself. */
function tokenRefusal(error: unknown): ConfigError | undefined {
  const refused = platformError(error);
  if (refused === undefined || !TOKEN_REFUSED.has(refused)) return undefined;
  return new ConfigError([
    `SLACK_APP_TOKEN: Slack がアプリレベルトークンを受け付けませんでした (${refused})。` +
      '「Basic Information」→「App-Level Tokens」で connections:write 付きのトークンを発行して設定してください',
  ]);
}

function parsed(data: unknown): { type?: unknown } {
  try {
    return typeof data === 'string' ? (JSON.parse(data) as object) : {};
  } catch {
    return {};
  }
}

function isDisconnectMessage(data: unknown): boolean {
  return typeof data === 'string' && data.includes('"disconnect"') && parsed(data).type === 'disconnect';
}

/**
 * The Socket Mode connection, kept open for the life of the process. Slack asks every connection to
 * refresh now and then (a `disconnect` message). @slack/socket-mode 3.1 then closes at once and waits
 * 5 s before it asks for a new URL, and a failed `apps.connections.open` during that reconnect is an
 * unhandled rejection that ends the process. Here each connection is one SocketModeClient without its
 * own reconnecting, and its messages pass through `relay` first: on `disconnect` the replacement is
 * opened while the old connection still serves, and the old one is closed once the new one has said
 * hello. A failed open is tried again with backoff, for as long as it takes, while the bot keeps running.
 */
export function createSocketConnection(options: SocketConnectionOptions): SocketConnection {
  const { logger } = options;
  const retryBaseMs = options.retryBaseMs ?? 1_000;
  const helloTimeoutMs = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
  let current: SocketModeClient | undefined;
  let replacing: Promise<void> | undefined;
  let stopping = false;
  const closed = new WeakSet<SocketModeClient>();
  const waits = new Set<() => void>();

  /** A pause between two tries that stop() cuts short. */
  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        waits.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waits.add(wake);
    });
  }

  function newClient(): SocketModeClient {
    const client = new SocketModeClient({
      appToken: options.appToken,
      logger,
      autoReconnectEnabled: false,
      // Its own options: the App's `retries: 0` and 2.5 s timeout are for views.open, not for this.
      clientOptions: {
        ...(options.slackApiUrl === undefined ? {} : { slackApiUrl: options.slackApiUrl }),
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: 10_000,
      },
    });
    client.on('slack_event', (args: Record<string, unknown>) => {
      options.onEnvelope({
        type: String(args.type),
        body: (args.body ?? {}) as Record<string, unknown>,
        retryNum: args.retry_num as number | undefined,
        retryReason: args.retry_reason as string | undefined,
        ack: args.ack as SocketEnvelope['ack'],
      });
    });
    relay(client);
    client.on('disconnected', () => {
      closed.add(client);
      if (client === current) replace('the connection closed');
    });
    return client;
  }

  /**
   * Puts itself between the socket and the client's own message handler (both public EventEmitter
   * calls): `disconnect` is kept from the client, which would close at once, and a message the client
   * cannot read (3.1 throws on an events_api envelope without an inner event, such as
   * app_rate_limited) is logged and dropped instead of ending the process as an unhandled rejection.
   */
  function relay(client: SocketModeClient): void {
    const [own] = client.listeners('ws_message') as Array<(data: unknown, isBinary: boolean) => Promise<void>>;
    if (!own) throw new Error('@slack/socket-mode no longer emits ws_message: see src/receivers/socket-connection.ts');
    client.off('ws_message', own);
    client.on('ws_message', (data: unknown, isBinary: boolean) => {
      if (isDisconnectMessage(data)) {
        if (client === current) replace('Slack asked for a new connection');
        return;
      }
      own(data, isBinary).catch((error: unknown) => {
        logger.warn(`anken: a Socket Mode message of type ${String(parsed(data).type)} was dropped (${String(error)})`);
      });
    });
  }

  async function openOnce(): Promise<SocketModeClient> {
    const client = newClient();
    let timer: NodeJS.Timeout | undefined;
    const helloTimeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no hello within ${helloTimeoutMs} ms`)), helloTimeoutMs);
    });
    try {
      await Promise.race([client.start(), helloTimeout]);
    } catch (error) {
      void client.disconnect().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (closed.has(client)) throw new Error('the connection closed right after hello');
    return client;
  }

  function delayFor(attempt: number, error: unknown): number {
    const backoff = Math.min(MAX_RETRY_MS, retryBaseMs * 2 ** (attempt - 1));
    return Math.max(retryAfterMs(error), backoff * (0.8 + Math.random() * 0.4));
  }

  async function open(attempts: number): Promise<SocketModeClient> {
    for (let attempt = 1; ; attempt += 1) {
      if (stopping) throw new Stopped();
      try {
        return await openOnce();
      } catch (error) {
        const refused = tokenRefusal(error);
        if (refused && attempts !== Infinity) throw refused;
        if (attempt >= attempts) throw error;
        const delay = delayFor(attempt, error);
        const what = refused ? refused.message : String(error);
        logger[refused ? 'error' : 'warn'](
          `anken: no Socket Mode connection (${what}); trying again in ${Math.round(delay)} ms`,
        );
        await pause(delay);
      }
    }
  }

  function replace(reason: string): void {
    if (stopping || replacing) return;
    logger.info(`anken: ${reason}; opening a new Socket Mode connection`);
    const previous = current;
    replacing = open(Infinity)
      .then(async (client) => {
        if (stopping) {
          await client.disconnect();
          return;
        }
        current = client;
        if (previous && !closed.has(previous)) {
          await options.drain();
          await previous.disconnect();
        }
      })
      .catch((error: unknown) => {
        if (!(error instanceof Stopped)) logger.error('anken: Socket Mode reconnect stopped', error);
      })
      .finally(() => {
        replacing = undefined;
      });
  }

  return {
    async start() {
      stopping = false;
      current = await open(START_ATTEMPTS);
    },
    async stop() {
      stopping = true;
      for (const wake of [...waits]) wake();
      await replacing;
      const client = current;
      current = undefined;
      if (client && !closed.has(client)) await client.disconnect();
    },
  };
}
