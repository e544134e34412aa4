/**
 * Sends requests to the app under test the way Slack does: signed POSTs to `<baseUrl>/slack/events`
 * (slash commands as flat form bodies, interactivity as `payload=<JSON>`, Events API as JSON envelopes),
 * or, given another transport, the same payloads as Socket Mode envelopes (see socket-sender.ts).
 * Payload shapes follow the real samples in test/fixtures/slack/.
 */
import { createHmac, randomBytes } from 'node:crypto';

type Json = Record<string, unknown>;

export interface SlackSenderConfig {
  baseUrl: string;
  signingSecret: string;
  /** Path of the Bolt receiver endpoint (default `/slack/events`). */
  path?: string;
  /** Default workspace for payloads (default `T0TEAM`, same as the fake). */
  teamId?: string;
  teamDomain?: string;
  appId?: string;
  /** The bot user the app is installed as (goes into event `authorizations`). */
  botUserId?: string;
  botId?: string;
  /** Deprecated verification token Slack still sends in payloads. */
  verificationToken?: string;
  /** Base of generated response_url values; point it at `fake.responseUrlBase` to capture `respond()`. */
  responseUrlBase?: string;
  /** How requests go out (default: the global fetch); the ack benchmark sends them itself. */
  fetch?: typeof fetch;
  /** How requests reach the app; signed HTTP POSTs to `baseUrl` by default. */
  transport?: SlackTransport;
}

/** One request of Slack's, before it is put on the wire; the kinds are Socket Mode's envelope types. */
export interface SlackDelivery {
  kind: 'slash_commands' | 'interactive' | 'events_api';
  /** Command fields (all strings, in Slack's order), the interaction payload, or the event envelope. */
  payload: Json;
  retry?: { num: number; reason: string };
}

/** Puts a request on the wire and reads the answer (Socket Mode: the envelope's ack as a 200). */
export interface SlackTransport {
  deliver(delivery: SlackDelivery, opts?: SignOptions): Promise<SlackHttpResponse>;
  /** A raw HTTP body (malformed requests); only HTTP mode has one. */
  post(
    body: string,
    contentType: string,
    headers?: Record<string, string>,
    opts?: SignOptions,
  ): Promise<SlackHttpResponse>;
}

export interface SignOptions {
  /** Unix seconds put in X-Slack-Request-Timestamp (default: now). */
  timestamp?: number | string;
  /** Replaces the computed X-Slack-Signature (to forge one). */
  signature?: string;
}

export interface SlackHttpResponse {
  status: number;
  /** Parsed JSON when the response is JSON, else the text ('' when empty). */
  body: unknown;
  headers: Record<string, string>;
}

export interface SlashCommandInput {
  command: string;
  text?: string;
  userId: string;
  userName?: string;
  teamId?: string;
  channelId?: string;
  channelName?: string;
  triggerId: string;
  responseUrl?: string;
}

export type ActionContainer =
  | { type: 'message'; channel_id: string; message_ts: string; is_ephemeral?: boolean }
  | { type: 'view'; view_id: string };

export interface BlockActionInput {
  userId: string;
  userName?: string;
  teamId?: string;
  actionId: string;
  value: string;
  /** Defaults to the block (in `message`/`view`) holding the element with `actionId`. */
  blockId?: string;
  triggerId: string;
  container?: ActionContainer;
  /** The message the button is in (e.g. `fake.message(channel, ts)`), sent as Slack sends it. */
  message?: object;
  /** The view the element is in (e.g. `fake.viewById(id)`), including its current `state`. */
  view?: object;
  channelName?: string;
  /** Extra/overriding fields of the `actions[0]` object (e.g. `selected_option`, `type`). */
  action?: Json;
  responseUrl?: string;
}

/** The submitted view; a `FakeView` from the fake fits (set `state` to what the user entered). */
export interface ViewSubmissionView {
  id?: string;
  callback_id: string;
  private_metadata: string;
  state: { values: Record<string, Record<string, unknown>> };
  hash?: string;
  type?: string;
  blocks?: unknown[];
  title?: object | null;
  submit?: object | null;
  close?: object | null;
  root_view_id?: string;
  previous_view_id?: string | null;
  external_id?: string;
}

export interface ViewSubmissionInput {
  userId: string;
  userName?: string;
  teamId?: string;
  view: ViewSubmissionView;
  /** Without one, a well-formed id unknown to the fake is sent. */
  triggerId?: string;
  responseUrls?: unknown[];
}

export interface ShortcutInput {
  callbackId: string;
  userId: string;
  userName?: string;
  teamId?: string;
  triggerId: string;
}

