/**
 * A local stand-in for the Slack Web API (https://slack.com/api/<method>), good enough to run the app's
 * WebClient against: `new WebClient(token, { slackApiUrl: fake.url })`.
 *
 * Answers like Slack: HTTP 200 with `{ok:true,...}` or `{ok:false,error}`; only rate limiting uses 429.
 * Lengths are counted in Unicode code points, as Slack does.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  codePointLength,
  type ValidationOptions,
  validateBlocks,
  validateMetadata,
  validateView,
} from './block-kit-rules.js';

export type Json = Record<string, unknown>;

export type Fault =
  | { kind: 'ratelimited'; retryAfter: number }
  | { kind: 'http'; status: 500 | 502 | 503 }
  | { kind: 'error'; error: string; extra?: Json }
  | { kind: 'drop' }
  | { kind: 'drop-after-commit' }
  | { kind: 'delay'; ms: number };

export interface SlackResponseBody {
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

export interface RecordedCall {
  method: string;
  /** Parsed arguments (JSON fields such as blocks/view/metadata decoded), without the token. */
  args: Json;
  /** Body answered (or, for `drop-after-commit`, the body Slack would have answered); null when none. */
  response: SlackResponseBody | null;
  /** HTTP status answered; null when the socket was destroyed without an answer. */
  httpStatus: number | null;
  /** Arrival time (ms since epoch). */
  at: number;
  /** The injected fault that shaped this call, if any. */
  fault?: Fault['kind'];
}

export interface FakeUserInput {
  id: string;
  name?: string;
  realName?: string;
  teamId?: string;
  isBot?: boolean;
  isRestricted?: boolean;
  isUltraRestricted?: boolean;
  deleted?: boolean;
  email?: string;
  tz?: string;
}

export interface FakeUser {
  id: string;
  name: string;
  realName: string;
  teamId: string;
  isBot: boolean;
  isRestricted: boolean;
  isUltraRestricted: boolean;
  deleted: boolean;
  email?: string;
  tz: string;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Json;
}

export interface FakeMessageVersion {
  text: string;
  blocks?: Json[];
  metadata?: MessageMetadata;
  attachments?: unknown[];
}

export interface FakeMessage extends FakeMessageVersion {
  type: 'message';
  channel: string;
  ts: string;
  /** Parent ts for thread replies; undefined for top-level messages. */
  thread_ts?: string;
  reply_broadcast: boolean;
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  edited?: { user: string; ts: string };
  /** Earlier versions, oldest first (one entry per chat.update). */
  history: FakeMessageVersion[];
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text: string;
  blocks?: Json[];
}

export interface FakeView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  blocks: Json[];
  private_metadata: string;
  callback_id: string;
  state: { values: Record<string, Record<string, unknown>> };
  hash: string;
  title: Json | null;
  clear_on_close: boolean;
  notify_on_close: boolean;
  close: Json | null;
  submit: Json | null;
  previous_view_id: string | null;
  root_view_id: string;
  app_id: string;
  external_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

/** A file shared with files.uploadV2 (getUploadURLExternal → POST of the bytes → completeUploadExternal). */
export interface FakeFile {
  id: string;
  filename: string;
  title: string;
  bytes: Buffer;
  /** Where completeUploadExternal shared it; undefined when it was not shared. */
  channel?: string;
  initialComment?: string;
  /** ts of the message that shares it. */
  ts?: string;
}

export interface ResponseUrlPost {
  path: string;
  body: unknown;
  at: number;
}

export interface FakeSlackOptions {
  /** The valid bot token (default `xoxb-test-token`). */
  botToken?: string;
  /** The valid app-level token, for apps.connections.open (default `xapp-1-A0APP-1-test`). */
  appToken?: string;
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  appId?: string;
  /** How long an issued trigger_id stays usable, in ms (Slack: 3 s). */
  triggerLifetimeMs?: number;
  /** Seconds part of the first message ts, for fixed ts; by default ts follow the clock, as Slack's do. */
  firstTs?: number;
  /** Scopes reported in the `x-oauth-scopes` header. */
  scopes?: string[];
  /** action_id uniqueness: per block as Slack documents (default) or across the whole surface. */
  actionIdScope?: 'block' | 'surface';
}

export interface IssueTriggerOptions {
  /** The user who "clicked"; views.push then stacks onto this user's latest modal. */
  userId?: string;
  /** The modal the interaction came from; views.push stacks onto its stack. */
  viewId?: string;
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/` — pass as WebClient `slackApiUrl`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` — use as response_url base; posts land in `responseUrlPosts`. */
  readonly responseUrlBase: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly teamId: string;
  readonly appId: string;
  readonly botUserId: 'UBOT';
  readonly botId: 'BBOT';
  readonly calls: RecordedCall[];
  readonly ephemerals: FakeEphemeral[];
  readonly responseUrlPosts: ResponseUrlPost[];
  /** Modals opened/pushed/updated: latest state per view id, in opening order. */
  readonly openViews: FakeView[];
  /** Files whose upload was completed, in order. */
  readonly files: FakeFile[];
  addUser(input: FakeUserInput): FakeUser;
  addChannel(id: string, options?: { isMember?: boolean; name?: string; isPrivate?: boolean }): void;
  /** Stores a message written by a human user (e.g. a thread reply) as if posted in Slack. */
  addUserMessage(channel: string, input: { user: string; text: string; threadTs?: string }): FakeMessage;
  issueTriggerId(options?: IssueTriggerOptions): string;
  callsTo(method: string): RecordedCall[];
  /** Calls whose computed response was ok:true (including `drop-after-commit` ones: the effect happened). */
  okCallsTo(method: string): RecordedCall[];
  messagesIn(channel: string): FakeMessage[];
  repliesTo(channel: string, threadTs: string): FakeMessage[];
  message(channel: string, ts: string): FakeMessage | undefined;
  dmChannelOf(userId: string): string | undefined;
  dmMessagesTo(userId: string): FakeMessage[];
  homeOf(userId: string): FakeView | undefined;
  viewById(viewId: string): FakeView | undefined;
  failNext(method: string, fault: Fault, times?: number): void;
  /** Where apps.connections.open points: a function giving a fresh Socket Mode URL (null: none). */
  setSocketModeUrls(issue: (() => string) | null): void;
  /** Clears the recorded calls only. */
  reset(): void;
  close(): Promise<void>;
}

