import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type App,
  AuthorizationError,
  buildReceiverRoutes,
  type CustomRoute,
  type Logger,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import type { Answering } from './answering.js';
import { createSocketConnection, type SocketConnection, type SocketEnvelope } from './socket-connection.js';

export interface SocketModeReceiverOptions {
  appToken: string;
  slackApiUrl: string | undefined;
  /** Port of the HTTP server that serves `customRoutes` (the health check and the API). */
  port: number;
  customRoutes: CustomRoute[];
  /** Delay before the second try to reconnect (default 1 s). */
  retryBaseMs?: number;
  /** How long a new connection may take to say hello (default 10 s). */
  helloTimeoutMs?: number;
  /** Told of each envelope until it has been handled, so that work which can wait gives way to it. */
  answering?: Answering;
}

export interface SocketModeReceiver extends Receiver {
  /** Connects to Slack and serves the custom routes; resolves with that HTTP server. */
  start(): Promise<Server>;
  /** Answers the envelopes being handled, closes the connection and the HTTP server. */
  stop(): Promise<void>;
  /** Resolves once every envelope received so far has been handled (and answered, if it is to be). */
  idle(): Promise<void>;
}

/** How long stop() lets the envelopes being handled finish (Slack waits 3 s for an answer). */
const DRAIN_MS = 2_500;

function serveRoutes(customRoutes: CustomRoute[]): Server {
  const routes = buildReceiverRoutes(customRoutes);
  return createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const handler = routes[pathname]?.[(req.method ?? 'GET').toUpperCase()];
    if (handler) {
      handler(Object.assign(req, { params: {} }), res);
      return;
    }
    res.writeHead(404);
    res.end();
  });
}

/** An ack that sends once; a second call, or one after the connection closed, changes nothing. */
function ackOnce(envelope: SocketEnvelope, logger: Logger): ReceiverEvent['ack'] {
  let sent = false;
  return async (response?: unknown) => {
    if (sent) return;
    sent = true;
    try {
      await envelope.ack(response as Record<string, unknown> | undefined);
    } catch (error) {
      // Slack sends an unanswered envelope again (an event), or the person sees an error (a tap).
      logger.warn(`anken: the answer to a ${envelope.type} envelope could not be sent (${String(error)})`);
    }
  };
}

/**
 * Socket Mode, with the same promise as HTTP mode: a thread reply is committed before Slack hears
 * "received". Bolt's own SocketModeReceiver acks an events_api envelope before the listeners run
 * (App.processEvent acks every event first), so a crash right after could lose the reply. Here the
 * events' ack given to Bolt does nothing, and the envelope is answered after processEvent has
 * returned, that is after every listener has committed; a listener that fails leaves it unanswered,
 * so Slack sends it again. Commands and interactions are answered by their listeners' ack(), as in
 * Bolt (a view submission's inline errors go back in that answer).
 */
export function createSocketModeReceiver(options: SocketModeReceiverOptions): SocketModeReceiver {
  let app: App | undefined;
  let connection: SocketConnection | undefined;
  let server: Server | undefined;
  let draining = false;
  const inFlight = new Set<Promise<void>>();

  async function handle(envelope: SocketEnvelope, bolt: App): Promise<void> {
    const ack = ackOnce(envelope, bolt.logger);
    const ackAfterListeners = envelope.type === 'events_api';
    const event: ReceiverEvent = {
      body: envelope.body,
      ack: ackAfterListeners ? async () => undefined : ack,
      ...(envelope.retryNum === undefined ? {} : { retryNum: envelope.retryNum }),
      ...(envelope.retryReason === undefined ? {} : { retryReason: envelope.retryReason }),
    };
    try {
      await bolt.processEvent(event);
      if (ackAfterListeners) await ack();
    } catch (error) {
      if (error instanceof AuthorizationError) {
        await ack();
        return;
      }
      bolt.logger.error(`anken: a ${envelope.type} envelope failed; it is left unanswered so that Slack retries`);
    }
  }

  function onEnvelope(envelope: SocketEnvelope): void {
    // While stopping, an envelope is left unanswered: Slack sends it again to the next connection.
    if (draining || !app) return;
    const answered = options.answering?.begin();
    const handling = handle(envelope, app).finally(() => {
      inFlight.delete(handling);
      answered?.();
    });
    inFlight.add(handling);
  }

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  async function idleWithin(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([idle(), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  return {
    init(bolt: App) {
      app = bolt;
    },
    async start() {
      if (!app) throw new Error('the receiver was not given to an App');
      draining = false;
      const listening = serveRoutes(options.customRoutes);
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(options.port, () => resolve());
      });
      server = listening;
      connection = createSocketConnection({
        appToken: options.appToken,
        slackApiUrl: options.slackApiUrl,
        logger: app.logger,
        onEnvelope,
        drain: () => idleWithin(DRAIN_MS),
        ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
        ...(options.helloTimeoutMs === undefined ? {} : { helloTimeoutMs: options.helloTimeoutMs }),
      });
      try {
        await connection.start();
      } catch (error) {
        await new Promise((resolve) => listening.close(resolve));
        throw error;
      }
      app.logger.debug(`anken: Socket Mode connected; HTTP on port ${(listening.address() as AddressInfo).port}`);
      return listening;
    },
    async stop() {
      draining = true;
      await idleWithin(DRAIN_MS);
      await connection?.stop();
      const closing = server;
      server = undefined;
      if (closing) {
        closing.closeAllConnections();
        await new Promise((resolve) => closing.close(resolve));
      }
    },
    idle,
  };
}
