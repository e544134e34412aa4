/**
 * A local stand-in for Slack's Socket Mode server, attached to the fake Web API: apps.connections.open
 * answers with a one-time `ws://` URL of this server. Like Slack, it says `hello` to each connection,
 * sends envelopes (`slash_commands`, `interactive`, `events_api`) and records each answer (ack) with its
 * envelope_id and payload; it can ask connections to go (`disconnect`) and send an envelope again
 * (`retry_attempt` > 0). Only what the app uses.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlack, Json } from './fake-slack.js';
import type { SlackHttpResponse, SlackTransport } from './slack-requests.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export type DisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled';

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Json;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface EnvelopeAck {
  envelopeId: string;
  /** What the app answered (`{}` for a bare ack; a view submission's `response_action` …). */
  payload: Json;
  /** ms since epoch */
  at: number;
  connection: number;
}

export interface SocketConnectionRecord {
  id: number;
  helloAt: number;
  closedAt: number | null;
  /** The reason of the `disconnect` sent to it, if any. */
  askedToGo: DisconnectReason | null;
}

export interface SendOptions {
  envelopeId?: string;
  retryAttempt?: number;
  retryReason?: string;
}

export interface FakeSocketMode {
  readonly connections: readonly SocketConnectionRecord[];
  readonly envelopes: readonly Envelope[];
  readonly acks: readonly EnvelopeAck[];
  /** Connections open now. */
  openCount(): number;
  /** Waits until this many connections have said hello since the server started. */
  waitForConnections(count: number, timeoutMs?: number): Promise<void>;
  /** Sends an envelope on the newest connection not asked to go; null when no connection is open. */
  send(type: EnvelopeType, payload: Json, options?: SendOptions): Envelope | null;
  /** A frame as given, on the connection envelopes go to (a malformed one). */
  sendRaw(text: string): void;
  /** The same envelope once more, as Slack retries an unanswered event (retry_attempt + 1). */
  resend(envelope: Envelope, reason?: string): Envelope | null;
  /** The app's answer to this sending of an envelope, or null when none came within `timeoutMs` (Slack: 3 s). */
  ackOf(envelope: Envelope, timeoutMs?: number): Promise<EnvelopeAck | null>;
  /** Calls `listener` the moment each ack arrives (before anything else hears of it); returns the way to stop. */
  onAck(listener: (ack: EnvelopeAck) => void): () => void;
  /** Sends `disconnect` to every open connection; they are closed from this side after `closeAfterMs`. */
  disconnect(reason: DisconnectReason, closeAfterMs?: number): void;
  /** Closes every connection without a word (a dropped network). */
  dropConnections(): void;
  /** The next connection is accepted but never told hello (a server that hangs). */
  withholdHello(): void;
  /** The connections that were never told hello: when each was opened and closed (null while open). */
  readonly silent: ReadonlyArray<{ openedAt: number; closedAt: number | null }>;
  /** For each closed connection: ms until the next hello when none other was open (0 when one was). */
  gaps(): number[];
  close(): Promise<void>;
}

class FakeSocketModeServer implements FakeSocketMode {
  readonly connections: SocketConnectionRecord[] = [];
  readonly envelopes: Envelope[] = [];
  readonly acks: EnvelopeAck[] = [];
  readonly silent: Array<{ openedAt: number; closedAt: number | null }> = [];
  private helloWithheld = false;
  private readonly sockets = new Map<number, WebSocket>();
  private readonly tickets = new Set<string>();
  private readonly ackWaiters = new Map<string, Array<(ack: EnvelopeAck) => void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ackListeners = new Set<(ack: EnvelopeAck) => void>();
  /** How many acks had come when each envelope was sent: its own ack comes later. */
  private readonly acksBefore = new WeakMap<Envelope, number>();
  private url = '';