const BOT_USER_ID = 'UBOT';
const BOT_ID = 'BBOT';
const JSON_FIELDS = ['blocks', 'view', 'metadata', 'attachments'];
const MAX_TEXT = 40_000;
const MAX_VIEW_STACK = 3;
/** Where files.getUploadURLExternal sends the bytes (Slack's is on files.slack.com). */
const UPLOAD_PATH = '/upload/v1/';

interface Channel {
  id: string;
  name: string;
  isMember: boolean;
  isPrivate?: boolean;
  dmUser?: string;
}

interface Trigger {
  id: string;
  expiresAt: number;
  used: boolean;
  userId?: string;
  viewId?: string;
}

interface ViewRecord {
  view: FakeView;
  userId?: string;
  stack: string[];
}

interface Reply {
  status: number;
  body: SlackResponseBody;
  headers?: Record<string, string>;
}

type Handler = (args: Json) => SlackResponseBody;

class SlackError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Json = {},
  ) {
    super(code);
  }
}

function fail(code: string, extra: Json = {}): never {
  throw new SlackError(code, extra);
}

function invalidArguments(problems: string[]): never {
  fail('invalid_arguments', { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function int(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  return Number.isFinite(n) ? n : fallback;
}

function randomAlnum(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomAlnum(8)}`;
}

function tsToMicros(ts: string): bigint {
  const [sec = '0', frac = '0'] = ts.split('.');
  return BigInt(sec) * 1_000_000n + BigInt(frac.padEnd(6, '0').slice(0, 6));
}

function compareTs(a: string, b: string): number {
  const d = tsToMicros(a) - tsToMicros(b);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

function tzInfo(tz: string): { label: string; offset: number } {
  try {
    const at = new Date();
    const longName = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
    const offsetName = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(offsetName ?? '');
    const offset = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60) : 0;
    return { label: longName ?? tz, offset };
  } catch {
    return { label: tz, offset: 0 };
  }
}

/** A JSON argument sent as a string (form-encoded) or as JSON already. */
function parseJsonArg(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function parseJsonFields(args: Json): Json {
  const out: Json = { ...args };
  for (const key of JSON_FIELDS) {
    const value = out[key];
    if (typeof value !== 'string') continue;
    try {
      out[key] = JSON.parse(value);
    } catch {
      // leave the raw string: the method reports the format error
    }
  }
  return out;
}

function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRawBody(req)).toString('utf8');
}

function parseRequestArgs(req: IncomingMessage, raw: string, query: URLSearchParams): Json | 'invalid_json' {
  const args: Json = Object.fromEntries(query);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  if (raw.length === 0) return args;
  if (contentType.startsWith('application/json')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isRecord(parsed) ? { ...args, ...parsed } : 'invalid_json';
    } catch {
      return 'invalid_json';
    }
  }
  return { ...args, ...Object.fromEntries(new URLSearchParams(raw)) };
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

function sendJson(res: ServerResponse, reply: Reply, scopes: string): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-oauth-scopes': scopes,
    ...reply.headers,
  });
  res.end(body);
}

class FakeSlackServer implements FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  readonly files: FakeFile[] = [];
  readonly botUserId = BOT_USER_ID;
  readonly botId = BOT_ID;
  readonly botToken: string;
  readonly appToken: string;
  readonly teamId: string;
  readonly appId: string;
  url = '';
  responseUrlBase = '';

  private readonly teamName: string;
  private readonly teamDomain: string;
  private readonly triggerLifetimeMs: number;
  private readonly firstTs: number | null;
  private lastTsMicros = 0;
  private readonly scopes: string;
  private readonly validation: ValidationOptions;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly users = new Map<string, FakeUser>();
  private readonly channels = new Map<string, Channel>();
  private readonly dmByUser = new Map<string, string>();
  private readonly messages = new Map<string, FakeMessage[]>();
  private readonly triggers = new Map<string, Trigger>();
  private readonly views = new Map<string, ViewRecord>();
  private readonly homes = new Map<string, string>();
  private readonly pendingUploads = new Map<string, { filename: string; length: number; bytes?: Buffer }>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly handlers: Record<string, Handler>;
  private tsSeq = 0;
  private idSeq = 0;
  private triggerSeq = 0;
  private closed = false;
  private socketModeUrl: (() => string) | null = null;

  constructor(options: FakeSlackOptions) {
    this.botToken = options.botToken ?? 'xoxb-test-token';
    this.appToken = options.appToken ?? 'xapp-1-A0APP-1-test';
    this.teamId = options.teamId ?? 'T0TEAM';
    this.teamName = options.teamName ?? 'Test Team';
    this.teamDomain = options.teamDomain ?? 'test-team';
    this.appId = options.appId ?? 'A0APP';
    this.triggerLifetimeMs = options.triggerLifetimeMs ?? 3000;
    this.firstTs = options.firstTs ?? null;
    this.scopes = (options.scopes ?? DEFAULT_SCOPES).join(',');
    this.validation = { actionIdScope: options.actionIdScope ?? 'block' };
    this.handlers = this.buildHandlers();
    this.addUser({ id: BOT_USER_ID, name: 'anken-bot', realName: 'Anken Bot', isBot: true });
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    this.server.on('connection', (socket) => this.trackSocket(socket));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.responseUrlBase = `http://127.0.0.1:${port}`;
    this.url = `${this.responseUrlBase}/api/`;
  }

  // ---- public helpers -------------------------------------------------------------------------

  get openViews(): FakeView[] {
    return [...this.views.values()].filter((r) => r.view.type === 'modal').map((r) => r.view);
  }

  addUser(input: FakeUserInput): FakeUser {
    const user: FakeUser = {
      id: input.id,
      name: input.name ?? input.id.toLowerCase(),
      realName: input.realName ?? input.name ?? input.id,
      teamId: input.teamId ?? this.teamId,
      isBot: input.isBot ?? false,
      isRestricted: input.isRestricted ?? input.isUltraRestricted ?? false,
      isUltraRestricted: input.isUltraRestricted ?? false,
      deleted: input.deleted ?? false,
      tz: input.tz ?? 'Asia/Tokyo',
      ...(input.email === undefined ? {} : { email: input.email }),
    };
    this.users.set(user.id, user);
    return user;
  }

  addChannel(id: string, options: { isMember?: boolean; name?: string; isPrivate?: boolean } = {}): void {
    this.channels.set(id, {
      id,
      name: options.name ?? id.toLowerCase(),
      isMember: options.isMember ?? true,
      isPrivate: options.isPrivate ?? false,
    });
  }

  addUserMessage(channel: string, input: { user: string; text: string; threadTs?: string }): FakeMessage {
    if (!this.channels.has(channel)) throw new Error(`fake-slack: unknown channel ${channel}`);
    const message: FakeMessage = {
      type: 'message',
      channel,
      ts: this.nextTs(),
      text: input.text,
      reply_broadcast: false,
      user: input.user,
      team: this.teamId,
      history: [],
      ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
    };
    this.store(message);
    return message;
  }

  issueTriggerId(options: IssueTriggerOptions = {}): string {
    this.triggerSeq += 1;
    const id = `${7_000_000_000_000 + this.triggerSeq}.${842_445_099_040}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { id, expiresAt: Date.now() + this.triggerLifetimeMs, used: false, ...options });
    return id;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  okCallsTo(method: string): RecordedCall[] {
    return this.callsTo(method).filter((c) => c.response?.ok === true);
  }

  messagesIn(channel: string): FakeMessage[] {
    return this.channelMessages(channel).filter((m) => m.thread_ts === undefined);
  }

  repliesTo(channel: string, threadTs: string): FakeMessage[] {
    return this.channelMessages(channel).filter((m) => m.thread_ts === threadTs);
  }

  message(channel: string, ts: string): FakeMessage | undefined {
    return this.channelMessages(channel).find((m) => m.ts === ts);
  }

  dmChannelOf(userId: string): string | undefined {
    return this.dmByUser.get(userId);
  }

  /** Every message in the bot's DM with the user (top-level and thread replies), oldest first. */
  dmMessagesTo(userId: string): FakeMessage[] {
    const dm = this.dmByUser.get(userId);
    return dm ? [...this.channelMessages(dm)] : [];
  }

  homeOf(userId: string): FakeView | undefined {
    const id = this.homes.get(userId);
    return id ? this.views.get(id)?.view : undefined;
  }

  viewById(viewId: string): FakeView | undefined {
    return this.views.get(viewId)?.view;
  }

  failNext(method: string, fault: Fault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.faults.set(method, queue);
  }

  setSocketModeUrls(issue: (() => string) | null): void {
    this.socketModeUrl = issue;
  }

  reset(): void {
    this.calls.length = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.timers) {
      clearTimeout(pending.timer);
      pending.resolve();
    }
    this.timers.clear();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closing;
  }

  // ---- HTTP plumbing ---------------------------------------------------------------------------

  private trackSocket(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    if ((req.url ?? '').startsWith(UPLOAD_PATH)) {
      await this.receiveUpload(req, res);
      return;
    }
    const raw = await readBody(req).catch(() => '');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith('/api/')) {
      this.handleResponseUrl(url.pathname, raw, res, at);
      return;
    }
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    const parsed = parseRequestArgs(req, raw, url.searchParams);
    const fault = this.faults.get(method)?.shift();
    if (fault?.kind === 'delay') await this.sleep(fault.ms);
    if (this.closed) return;
    const token = bearerToken(req) ?? (parsed === 'invalid_json' ? undefined : str(parsed.token));
    const args = parsed === 'invalid_json' ? {} : parseJsonFields(withoutToken(parsed));
    const call: RecordedCall = { method, args, response: null, httpStatus: null, at };
    if (fault) call.fault = fault.kind;
    if (fault && this.applyInfrastructureFault(fault, call, req, res)) return;
    const reply = parsed === 'invalid_json' ? errorReply('invalid_json') : this.dispatch(method, args, token);
    call.response = reply.body;
    if (fault?.kind === 'drop-after-commit') {
      this.calls.push(call);
      req.socket.destroy();
      return;
    }
    call.httpStatus = reply.status;
    this.calls.push(call);
    sendJson(res, reply, this.scopes);
  }

  /** Faults that answer without performing the call. Returns true when the request was answered. */
  private applyInfrastructureFault(
    fault: Fault,
    call: RecordedCall,
    req: IncomingMessage,
    res: ServerResponse,
  ): boolean {
    switch (fault.kind) {
      case 'drop':
        this.calls.push(call);
        req.socket.destroy();
        return true;
      case 'ratelimited':
        return this.answer(call, res, {
          status: 429,
          body: { ok: false, error: 'ratelimited' },
          headers: { 'retry-after': String(fault.retryAfter) },
        });
      case 'error':
        return this.answer(call, res, {
          status: 200,
          body: { ok: false, error: fault.error, ...fault.extra },
        });
      case 'http':
        call.httpStatus = fault.status;
        this.calls.push(call);
        res.writeHead(fault.status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(STATUS_CODES[fault.status] ?? 'Error');
        return true;
      default:
        return false;
    }
  }

  private answer(call: RecordedCall, res: ServerResponse, reply: Reply): true {
    call.response = reply.body;
    call.httpStatus = reply.status;
    this.calls.push(call);
    sendJson(res, reply, this.scopes);
    return true;
  }

  private handleResponseUrl(path: string, raw: string, res: ServerResponse, at: number): void {
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // keep text
    }
    this.responseUrlPosts.push({ path, body, at });
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('ok');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const pending = {
        resolve,
        timer: setTimeout(() => {
          this.timers.delete(pending);
          resolve();
        }, ms),
      };
      this.timers.add(pending);
    });
  }

  private dispatch(method: string, args: Json, token: string | undefined): Reply {
    const handler = this.handlers[method];
    if (!handler) return errorReply('unknown_method', { req_method: method });
    if (token === undefined || token === '') return errorReply('not_authed');
    // apps.connections.open takes the app-level token (xapp-) and only it; every other method the bot token.
    const expected = method === 'apps.connections.open' ? this.appToken : this.botToken;
    if (token !== expected) {
      return errorReply([this.appToken, this.botToken].includes(token) ? 'not_allowed_token_type' : 'invalid_auth');
    }
    try {
      return { status: 200, body: handler(args) };
    } catch (error) {
      if (error instanceof SlackError) return errorReply(error.code, error.extra);
      return errorReply('fatal_error', { detail: error instanceof Error ? error.message : String(error) });
    }
  }

  private buildHandlers(): Record<string, Handler> {
    return {
      'api.test': (args) => ({ ok: true, args }),
      'auth.test': () => this.authTest(),
      'users.info': (args) => ({ ok: true, user: this.userJson(this.requireUser(str(args.user))) }),
      'users.lookupByEmail': (args) => this.lookupByEmail(args),
      'conversations.open': (args) => this.conversationsOpen(args),
      'conversations.info': (args) => this.conversationsInfo(args),
      'chat.postMessage': (args) => this.postMessage(args),
      'chat.update': (args) => this.updateMessage(args),
      'chat.postEphemeral': (args) => this.postEphemeral(args),
      'chat.getPermalink': (args) => this.getPermalink(args),
      'conversations.history': (args) => this.history(args),
      'conversations.replies': (args) => this.replies(args),
      'views.open': (args) => this.viewsOpen(args),
      'views.push': (args) => this.viewsPush(args),
      'views.update': (args) => this.viewsUpdate(args),
      'views.publish': (args) => this.viewsPublish(args),
      'files.getUploadURLExternal': (args) => this.getUploadUrl(args),
      'files.completeUploadExternal': (args) => this.completeUpload(args),
      'apps.connections.open': () => this.connectionsOpen(),
    };
  }

  private connectionsOpen(): SlackResponseBody {
    // No Socket Mode server attached: Slack's own answer for an app with Socket Mode off is undocumented.
    if (!this.socketModeUrl) fail('socket_mode_not_enabled');
    return { ok: true, url: this.socketModeUrl() };
  }

  // ---- ids and storage ---------------------------------------------------------------------------

  /** Like Slack's: the clock in microseconds (or counted from `firstTs` when given), always increasing. */
  private nextTs(): string {
    this.tsSeq += 1;
    const counted = this.firstTs === null ? 0 : this.firstTs * 1_000_000 + this.tsSeq * 100;
    const micros = Math.max(this.firstTs === null ? Date.now() * 1_000 : counted, this.lastTsMicros + 100);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private nextId(prefix: string): string {
    this.idSeq += 1;
    return `${prefix}${String(this.idSeq).padStart(10, '0')}`;
  }

  private channelMessages(channel: string): FakeMessage[] {
    return this.messages.get(channel) ?? [];
  }

  private store(message: FakeMessage): void {
    const list = this.messages.get(message.channel) ?? [];
    list.push(message);
    this.messages.set(message.channel, list);
  }

  // ---- auth / users ------------------------------------------------------------------------------

  private authTest(): SlackResponseBody {
    return {
      ok: true,
      url: `https://${this.teamDomain}.slack.com/`,
      team: this.teamName,
      user: this.users.get(BOT_USER_ID)?.name,
      team_id: this.teamId,
      user_id: BOT_USER_ID,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    };
  }

  private requireUser(id: string | undefined): FakeUser {
    const user = id ? this.users.get(id) : undefined;
    return user ?? fail('user_not_found');
  }

  private lookupByEmail(args: Json): SlackResponseBody {
    const email = str(args.email)?.toLowerCase();
    const user = [...this.users.values()].find((u) => email !== undefined && u.email?.toLowerCase() === email);
    return { ok: true, user: this.userJson(user ?? fail('users_not_found')) };
  }

  private userJson(user: FakeUser): Json {
    const { label, offset } = tzInfo(user.tz);
    const image = `https://avatars.slack-edge.example/${user.id}.png`;
    return {
      id: user.id,
      team_id: user.teamId,
      name: user.name,
      deleted: user.deleted,
      color: '9f69e7',
      real_name: user.realName,
      tz: user.tz,
      tz_label: label,
      tz_offset: offset,
      profile: {
        avatar_hash: 'ge3b51ca72de',
        real_name: user.realName,
        real_name_normalized: user.realName,
        display_name: user.name,
        display_name_normalized: user.name,
        status_text: '',
        status_emoji: '',
        ...(user.email === undefined ? {} : { email: user.email }),
        ...(user.isBot ? { bot_id: BOT_ID, api_app_id: this.appId, always_active: true } : {}),
        image_24: image,
        image_32: image,
        image_48: image,
        image_72: image,
        image_192: image,
        image_512: image,
        team: user.teamId,
      },
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: user.isRestricted,
      is_ultra_restricted: user.isUltraRestricted,
      is_bot: user.isBot,
      is_app_user: false,
      updated: 1_502_138_686,
      has_2fa: false,
    };
  }

  // ---- conversations -------------------------------------------------------------------------------

  // ---- files.uploadV2 ------------------------------------------------------------------------------

  private getUploadUrl(args: Json): SlackResponseBody {
    const filename = str(args.filename);
    const length = Number(args.length);
    if (!filename) invalidArguments(['missing required field: filename']);
    if (!Number.isInteger(length) || length < 1) invalidArguments(['length must be a positive integer']);
    const id = this.nextId('F');
    this.pendingUploads.set(id, { filename, length });
    return { ok: true, upload_url: `${this.responseUrlBase}${UPLOAD_PATH}${id}`, file_id: id };
  }

  /** The POST of a file's bytes to its upload_url: multipart, the file in the field web-api sends. */
  private async receiveUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = (req.url ?? '').slice(UPLOAD_PATH.length);
    const pending = this.pendingUploads.get(id);
    const raw = await readRawBody(req);
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': req.headers['content-type'] ?? '' },
    })
      .formData()
      .catch(() => null);
    const part = form ? [...form.values()].find((value) => typeof value !== 'string') : undefined;
    const bytes = part ? Buffer.from(await part.arrayBuffer()) : raw;
    if (!pending || bytes.length !== pending.length) {
      res.writeHead(pending ? 400 : 404, { 'content-type': 'text/plain' });
      res.end(pending ? 'length does not match' : 'unknown upload');
      return;
    }
    pending.bytes = bytes;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${bytes.length}`);
  }

  private completeUpload(args: Json): SlackResponseBody {
    const requested = parseJsonArg(args.files);
    if (!Array.isArray(requested) || requested.length === 0) invalidArguments(['files must be a non-empty array']);
    const channel = str(args.channel_id) ? this.resolveChannel(args.channel_id, true) : undefined;
    const initialComment = str(args.initial_comment);
    const ts = channel ? this.nextTs() : undefined;
    const done = requested.map((entry) => {
      const id = isRecord(entry) ? str(entry.id) : undefined;
      const pending = id ? this.pendingUploads.get(id) : undefined;
      if (!id || !pending?.bytes) return fail('file_not_found');
      this.pendingUploads.delete(id);
      const title = (isRecord(entry) && str(entry.title)) || pending.filename;
      const file: FakeFile = {
        id,
        filename: pending.filename,
        title,
        bytes: pending.bytes,
        ...(channel ? { channel: channel.id, ts } : {}),
        ...(initialComment ? { initialComment } : {}),
      };
      this.files.push(file);
      return { id, name: file.filename, title, size: file.bytes.length };
    });
    return { ok: true, files: done };
  }

  private conversationsOpen(args: Json): SlackResponseBody {
    const existing = str(args.channel);
    if (existing) {
      const channel = this.channels.get(existing);
      if (!channel?.dmUser) fail('channel_not_found');
      return { ok: true, no_op: true, already_open: true, channel: { id: channel.id } };
    }
    const ids = (str(args.users) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0) fail('users_list_not_supplied');
    if (ids.length > 1) fail('not_implemented', { detail: 'fake-slack supports 1:1 DMs only' });
    const user = this.requireUser(ids[0]);
    if (user.deleted) fail('user_disabled');
    const alreadyOpen = this.dmByUser.has(user.id);
    const id = this.openDm(user.id);
    return alreadyOpen ? { ok: true, no_op: true, already_open: true, channel: { id } } : { ok: true, channel: { id } };
  }

  /** Like Slack's: a private channel the bot is not in is channel_not_found; a public one says is_member. */
  private conversationsInfo(args: Json): SlackResponseBody {
    const channel = this.channels.get(str(args.channel) ?? '');
    if (!channel || (channel.isPrivate && !channel.isMember)) fail('channel_not_found');
    const im = channel.dmUser !== undefined;
    return {
      ok: true,
      channel: {
        id: channel.id,
        name: channel.name,
        is_channel: !im && !channel.isPrivate,
        is_group: !im && channel.isPrivate === true,
        is_im: im,
        is_mpim: false,
        is_private: im || channel.isPrivate === true,
        is_archived: false,
        is_ext_shared: false,
        is_member: channel.isMember,
      },
    };
  }

  private openDm(userId: string): string {
    const existing = this.dmByUser.get(userId);
    if (existing) return existing;
    const id = this.nextId('D');
    this.dmByUser.set(userId, id);
    this.channels.set(id, { id, name: id, isMember: true, dmUser: userId });
    return id;
  }

  /** Resolves `channel` like Slack: a channel id, `#name`, or a user id (→ the bot's DM with them). */
  private resolveChannel(value: unknown, requireMember: boolean): Channel {
    const ref = str(value);
    if (!ref) fail('channel_not_found');
    const user = this.users.get(ref);
    if (user && !user.isBot) return this.channels.get(this.openDm(user.id)) ?? fail('channel_not_found');
    const byName = ref.startsWith('#') ? [...this.channels.values()].find((c) => `#${c.name}` === ref) : undefined;
    const channel = byName ?? this.channels.get(ref);
    if (!channel) fail('channel_not_found');
    if (requireMember && !channel.isMember) fail('not_in_channel');
    return channel;
  }

  private history(args: Json): SlackResponseBody {
    const channel = this.resolveChannel(args.channel, true);
    const all = this.channelMessages(channel.id)
      .filter((m) => m.thread_ts === undefined || m.reply_broadcast)
      .filter(inRange(args))
      .reverse();
    const cursor = decodeCursor(args.cursor);
    const start = cursor ? all.findIndex((m) => compareTs(m.ts, cursor) <= 0) : 0;
    const page = paginate(all, start < 0 ? all.length : start, limitOf(args, 100));
    return {
      ok: true,
      messages: page.items.map((m) => this.messageJson(m, flag(args.include_all_metadata))),
      has_more: page.next !== undefined,
      pin_count: 0,
      channel_actions_ts: null,
      channel_actions_count: 0,
      response_metadata: { next_cursor: page.next ? encodeCursor(page.next.ts) : '' },
    };
  }

  private replies(args: Json): SlackResponseBody {
    const channel = this.resolveChannel(args.channel, true);
    const ts = str(args.ts) ?? fail('thread_not_found');
    const target = this.message(channel.id, ts) ?? fail('thread_not_found');
    const parentTs = target.thread_ts ?? target.ts;
    const parent = this.message(channel.id, parentTs) ?? fail('thread_not_found');
    const replies = this.repliesTo(channel.id, parentTs).filter(inRange(args));
    const cursor = decodeCursor(args.cursor);
    const all = [parent, ...replies];
    const start = cursor ? all.findIndex((m) => m !== parent && compareTs(m.ts, cursor) >= 0) : 0;
    const page = paginate(all, start < 0 ? all.length : start, limitOf(args, 1000));
    return {
      ok: true,
      messages: page.items.map((m) => this.messageJson(m, flag(args.include_all_metadata))),
      has_more: page.next !== undefined,
      response_metadata: { next_cursor: page.next ? encodeCursor(page.next.ts) : '' },
    };
  }

  private threadSummary(message: FakeMessage): Json {
    if (message.thread_ts !== undefined) return {};
    const replies = this.repliesTo(message.channel, message.ts);
    const last = replies.at(-1);
    if (!last) return {};
    const replyUsers = [...new Set(replies.map((r) => r.user))];
    return {
      thread_ts: message.ts,
      reply_count: replies.length,
      reply_users_count: replyUsers.length,
      latest_reply: last.ts,
      reply_users: replyUsers,
      is_locked: false,
      subscribed: false,
    };
  }

  private messageJson(message: FakeMessage, includeMetadata: boolean): Json {
    const parent = message.thread_ts ? this.message(message.channel, message.thread_ts) : undefined;
    return {
      type: 'message',
      ...(message.reply_broadcast ? { subtype: 'thread_broadcast' } : {}),
      user: message.user,
      text: message.text,
      ts: message.ts,
      team: message.team,
      ...(message.bot_id ? { bot_id: message.bot_id, app_id: message.app_id } : {}),
      ...(message.bot_id ? { bot_profile: this.botProfile() } : {}),
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(message.attachments ? { attachments: message.attachments } : {}),
      ...(message.edited ? { edited: message.edited } : {}),
      ...(message.thread_ts ? { thread_ts: message.thread_ts, parent_user_id: parent?.user } : {}),
      ...this.threadSummary(message),
      ...(includeMetadata && message.metadata ? { metadata: message.metadata } : {}),
    };
  }

  private botProfile(): Json {
    return {
      id: BOT_ID,
      app_id: this.appId,
      name: this.users.get(BOT_USER_ID)?.realName,
      icons: {},
      deleted: false,
      updated: 1_700_000_000,
      team_id: this.teamId,
    };
  }

  // ---- chat ------------------------------------------------------------------------------------------

  private postMessage(args: Json): SlackResponseBody {
    const channel = this.resolveChannel(args.channel, true);
    const content = readContent(args, undefined, this.validation);
    const threadTs = str(args.thread_ts);
    if (threadTs !== undefined && threadTs !== '') this.requireThreadParent(channel.id, threadTs);
    const message: FakeMessage = {
      type: 'message',
      channel: channel.id,
      ts: this.nextTs(),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...content,
      reply_broadcast: Boolean(threadTs) && flag(args.reply_broadcast),
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      app_id: this.appId,
      team: this.teamId,
      history: [],
    };
    this.store(message);
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      message: this.messageJson(message, true),
    };
  }

  private requireThreadParent(channel: string, threadTs: string): void {
    const parent = this.message(channel, threadTs);
    if (!parent || parent.thread_ts !== undefined) fail('thread_not_found');
  }

  private updateMessage(args: Json): SlackResponseBody {
    const channel = this.resolveChannel(args.channel, false);
    const message = this.message(channel.id, str(args.ts) ?? '') ?? fail('message_not_found');
    if (message.user !== BOT_USER_ID) fail('cant_update_message');
    const content = readContent(args, message, this.validation);
    message.history.push(versionOf(message));
    Object.assign(message, content, { edited: { user: BOT_USER_ID, ts: this.nextTs() } });
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      text: message.text,
      message: this.messageJson(message, true),
    };
  }

  private postEphemeral(args: Json): SlackResponseBody {
    const channel = this.resolveChannel(args.channel, true);
    const userId = str(args.user) ?? '';
    const user = this.users.get(userId);
    const inChannel = user && !user.deleted && (channel.dmUser === undefined || channel.dmUser === userId);
    if (!inChannel) fail('user_not_in_channel');
    const content = readContent(args, undefined, this.validation);
    const threadTs = str(args.thread_ts);
    const ephemeral: FakeEphemeral = {
      channel: channel.id,
      user: userId,
      message_ts: this.nextTs(),
      text: content.text,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(content.blocks ? { blocks: content.blocks } : {}),
    };
    this.ephemerals.push(ephemeral);
    return { ok: true, message_ts: ephemeral.message_ts };
  }

  private getPermalink(args: Json): SlackResponseBody {
    const channel = this.resolveChannel(args.channel, false);
    const message = this.message(channel.id, str(args.message_ts) ?? '') ?? fail('message_not_found');
    const base = `https://${this.teamDomain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
    const thread = message.thread_ts ? `?thread_ts=${message.thread_ts}&cid=${channel.id}` : '';
    return { ok: true, channel: channel.id, permalink: `${base}${thread}` };
  }

  // ---- views ---------------------------------------------------------------------------------------

  private consumeTrigger(args: Json): Trigger {
    const id = str(args.trigger_id);
    if (!id) invalidArguments(['missing required field: trigger_id [json-pointer:/trigger_id]']);
    const trigger = this.triggers.get(id) ?? fail('invalid_trigger_id');
    if (trigger.used || Date.now() > trigger.expiresAt) fail('expired_trigger_id');
    return trigger;
  }

  private readView(args: Json, expected: 'modal' | 'home'): Json {
    const view = args.view;
    if (view === undefined) invalidArguments(['missing required field: view [json-pointer:/view]']);
    const problems = validateView(view, this.validation);
    if (problems.length > 0) invalidArguments(problems);
    if (!isRecord(view) || view.type !== expected) {
      invalidArguments([`must be ${expected} for this method [json-pointer:/view/type]`]);
    }
    return view;
  }

  private requireUniqueExternalId(view: Json, exceptViewId?: string): void {
    const externalId = str(view.external_id);
    if (!externalId) return;
    const clash = [...this.views.values()].find((r) => r.view.external_id === externalId && r.view.id !== exceptViewId);
    if (clash) fail('duplicate_external_id');
  }

  private buildView(input: Json, id: string, rootId: string, previousId: string | null): FakeView {
    return {
      id,
      team_id: this.teamId,
      type: input.type === 'home' ? 'home' : 'modal',
      blocks: withGeneratedIds(input.blocks),
      private_metadata: str(input.private_metadata) ?? '',
      callback_id: str(input.callback_id) ?? '',
      state: { values: {} },
      hash: newHash(),
      title: isRecord(input.title) ? input.title : null,
      clear_on_close: flag(input.clear_on_close),
      notify_on_close: flag(input.notify_on_close),
      close: isRecord(input.close) ? input.close : null,
      submit: isRecord(input.submit) ? input.submit : null,
      previous_view_id: previousId,
      root_view_id: rootId,
      app_id: this.appId,
      external_id: str(input.external_id) ?? '',
      app_installed_team_id: this.teamId,
      bot_id: BOT_ID,
    };
  }

  private viewsOpen(args: Json): SlackResponseBody {
    const trigger = this.consumeTrigger(args);
    const input = this.readView(args, 'modal');
    this.requireUniqueExternalId(input);
    trigger.used = true;
    const id = this.nextId('V');
    const view = this.buildView(input, id, id, null);
    this.views.set(id, { view, stack: [id], ...userOf(trigger) });
    return { ok: true, view };
  }

  private viewsPush(args: Json): SlackResponseBody {
    const trigger = this.consumeTrigger(args);
    const input = this.readView(args, 'modal');
    this.requireUniqueExternalId(input);
    const base = this.stackFor(trigger);
    if (base && base.stack.length >= MAX_VIEW_STACK) fail('push_limit_reached');
    trigger.used = true;
    const id = this.nextId('V');
    const stack = base ? base.stack : [];
    stack.push(id);
    const view = this.buildView(input, id, stack[0] ?? id, base ? (stack.at(-2) ?? null) : null);
    this.views.set(id, { view, stack, ...userOf(trigger) });
    return { ok: true, view };
  }

  private stackFor(trigger: Trigger): ViewRecord | undefined {
    if (trigger.viewId) return this.views.get(trigger.viewId);
    const modals = [...this.views.values()].filter((r) => r.view.type === 'modal');
    const mine = trigger.userId ? modals.filter((r) => r.userId === trigger.userId) : modals;
    return mine.at(-1);
  }

  private viewsUpdate(args: Json): SlackResponseBody {
    const viewId = str(args.view_id);
    const externalId = str(args.external_id);
    if (!viewId && !externalId) invalidArguments(['missing required field: view_id [json-pointer:/view_id]']);
    const record = [...this.views.values()].find((r) =>
      viewId ? r.view.id === viewId : r.view.external_id === externalId,
    );
    if (!record) fail('not_found');
    const input = this.readView(args, record.view.type);
    const hash = str(args.hash);
    if (hash && hash !== record.view.hash) fail('hash_conflict');
    this.requireUniqueExternalId(input, record.view.id);
    const { id, root_view_id, previous_view_id } = record.view;
    record.view = this.buildView(input, id, root_view_id, previous_view_id);
    return { ok: true, view: record.view };
  }

  private viewsPublish(args: Json): SlackResponseBody {
    const user = this.requireUser(str(args.user_id));
    const input = this.readView(args, 'home');
    const existingId = this.homes.get(user.id);
    const existing = existingId ? this.views.get(existingId) : undefined;
    const hash = str(args.hash);
    if (hash && existing && hash !== existing.view.hash) fail('hash_conflict');
    const id = existingId ?? this.nextId('V');
    const view = this.buildView(input, id, id, null);
    this.views.set(id, { view, stack: [id], userId: user.id });
    this.homes.set(user.id, id);
    return { ok: true, view };
  }
}

const DEFAULT_SCOPES = [
  'chat:write',
  'commands',
  'im:write',
  'im:history',
  'channels:history',
  'groups:history',
  'users:read',
  'users:read.email',
];

function errorReply(error: string, extra: Json = {}): Reply {
  return { status: 200, body: { ok: false, error, ...extra } };
}

function withoutToken(args: Json): Json {
  const { token: _token, ...rest } = args;
  return rest;
}

function userOf(trigger: Trigger): { userId?: string } {
  return trigger.userId ? { userId: trigger.userId } : {};
}

function versionOf(message: FakeMessage): FakeMessageVersion {
  return {
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.metadata ? { metadata: message.metadata } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
  };
}

/**
 * Validates text/blocks/attachments/metadata of chat.postMessage / chat.update / chat.postEphemeral.
 * `previous` (chat.update) supplies the fields the call leaves out: Slack keeps them.
 */
function readContent(args: Json, previous: FakeMessage | undefined, validation: ValidationOptions): FakeMessageVersion {
  const text = str(args.text);
  const hasBlocks = Array.isArray(args.blocks) ? args.blocks.length > 0 : args.blocks !== undefined;
  const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
  if (!text && !hasBlocks && !hasAttachments) fail('no_text');
  if (text && codePointLength(text) > MAX_TEXT) fail('msg_too_long');
  const blocks = args.blocks === undefined ? previous?.blocks : readBlocks(args.blocks, validation);
  const metadata = args.metadata === undefined ? previous?.metadata : readMetadata(args.metadata);
  const attachments = args.attachments === undefined ? previous?.attachments : readAttachments(args.attachments);
  return {
    text: text ?? previous?.text ?? '',
    ...(blocks ? { blocks } : {}),
    ...(metadata ? { metadata } : {}),
    ...(attachments ? { attachments } : {}),
  };
}

function readBlocks(value: unknown, validation: ValidationOptions): Json[] {
  if (!Array.isArray(value)) fail('invalid_blocks_format');
  const problems = validateBlocks(value, 'message', validation);
  if (problems.length > 0) {
    fail('invalid_blocks', {
      errors: problems,
      response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
    });
  }
  return withGeneratedIds(value);
}

function readMetadata(value: unknown): MessageMetadata {
  if (!isRecord(value)) fail('invalid_metadata_format');
  const problems = validateMetadata(value);
  if (problems.length > 0) {
    fail('invalid_metadata_schema', { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
  }
  return value as unknown as MessageMetadata;
}

function readAttachments(value: unknown): unknown[] {
  if (!Array.isArray(value)) fail('invalid_attachments');
  if (value.length > 100) fail('too_many_attachments');
  return value;
}

/** Slack fills in a block_id for every block (and an action_id for every element) that lacks one. */
function withGeneratedIds(blocks: unknown): Json[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.filter(isRecord).map((block) => {
    const copy: Json = { ...block, block_id: block.block_id ?? randomAlnum(5) };
    if (isRecord(copy.accessory)) copy.accessory = withActionId(copy.accessory);
    if (isRecord(copy.element)) copy.element = withActionId(copy.element);
    if (copy.type === 'actions' && Array.isArray(copy.elements)) {
      copy.elements = copy.elements.map((e: unknown) => (isRecord(e) ? withActionId(e) : e));
    }
    return copy;
  });
}

function withActionId(element: Json): Json {
  if (element.type === 'image' || element.action_id !== undefined) return element;
  return { ...element, action_id: randomAlnum(5) };
}

function inRange(args: Json): (m: FakeMessage) => boolean {
  const oldest = str(args.oldest);
  const latest = str(args.latest);
  const inclusive = flag(args.inclusive);
  return (m) => {
    const afterOldest = !oldest || (inclusive ? compareTs(m.ts, oldest) >= 0 : compareTs(m.ts, oldest) > 0);
    const beforeLatest = !latest || (inclusive ? compareTs(m.ts, latest) <= 0 : compareTs(m.ts, latest) < 0);
    return afterOldest && beforeLatest;
  };
}

function limitOf(args: Json, fallback: number): number {
  const limit = int(args.limit, fallback);
  return limit < 1 ? fallback : Math.min(limit, 1000);
}

function paginate<T>(items: T[], start: number, size: number): { items: T[]; next: T | undefined } {
  return { items: items.slice(start, start + size), next: items[start + size] };
}

function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

function decodeCursor(value: unknown): string | undefined {
  const cursor = str(value);
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith('next_ts:') ? decoded.slice('next_ts:'.length) : fail('invalid_cursor');
}

/** Starts a fake Slack Web API on 127.0.0.1 (random port). Call `close()` when done. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlackServer(options);
  await fake.listen();
  return fake;
}