export interface MessageShortcutInput extends ShortcutInput {
  channelId: string;
  channelName?: string;
  message: object;
  responseUrl?: string;
}

export interface EventInput {
  event: Json;
  eventId?: string;
  teamId?: string;
  eventTime?: number;
  retryNum?: number;
  retryReason?: string;
}

/** `post` and `deliver` send bodies and payloads as given (malformed requests). */
export interface SlackSender extends SlackTransport {
  slashCommand(input: SlashCommandInput, opts?: SignOptions): Promise<SlackHttpResponse>;
  blockAction(input: BlockActionInput, opts?: SignOptions): Promise<SlackHttpResponse>;
  viewSubmission(input: ViewSubmissionInput, opts?: SignOptions): Promise<SlackHttpResponse>;
  shortcut(input: ShortcutInput, opts?: SignOptions): Promise<SlackHttpResponse>;
  messageShortcut(input: MessageShortcutInput, opts?: SignOptions): Promise<SlackHttpResponse>;
  event(input: EventInput, opts?: SignOptions): Promise<SlackHttpResponse>;
}

const FORM = 'application/x-www-form-urlencoded';

/** `v0=<hex HMAC-SHA256(secret, "v0:<timestamp>:<raw body>")>`, as Slack signs requests. */
export function signSlackRequest(signingSecret: string, timestamp: number | string, body: string): string {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return `v0=${digest}`;
}

/** application/x-www-form-urlencoded, keeping field order (UTF-8 percent-encoded, space as '+'). */
export function encodeForm(fields: Array<[string, string]>): string {
  return new URLSearchParams(fields).toString();
}