  constructor(
    private readonly wss: WebSocketServer,
    private readonly appId: string,
  ) {
    wss.on('connection', (socket, req) => this.accept(socket, req.url ?? ''));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.wss.once('listening', () => resolve()));
    this.url = `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/link/`;
  }

  /** A one-time URL, as apps.connections.open gives. */
  issueUrl(): string {
    const ticket = randomBytes(12).toString('hex');
    this.tickets.add(ticket);
    return `${this.url}?ticket=${ticket}&app_id=${this.appId}`;
  }

  private accept(socket: WebSocket, path: string): void {
    const ticket = new URL(path, 'ws://127.0.0.1').searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      socket.close(1008, 'invalid ticket');
      return;
    }
    if (this.helloWithheld) {
      this.helloWithheld = false;
      const record = { openedAt: Date.now(), closedAt: null as number | null };
      this.silent.push(record);
      socket.on('close', () => (record.closedAt = Date.now()));
      return;
    }
    const record: SocketConnectionRecord = {
      id: this.connections.length + 1,
      helloAt: Date.now(),
      closedAt: null,
      askedToGo: null,
    };
    this.connections.push(record);
    this.sockets.set(record.id, socket);
    socket.on('message', (data) => this.receive(record.id, String(data)));
    socket.on('close', () => {
      record.closedAt = Date.now();
      this.sockets.delete(record.id);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'applink-fake', approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
  }

  private receive(connection: number, text: string): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.envelope_id !== 'string') return;
    const ack: EnvelopeAck = {
      envelopeId: message.envelope_id,
      payload: (message.payload ?? {}) as Json,
      at: Date.now(),
      connection,
    };
    this.acks.push(ack);
    for (const listener of this.ackListeners) listener(ack);
    for (const resolve of this.ackWaiters.get(ack.envelopeId) ?? []) resolve(ack);
    this.ackWaiters.delete(ack.envelopeId);
  }

  openCount(): number {
    return this.sockets.size;
  }

  async waitForConnections(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.connections.length < count) {
      if (Date.now() > deadline) throw new Error(`no ${count} Socket Mode connections within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  send(type: EnvelopeType, payload: Json, options: SendOptions = {}): Envelope | null {
    const target = this.target();
    if (!target) return null;
    const envelope: Envelope = {
      envelope_id: options.envelopeId ?? randomUUID(),
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api'
        ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' }
        : {}),
    };
    this.envelopes.push(envelope);
    this.acksBefore.set(envelope, this.acks.length);
    target.send(JSON.stringify(envelope));
    return envelope;
  }

  sendRaw(text: string): void {
    this.target()?.send(text);
  }

  resend(envelope: Envelope, reason = 'timeout'): Envelope | null {
    return this.send(envelope.type, envelope.payload, {
      envelopeId: envelope.envelope_id,
      retryAttempt: (envelope.retry_attempt ?? 0) + 1,
      retryReason: reason,
    });
  }

  /** The newest open connection that was not asked to go, else the newest open one. */
  private target(): WebSocket | undefined {
    const open = this.connections.filter((c) => this.sockets.has(c.id));
    const chosen = open.filter((c) => c.askedToGo === null).at(-1) ?? open.at(-1);
    return chosen ? this.sockets.get(chosen.id) : undefined;
  }

  ackOf(envelope: Envelope, timeoutMs = 3_000): Promise<EnvelopeAck | null> {
    const envelopeId = envelope.envelope_id;
    const known = this.acks.slice(this.acksBefore.get(envelope) ?? 0).find((a) => a.envelopeId === envelopeId);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      const waiters = this.ackWaiters.get(envelopeId) ?? [];
      waiters.push((ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      this.ackWaiters.set(envelopeId, waiters);
    });
  }

  onAck(listener: (ack: EnvelopeAck) => void): () => void {
    this.ackListeners.add(listener);
    return () => this.ackListeners.delete(listener);
  }

  disconnect(reason: DisconnectReason, closeAfterMs = 1_000): void {
    for (const [id, socket] of this.sockets) {
      const record = this.connections[id - 1];
      if (record) record.askedToGo = reason;
      socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        socket.terminate();
      }, closeAfterMs);
      this.timers.add(timer);
    }
  }

  withholdHello(): void {
    this.helloWithheld = true;
  }

  dropConnections(): void {
    for (const socket of this.sockets.values()) socket.terminate();
  }

  gaps(): number[] {
    const gaps: number[] = [];
    for (const closed of this.connections) {
      const at = closed.closedAt;
      if (at === null) continue;
      const othersOpen = this.connections.some(
        (c) => c !== closed && c.helloAt <= at && (c.closedAt === null || c.closedAt > at),
      );
      const next = this.connections.find((c) => c.helloAt > at);
      if (othersOpen) gaps.push(0);
      else if (next) gaps.push(next.helloAt - at);
    }
    return gaps;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets.values()) socket.terminate();
    await new Promise((resolve) => this.wss.close(resolve));
  }
}

/** Starts a Socket Mode server on 127.0.0.1 and points the fake's apps.connections.open at it. */
export async function attachSocketMode(fake: FakeSlack): Promise<FakeSocketMode> {
  const server = new FakeSocketModeServer(new WebSocketServer({ host: '127.0.0.1', port: 0 }), fake.appId);
  await server.listen();
  fake.setSocketModeUrls(() => server.issueUrl());
  return server;
}

/**
 * Slack's requests as Socket Mode envelopes, for the SlackSender. The ack is reported the way HTTP
 * mode reports its response: 200 with the ack's payload ('' for a bare ack), 500 when no ack came in
 * time (Slack sends an event again), 503 when no connection was open. `handled` resolves once the
 * app has finished with what it received, so a test reads the outcome as after an HTTP response.
 */
export function socketTransport(
  socket: FakeSocketMode,
  handled: () => Promise<void>,
  ackTimeoutMs = 3_000,
): SlackTransport {
  return {
    async deliver({ kind, payload, retry }): Promise<SlackHttpResponse> {
      const options = retry ? { retryAttempt: retry.num, retryReason: retry.reason } : {};
      const envelope = socket.send(kind, payload, options);
      if (!envelope) return { status: 503, body: 'no Socket Mode connection', headers: {} };
      const ack = await socket.ackOf(envelope, ackTimeoutMs);
      await handled();
      if (!ack) return { status: 500, body: '', headers: {} };
      return { status: 200, body: Object.keys(ack.payload).length === 0 ? '' : ack.payload, headers: {} };
    },
    async post() {
      throw new Error('a raw HTTP body has no Socket Mode envelope');
    },
  };
}