/** The interactivity body: a single `payload` field holding percent-encoded JSON. */
export function encodeInteractionPayload(payload: Json): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** A trigger_id shaped like Slack's (`<n>.<n>.<hex>`), not registered anywhere. */
export function randomTriggerId(): string {
  return `${Date.now()}${Math.floor(Math.random() * 1000)}.842445099040.${randomBytes(16).toString('hex')}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A Slack-style `ts` for now (`<seconds>.<micros>`). */
function actionTs(): string {
  const micros = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asJson(value: object | undefined): Json | undefined {
  return value === undefined ? undefined : { ...(value as Json) };
}

function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

async function readResponse(response: Response): Promise<SlackHttpResponse> {
  const text = await response.text();
  const headers = headersToRecord(response.headers);
  const isJson = (headers['content-type'] ?? '').includes('json') && text.length > 0;
  let body: unknown = text;
  if (isJson) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, body, headers };
}

/** Finds the block holding an element (accessory, actions element or input element) with `actionId`. */
export function findBlockElement(blocks: unknown, actionId: string): { blockId?: string; element?: Json } {
  if (!Array.isArray(blocks)) return {};
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    const elements = [block.accessory, block.element, ...(Array.isArray(block.elements) ? block.elements : [])];
    const element = elements.find((e): e is Json => isRecord(e) && e.action_id === actionId);
    if (element) return { blockId: typeof block.block_id === 'string' ? block.block_id : undefined, element };
  }
  return {};
}

/** The message as Slack embeds it in interaction payloads (no fake-only fields such as `history`). */
function messageForPayload(message: object, teamId: string): Json {
  const { history: _history, channel: _channel, reply_broadcast: _broadcast, ...rest } = message as Json;
  return { type: 'message', team: teamId, ...rest };
}

function clickedAction(input: BlockActionInput, element: Json | undefined, blockId: string): Json {
  const type = typeof element?.type === 'string' ? element.type : 'button';
  return {
    action_id: input.actionId,
    block_id: blockId,
    ...(element?.text === undefined ? {} : { text: element.text }),
    value: input.value,
    ...(element?.style === undefined ? {} : { style: element.style }),
    type,
    action_ts: actionTs(),
    ...input.action,
  };
}

export function createSlackSender(config: SlackSenderConfig): SlackSender {
  const defaults = {
    teamId: config.teamId ?? 'T0TEAM',
    teamDomain: config.teamDomain ?? 'test-team',
    appId: config.appId ?? 'A0APP',
    botUserId: config.botUserId ?? 'UBOT',
    botId: config.botId ?? 'BBOT',
    token: config.verificationToken ?? 'ZMBw88SmAGYGpwguEEH4bZ84',
    hooks: (config.responseUrlBase ?? 'https://hooks.slack.com').replace(/\/$/, ''),
  };
  let hookSeq = 0;

  function responseUrl(kind: 'commands' | 'actions', teamId: string): string {
    hookSeq += 1;
    return `${defaults.hooks}/${kind}/${teamId}/${7_091_708_574_470 + hookSeq}/${randomBytes(12).toString('base64url')}`;
  }

  function team(teamId: string | undefined): Json {
    return { id: teamId ?? defaults.teamId, domain: defaults.teamDomain };
  }

  function user(userId: string, userName: string | undefined, teamId: string | undefined): Json {
    const name = userName ?? userId.toLowerCase();
    return { id: userId, username: name, name, team_id: teamId ?? defaults.teamId };
  }

  const transport = config.transport ?? createHttpTransport(config);

  function postInteraction(payload: Json, opts?: SignOptions): Promise<SlackHttpResponse> {
    return transport.deliver({ kind: 'interactive', payload }, opts);
  }

  function slashCommand(input: SlashCommandInput, opts?: SignOptions): Promise<SlackHttpResponse> {
    const teamId = input.teamId ?? defaults.teamId;
    const channelId = input.channelId ?? 'C0GENERAL';
    const fields: Array<[string, string]> = [
      ['token', defaults.token],
      ['team_id', teamId],
      ['team_domain', defaults.teamDomain],
      ['channel_id', channelId],
      ['channel_name', input.channelName ?? (channelId.startsWith('D') ? 'directmessage' : channelId.toLowerCase())],
      ['user_id', input.userId],
      ['user_name', input.userName ?? input.userId.toLowerCase()],
      ['command', input.command],
      ['text', input.text ?? ''],
      ['api_app_id', defaults.appId],
      ['is_enterprise_install', 'false'],
      ['response_url', input.responseUrl ?? responseUrl('commands', teamId)],
      ['trigger_id', input.triggerId],
    ];
    return transport.deliver({ kind: 'slash_commands', payload: Object.fromEntries(fields) }, opts);
  }

  function blockAction(input: BlockActionInput, opts?: SignOptions): Promise<SlackHttpResponse> {
    const teamId = input.teamId ?? defaults.teamId;
    const container = input.container ?? containerFor(input);
    const blocks = asJson(input.view)?.blocks ?? asJson(input.message)?.blocks;
    const found = findBlockElement(blocks, input.actionId);
    const blockId = input.blockId ?? found.blockId ?? 'block';
    const payload: Json = {
      type: 'block_actions',
      user: user(input.userId, input.userName, teamId),
      api_app_id: defaults.appId,
      token: defaults.token,
      container: container.type === 'message' ? { is_ephemeral: false, ...container } : container,
      trigger_id: input.triggerId,
      team: team(teamId),
      enterprise: null,
      is_enterprise_install: false,
      ...(container.type === 'message' ? messageContext(input, container, teamId) : viewContext(input, container)),
      actions: [clickedAction(input, found.element, blockId)],
    };
    return postInteraction(payload, opts);
  }

  function containerFor(input: BlockActionInput): ActionContainer {
    const view = asJson(input.view);
    if (typeof view?.id === 'string') return { type: 'view', view_id: view.id };
    const message = asJson(input.message);
    const channel = message?.channel;
    const ts = message?.ts;
    if (typeof channel === 'string' && typeof ts === 'string') {
      return { type: 'message', channel_id: channel, message_ts: ts };
    }
    throw new Error('blockAction needs a container, a message (with channel and ts) or a view (with id)');
  }

  function messageContext(
    input: BlockActionInput,
    container: Extract<ActionContainer, { type: 'message' }>,
    teamId: string,
  ): Json {
    const message = input.message ?? { ts: container.message_ts, text: '' };
    return {
      channel: { id: container.channel_id, name: input.channelName ?? container.channel_id.toLowerCase() },
      message: messageForPayload(message, teamId),
      state: { values: {} },
      response_url: input.responseUrl ?? responseUrl('actions', teamId),
    };
  }

  function viewContext(input: BlockActionInput, container: Extract<ActionContainer, { type: 'view' }>): Json {
    return { view: fullView(asJson(input.view) ?? { id: container.view_id }, input.teamId) };
  }

  /** A modal view object as Slack sends it in interaction payloads, filled in around `partial`. */
  function fullView(partial: Json, teamId: string | undefined): Json {
    const id = typeof partial.id === 'string' ? partial.id : `V${randomBytes(5).toString('hex').toUpperCase()}`;
    return {
      id,
      team_id: teamId ?? defaults.teamId,
      type: 'modal',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: `${nowSeconds()}.${randomBytes(6).toString('base64url').slice(0, 8)}`,
      title: { type: 'plain_text', text: 'Modal', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: id,
      app_id: defaults.appId,
      external_id: '',
      app_installed_team_id: teamId ?? defaults.teamId,
      bot_id: defaults.botId,
      ...partial,
    };
  }

  function viewSubmission(input: ViewSubmissionInput, opts?: SignOptions): Promise<SlackHttpResponse> {
    const teamId = input.teamId ?? defaults.teamId;
    const payload: Json = {
      type: 'view_submission',
      team: team(teamId),
      user: user(input.userId, input.userName, teamId),
      api_app_id: defaults.appId,
      token: defaults.token,
      trigger_id: input.triggerId ?? randomTriggerId(),
      view: fullView({ ...input.view }, teamId),
      response_urls: input.responseUrls ?? [],
      is_enterprise_install: false,
      enterprise: null,
    };
    return postInteraction(payload, opts);
  }

  function shortcut(input: ShortcutInput, opts?: SignOptions): Promise<SlackHttpResponse> {
    const teamId = input.teamId ?? defaults.teamId;
    const { name: _name, ...shortcutUser } = user(input.userId, input.userName, teamId);
    const payload: Json = {
      type: 'shortcut',
      token: defaults.token,
      action_ts: actionTs(),
      team: team(teamId),
      user: shortcutUser,
      is_enterprise_install: false,
      enterprise: null,
      callback_id: input.callbackId,
      trigger_id: input.triggerId,
    };
    return postInteraction(payload, opts);
  }

  function messageShortcut(input: MessageShortcutInput, opts?: SignOptions): Promise<SlackHttpResponse> {
    const teamId = input.teamId ?? defaults.teamId;
    const message = messageForPayload(input.message, teamId);
    const payload: Json = {
      type: 'message_action',
      token: defaults.token,
      action_ts: actionTs(),
      team: team(teamId),
      user: user(input.userId, input.userName, teamId),
      channel: { id: input.channelId, name: input.channelName ?? input.channelId.toLowerCase() },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: input.callbackId,
      trigger_id: input.triggerId,
      response_url: input.responseUrl ?? responseUrl('actions', teamId),
      message_ts: message.ts,
      message,
    };
    return postInteraction(payload, opts);
  }

  function event(input: EventInput, opts?: SignOptions): Promise<SlackHttpResponse> {
    const teamId = input.teamId ?? defaults.teamId;
    const envelope: Json = {
      token: defaults.token,
      team_id: teamId,
      api_app_id: defaults.appId,
      event: input.event,
      type: 'event_callback',
      event_id: input.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: input.eventTime ?? nowSeconds(),
      authorizations: [
        {
          enterprise_id: null,
          team_id: teamId,
          user_id: defaults.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(12).toString('base64url')}`,
    };
    const retry =
      input.retryNum === undefined
        ? {}
        : { retry: { num: input.retryNum, reason: input.retryReason ?? 'http_timeout' } };
    return transport.deliver({ kind: 'events_api', payload: envelope, ...retry }, opts);
  }

  return {
    post: (...args) => transport.post(...args),
    slashCommand,
    blockAction,
    viewSubmission,
    shortcut,
    messageShortcut,
    event,
    deliver: (delivery, opts) => transport.deliver(delivery, opts),
  };
}

/** Signed POSTs to `<baseUrl>/slack/events`, as Slack sends them in HTTP mode. */
export function createHttpTransport(config: SlackSenderConfig): SlackTransport {
  const endpoint = `${config.baseUrl.replace(/\/$/, '')}${config.path ?? '/slack/events'}`;

  async function post(
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
    opts: SignOptions = {},
  ): Promise<SlackHttpResponse> {
    const timestamp = String(opts.timestamp ?? nowSeconds());
    const response = await (config.fetch ?? fetch)(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': contentType,
        Accept: 'application/json,*/*',
        'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        'X-Slack-Request-Timestamp': timestamp,
        'X-Slack-Signature': opts.signature ?? signSlackRequest(config.signingSecret, timestamp, body),
        ...headers,
      },
      body,
    });
    return readResponse(response);
  }

  function deliver(delivery: SlackDelivery, opts?: SignOptions): Promise<SlackHttpResponse> {
    switch (delivery.kind) {
      case 'slash_commands':
        return post(encodeForm(Object.entries(delivery.payload).map(([k, v]) => [k, String(v)])), FORM, {}, opts);
      case 'interactive':
        return post(encodeInteractionPayload(delivery.payload), FORM, {}, opts);
      case 'events_api': {
        const { retry } = delivery;
        const headers: Record<string, string> = retry
          ? { 'X-Slack-Retry-Num': String(retry.num), 'X-Slack-Retry-Reason': retry.reason }
          : {};
        return post(JSON.stringify(delivery.payload), 'application/json', headers, opts);
      }
    }
  }

  return { deliver, post };
}
