import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { App, verifySlackRequest } from '@slack/bolt';
import type { Button, InputBlock, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateBlocks, validateMetadata, validateView } from './block-kit-rules.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { silentLogger } from './silent-logger.js';
import { createSlackSender, signSlackRequest } from './slack-requests.js';

const PAYLOADS = join(import.meta.dirname, '..', 'fixtures', 'slack');
const TOKEN = 'xoxb-test-token';

/** `token: null` builds a client that sends no token at all. */
function clientFor(fake: FakeSlack, token: string | null = TOKEN, timeout = 0): WebClient {
  return new WebClient(token ?? undefined, {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: silentLogger,
    timeout,
  });
}

/** Runs `call` and returns the Slack error it rejects with. */
async function errorOf(
  call: Promise<unknown>,
): Promise<{ code: string; data?: { error: string } } & Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    return error as { code: string; data?: { error: string } } & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

async function slackErrorOf(call: Promise<unknown>): Promise<string | undefined> {
  return (await errorOf(call)).data?.error;
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function button(actionId: string, text = 'OK'): Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value: 'v' };
}

function modal(title: string, blocks: KnownBlock[] = [section('本文')]): ModalView {
  return { type: 'modal', title: { type: 'plain_text', text: title }, blocks };
}

function inputBlock(blockId: string, actionId: string): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: '会社名' },
    element: { type: 'plain_text_input', action_id: actionId },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('fake Slack Web API', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack();
    fake.addUser({ id: 'U1', name: 'tanaka', realName: '田中 太郎', email: 'tanaka@example.co.jp' });
    fake.addUser({ id: 'UGUEST', isRestricted: true, teamId: 'T0OTHER' });
    fake.addUser({ id: 'UGONE', deleted: true });
    fake.addChannel('CSALES');
    fake.addChannel('COUTSIDE', { isMember: false });
    client = clientFor(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  describe('files.uploadV2', () => {
    it('takes the three calls web-api makes and shares the file in the channel', async () => {
      const bytes = Buffer.from('\uFEFF案件番号,顧客名\r\n1,株式会社サンプル\r\n', 'utf8');
      const res = await client.filesUploadV2({
        channel_id: 'CSALES',
        file: bytes,
        filename: 'deals.csv',
        title: '案件',
        initial_comment: '書き出しました',
      });
      expect(res.ok).toBe(true);
      expect(fake.okCallsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({ filename: 'deals.csv' });
      expect(fake.files).toHaveLength(1);
      expect(fake.files[0]).toMatchObject({
        filename: 'deals.csv',
        title: '案件',
        channel: 'CSALES',
        initialComment: '書き出しました',
      });
      expect(fake.files[0]?.bytes.equals(bytes)).toBe(true);
    });

    it('refuses to complete an upload whose bytes never arrived, or into a channel the bot is not in', async () => {
      const url = await client.files.getUploadURLExternal({ filename: 'a.png', length: 3 });
      const completion = client.files.completeUploadExternal({ files: [{ id: url.file_id as string }] });
      expect(await slackErrorOf(completion)).toBe('file_not_found');
      expect(await slackErrorOf(client.files.getUploadURLExternal({ filename: 'a.png', length: 0 }))).toBe(
        'invalid_arguments',
      );
      await expect(
        client.filesUploadV2({ channel_id: 'COUTSIDE', file: Buffer.from('abc'), filename: 'a.txt' }),
      ).rejects.toThrow(/not_in_channel/);
      expect(fake.files).toHaveLength(0);
    });
  });

  describe('auth', () => {
    it('answers auth.test for the bot', async () => {
      const res = await client.auth.test();
      expect(res).toMatchObject({ ok: true, team_id: 'T0TEAM', user_id: 'UBOT', bot_id: 'BBOT' });
      expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    });

    it('rejects a wrong token with invalid_auth and a missing one with not_authed', async () => {
      expect(await slackErrorOf(clientFor(fake, 'xoxb-wrong').auth.test())).toBe('invalid_auth');
      expect(await slackErrorOf(clientFor(fake, null).auth.test())).toBe('not_authed');
      const call = fake.callsTo('auth.test').at(-1);
      expect(call).toMatchObject({ httpStatus: 200, response: { ok: false, error: 'not_authed' } });
    });

    it('accepts the token as a form field too', async () => {
      const res = await fetch(`${fake.url}auth.test`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${TOKEN}`,
      });
      expect(await res.json()).toMatchObject({ ok: true, user_id: 'UBOT' });
    });

    it('answers unknown methods with unknown_method', async () => {
      expect(await slackErrorOf(client.apiCall('deals.explode'))).toBe('unknown_method');
    });
  });

  describe('users', () => {
    it('returns the users.info shape', async () => {
      const res = await client.users.info({ user: 'U1' });
      expect(res.user).toMatchObject({
        id: 'U1',
        team_id: 'T0TEAM',
        name: 'tanaka',
        real_name: '田中 太郎',
        is_bot: false,
        is_restricted: false,
        is_ultra_restricted: false,
        deleted: false,
        tz: 'Asia/Tokyo',
        tz_offset: 32400,
        profile: { email: 'tanaka@example.co.jp', real_name: '田中 太郎' },
      });
      const guest = await client.users.info({ user: 'UGUEST' });
      expect(guest.user).toMatchObject({ is_restricted: true, team_id: 'T0OTHER' });
      const bot = await client.users.info({ user: 'UBOT' });
      expect(bot.user).toMatchObject({ is_bot: true, profile: { bot_id: 'BBOT' } });
    });

    it('reports unknown users', async () => {
      expect(await slackErrorOf(client.users.info({ user: 'UNOPE' }))).toBe('user_not_found');
      expect(await slackErrorOf(client.users.lookupByEmail({ email: 'x@example.com' }))).toBe('users_not_found');
      const found = await client.users.lookupByEmail({ email: 'TANAKA@example.co.jp' });
      expect(found.user?.id).toBe('U1');
    });
  });

  describe('conversations.open and chat.postMessage', () => {
    it('opens one stable DM per user', async () => {
      const first = await client.conversations.open({ users: 'U1' });
      const again = await client.conversations.open({ users: 'U1' });
      expect(first.channel?.id).toMatch(/^D/);
      expect(again.channel?.id).toBe(first.channel?.id);
      expect(again).toMatchObject({ already_open: true });
      expect(fake.dmChannelOf('U1')).toBe(first.channel?.id);
      expect(await slackErrorOf(client.conversations.open({ users: 'UGONE' }))).toBe('user_disabled');
      expect(await slackErrorOf(client.conversations.open({ users: 'UNOPE' }))).toBe('user_not_found');
    });

    it('posts to an opened DM and answers like Slack', async () => {
      const dm = (await client.conversations.open({ users: 'U1' })).channel?.id ?? '';
      const res = await client.chat.postMessage({
        channel: dm,
        text: 'こんにちは',
        blocks: [section('*新規案件*')],
      });
      expect(res).toMatchObject({
        ok: true,
        channel: dm,
        ts: expect.stringMatching(/^\d{10}\.\d{6}$/),
        message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', text: 'こんにちは' },
      });
      const [stored] = fake.dmMessagesTo('U1');
      expect(stored).toMatchObject({
        channel: dm,
        ts: res.ts,
        user: 'UBOT',
        bot_id: 'BBOT',
        text: 'こんにちは',
      });
      expect(stored?.blocks?.[0]).toMatchObject({ type: 'section', block_id: expect.any(String) });
    });

    it('posts to a user id through the DM, like Slack', async () => {
      const res = await client.chat.postMessage({ channel: 'U1', text: 'hi' });
      expect(res.channel).toBe(fake.dmChannelOf('U1'));
    });

    it('rejects unknown channels, channels without the bot and empty messages', async () => {
      expect(await slackErrorOf(client.chat.postMessage({ channel: 'CNOPE', text: 'x' }))).toBe('channel_not_found');
      expect(await slackErrorOf(client.chat.postMessage({ channel: 'DNOPE', text: 'x' }))).toBe('channel_not_found');
      expect(await slackErrorOf(client.chat.postMessage({ channel: 'COUTSIDE', text: 'x' }))).toBe('not_in_channel');
      expect(await slackErrorOf(client.apiCall('chat.postMessage', { channel: 'CSALES' }))).toBe('no_text');
      expect(fake.messagesIn('CSALES')).toHaveLength(0);
    });

    it('counts text length in code points: 40,000 emoji pass, 40,001 characters fail', async () => {
      const emoji = '🎉'.repeat(40_000);
      expect(emoji.length).toBe(80_000);
      await client.chat.postMessage({ channel: 'CSALES', text: emoji });
      expect(await slackErrorOf(client.chat.postMessage({ channel: 'CSALES', text: '案'.repeat(40_001) }))).toBe(
        'msg_too_long',
      );
    });

    it('issues strictly increasing ts', async () => {
      const a = await client.chat.postMessage({ channel: 'CSALES', text: 'a' });
      const b = await client.chat.postMessage({ channel: 'CSALES', text: 'b' });
      expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
      expect(fake.messagesIn('CSALES').map((m) => m.text)).toEqual(['a', 'b']);
    });

    it('threads replies under an existing top-level message only', async () => {
      const parent = await client.chat.postMessage({ channel: 'CSALES', text: 'parent' });
      const reply = await client.chat.postMessage({ channel: 'CSALES', text: 'reply', thread_ts: parent.ts });
      expect(reply.message).toMatchObject({ thread_ts: parent.ts, parent_user_id: 'UBOT' });
      expect(fake.repliesTo('CSALES', parent.ts ?? '')).toHaveLength(1);
      expect(fake.messagesIn('CSALES')).toHaveLength(1);
      const missing = client.chat.postMessage({
        channel: 'CSALES',
        text: 'x',
        thread_ts: '1600000000.000100',
      });
      expect(await slackErrorOf(missing)).toBe('thread_not_found');
      const onReply = client.chat.postMessage({ channel: 'CSALES', text: 'x', thread_ts: reply.ts ?? '' });
      expect(await slackErrorOf(onReply)).toBe('thread_not_found');
    });

    it('validates metadata', async () => {
      const bad = client.apiCall('chat.postMessage', {
        channel: 'CSALES',
        text: 'x',
        metadata: { event_type: 'x' },
      });
      expect(await slackErrorOf(bad)).toBe('invalid_metadata_schema');
      const metadata = { event_type: 'deal_created', event_payload: { deal_id: 7 } };
      await client.chat.postMessage({ channel: 'CSALES', text: 'x', metadata });
      expect(fake.messagesIn('CSALES')[0]?.metadata).toEqual(metadata);
    });

    it('parses JSON bodies as well as form bodies', async () => {
      const res = await fetch(`${fake.url}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ channel: 'CSALES', text: 'json', blocks: [section('from JSON')] }),
      });
      expect(await res.json()).toMatchObject({ ok: true });
      const call = fake.okCallsTo('chat.postMessage')[0];
      expect(call?.args.blocks).toEqual([section('from JSON')]);
      const formCall = await client.chat.postMessage({
        channel: 'CSALES',
        text: 'form',
        blocks: [section('form')],
      });
      expect(formCall.ok).toBe(true);
      expect(fake.okCallsTo('chat.postMessage')[1]?.args.blocks).toEqual([section('form')]);
    });
  });

  describe('Block Kit validation through chat.postMessage', () => {
    it('rejects section text over 3,000 Japanese characters with invalid_blocks', async () => {
      const error = await errorOf(
        client.chat.postMessage({ channel: 'CSALES', text: 'x', blocks: [section('案'.repeat(3001))] }),
      );
      expect(error.code).toBe(ErrorCode.PlatformError);
      expect(error.data).toMatchObject({
        ok: false,
        error: 'invalid_blocks',
        errors: [expect.stringContaining('[json-pointer:/blocks/0/text]')],
        response_metadata: { messages: [expect.stringMatching(/^\[ERROR\] .*\/blocks\/0\/text/)] },
      });
      await client.chat.postMessage({ channel: 'CSALES', text: 'x', blocks: [section('案'.repeat(3000))] });
      await client.chat.postMessage({ channel: 'CSALES', text: 'x', blocks: [section('𠮷'.repeat(3000))] });
      expect(fake.messagesIn('CSALES')).toHaveLength(2);
    });

    it('rejects 51 blocks in a message and accepts 50', async () => {
      const blocks = (n: number) => Array.from({ length: n }, (_, i) => section(`行 ${i}`));
      expect(await slackErrorOf(client.chat.postMessage({ channel: 'CSALES', text: 'x', blocks: blocks(51) }))).toBe(
        'invalid_blocks',
      );
      await client.chat.postMessage({ channel: 'CSALES', text: 'x', blocks: blocks(50) });
    });

    it('rejects a duplicate action_id within a block', async () => {
      const blocks = [{ type: 'actions' as const, elements: [button('approve'), button('approve')] }];
      const error = await errorOf(client.chat.postMessage({ channel: 'CSALES', text: 'x', blocks }));
      expect(error.data?.error).toBe('invalid_blocks');
      expect(JSON.stringify(error.data)).toContain('duplicate action_id');
    });

    it('accepts one action_id in several blocks, as Slack documents, unless told to be stricter', async () => {
      const rows = [
        { ...section('案件 1'), accessory: button('open_details') },
        { ...section('案件 2'), accessory: button('open_details') },
      ];
      await client.chat.postMessage({ channel: 'CSALES', text: 'x', blocks: rows });
      const strict = await startFakeSlack({ actionIdScope: 'surface' });
      try {
        strict.addChannel('CSALES');
        const rejected = clientFor(strict).chat.postMessage({ channel: 'CSALES', text: 'x', blocks: rows });
        expect(await slackErrorOf(rejected)).toBe('invalid_blocks');
      } finally {
        await strict.close();
      }
    });

    it('rejects unparseable blocks with invalid_blocks_format', async () => {
      const res = await fetch(`${fake.url}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'channel=CSALES&text=x&blocks=%5Bnot-json',
      });
      expect(await res.json()).toEqual({ ok: false, error: 'invalid_blocks_format' });
    });
  });

  describe('chat.update, chat.postEphemeral, chat.getPermalink', () => {
    it('updates an existing message and keeps its history', async () => {
      const posted = await client.chat.postMessage({
        channel: 'CSALES',
        text: 'v1',
        blocks: [section('v1')],
      });
      const updated = await client.chat.update({ channel: 'CSALES', ts: posted.ts ?? '', text: 'v2' });
      expect(updated).toMatchObject({ ok: true, channel: 'CSALES', ts: posted.ts, text: 'v2' });
      const current = fake.message('CSALES', posted.ts ?? '');
      expect(current?.text).toBe('v2');
      expect(current?.blocks?.[0]).toMatchObject(section('v1'));
      expect(current?.history.map((v) => v.text)).toEqual(['v1']);
      const missing = client.chat.update({ channel: 'CSALES', ts: '1600000000.000100', text: 'x' });
      expect(await slackErrorOf(missing)).toBe('message_not_found');
      const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
      const invalid = client.chat.update({
        channel: 'CSALES',
        ts: posted.ts ?? '',
        text: 'x',
        blocks: tooMany,
      });
      expect(await slackErrorOf(invalid)).toBe('invalid_blocks');
    });

    it('refuses to update a human message', async () => {
      const human = fake.addUserMessage('CSALES', { user: 'U1', text: 'mine' });
      expect(await slackErrorOf(client.chat.update({ channel: 'CSALES', ts: human.ts, text: 'x' }))).toBe(
        'cant_update_message',
      );
    });

    it('posts ephemerals only to users who can see the channel', async () => {
      const res = await client.chat.postEphemeral({ channel: 'CSALES', user: 'U1', text: '自分だけ' });
      expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
      expect(fake.ephemerals).toMatchObject([{ channel: 'CSALES', user: 'U1', text: '自分だけ' }]);
      expect(await slackErrorOf(client.chat.postEphemeral({ channel: 'CSALES', user: 'UNOPE', text: 'x' }))).toBe(
        'user_not_in_channel',
      );
    });

    it('builds permalinks', async () => {
      const posted = await client.chat.postMessage({ channel: 'CSALES', text: 'x' });
      const link = await client.chat.getPermalink({ channel: 'CSALES', message_ts: posted.ts ?? '' });
      expect(link.permalink).toBe(`https://test-team.slack.com/archives/CSALES/p${posted.ts?.replace('.', '')}`);
    });
  });

  describe('conversations.history and conversations.replies', () => {
    it('returns history newest-first honouring limit, oldest and include_all_metadata', async () => {
      const metadata = { event_type: 'deal_created', event_payload: { deal_id: 1 } };
      const a = await client.chat.postMessage({ channel: 'CSALES', text: 'a', metadata });
      await client.chat.postMessage({ channel: 'CSALES', text: 'b' });
      await client.chat.postMessage({ channel: 'CSALES', text: 'c' });
      const all = await client.conversations.history({ channel: 'CSALES' });
      expect(all.messages?.map((m) => m.text)).toEqual(['c', 'b', 'a']);
      expect(all.messages?.[2]).not.toHaveProperty('metadata');
      const withMeta = await client.conversations.history({ channel: 'CSALES', include_all_metadata: true });
      expect(withMeta.messages?.[2]?.metadata).toEqual(metadata);
      const limited = await client.conversations.history({ channel: 'CSALES', limit: 2 });
      expect(limited.messages?.map((m) => m.text)).toEqual(['c', 'b']);
      expect(limited.has_more).toBe(true);
      const next = await client.conversations.history({
        channel: 'CSALES',
        limit: 2,
        cursor: limited.response_metadata?.next_cursor ?? '',
      });
      expect(next.messages?.map((m) => m.text)).toEqual(['a']);
      const newer = await client.conversations.history({ channel: 'CSALES', oldest: a.ts ?? '' });
      expect(newer.messages?.map((m) => m.text)).toEqual(['c', 'b']);
      expect(await slackErrorOf(client.conversations.history({ channel: 'COUTSIDE' }))).toBe('not_in_channel');
    });

    it('returns replies parent-first', async () => {
      const parent = await client.chat.postMessage({ channel: 'CSALES', text: 'parent' });
      const threadTs = parent.ts ?? '';
      await client.chat.postMessage({ channel: 'CSALES', text: 'r1', thread_ts: threadTs });
      fake.addUserMessage('CSALES', { user: 'U1', text: 'r2', threadTs });
      const res = await client.conversations.replies({ channel: 'CSALES', ts: threadTs });
      expect(res.messages?.map((m) => m.text)).toEqual(['parent', 'r1', 'r2']);
      expect(res.messages?.[0]).toMatchObject({ reply_count: 2, reply_users: ['UBOT', 'U1'] });
      const limited = await client.conversations.replies({ channel: 'CSALES', ts: threadTs, limit: 2 });
      expect(limited.messages?.map((m) => m.text)).toEqual(['parent', 'r1']);
      expect(await slackErrorOf(client.conversations.replies({ channel: 'CSALES', ts: '1600000000.000100' }))).toBe(
        'thread_not_found',
      );
    });
  });

  describe('views', () => {
    it('opens a modal with a fresh trigger_id and answers like Slack', async () => {
      const triggerId = fake.issueTriggerId({ userId: 'U1' });
      const res = await client.views.open({
        trigger_id: triggerId,
        view: { ...modal('新規案件'), callback_id: 'deal_new', private_metadata: '{"c":"CSALES"}' },
      });
      expect(res.view).toMatchObject({
        id: expect.stringMatching(/^V/),
        type: 'modal',
        callback_id: 'deal_new',
        private_metadata: '{"c":"CSALES"}',
        state: { values: {} },
        hash: expect.stringMatching(/^\d+\.\w{8}$/),
        root_view_id: res.view?.id,
        app_id: 'A0APP',
        bot_id: 'BBOT',
      });
      expect(fake.openViews.map((v) => v.id)).toEqual([res.view?.id]);
    });

    it('rejects reused, expired, unknown and missing trigger_ids', async () => {
      const shortLived = await startFakeSlack({ triggerLifetimeMs: 50 });
      try {
        const shortClient = clientFor(shortLived);
        const used = shortLived.issueTriggerId();
        await shortClient.views.open({ trigger_id: used, view: modal('one') });
        expect(await slackErrorOf(shortClient.views.open({ trigger_id: used, view: modal('two') }))).toBe(
          'expired_trigger_id',
        );
        const stale = shortLived.issueTriggerId();
        await sleep(80);
        expect(await slackErrorOf(shortClient.views.open({ trigger_id: stale, view: modal('x') }))).toBe(
          'expired_trigger_id',
        );
        expect(await slackErrorOf(shortClient.views.open({ trigger_id: '1.2.abc', view: modal('x') }))).toBe(
          'invalid_trigger_id',
        );
        const missing = await errorOf(shortClient.apiCall('views.open', { view: modal('x') }));
        expect(missing.data).toMatchObject({
          error: 'invalid_arguments',
          response_metadata: { messages: [expect.any(String)] },
        });
      } finally {
        await shortLived.close();
      }
    });

    it('rejects a modal title of 25 Japanese characters with invalid_arguments', async () => {
      const error = await errorOf(
        client.views.open({ trigger_id: fake.issueTriggerId(), view: modal('案'.repeat(25)) }),
      );
      expect(error.data).toMatchObject({
        ok: false,
        error: 'invalid_arguments',
        response_metadata: {
          messages: [expect.stringMatching(/^\[ERROR\] .*\[json-pointer:\/view\/title\]$/)],
        },
      });
      await client.views.open({ trigger_id: fake.issueTriggerId(), view: modal('案'.repeat(24)) });
    });

    it('does not burn the trigger_id on an invalid view', async () => {
      const triggerId = fake.issueTriggerId();
      await errorOf(client.views.open({ trigger_id: triggerId, view: modal('') }));
      await client.views.open({ trigger_id: triggerId, view: modal('ok') });
    });

    it('requires submit when the modal has inputs', async () => {
      const view = modal('入力', [inputBlock('company', 'company_input')]);
      expect(await slackErrorOf(client.views.open({ trigger_id: fake.issueTriggerId(), view }))).toBe(
        'invalid_arguments',
      );
      const withSubmit: ModalView = { ...view, submit: { type: 'plain_text', text: '登録' } };
      await client.views.open({ trigger_id: fake.issueTriggerId(), view: withSubmit });
    });

    it('stacks at most 3 views', async () => {
      const root = await client.views.open({
        trigger_id: fake.issueTriggerId({ userId: 'U1' }),
        view: modal('1'),
      });
      const rootId = root.view?.id ?? '';
      const second = await client.views.push({
        trigger_id: fake.issueTriggerId({ viewId: rootId }),
        view: modal('2'),
      });
      expect(second.view).toMatchObject({ root_view_id: rootId, previous_view_id: rootId });
      await client.views.push({ trigger_id: fake.issueTriggerId({ userId: 'U1' }), view: modal('3') });
      const fourth = client.views.push({
        trigger_id: fake.issueTriggerId({ userId: 'U1' }),
        view: modal('4'),
      });
      expect(await slackErrorOf(fourth)).toBe('push_limit_reached');
      expect(fake.openViews).toHaveLength(3);
    });

    it('updates by view_id or external_id and detects hash conflicts', async () => {
      const opened = await client.views.open({
        trigger_id: fake.issueTriggerId(),
        view: { ...modal('v1'), external_id: 'deal-42' },
      });
      const id = opened.view?.id ?? '';
      const updated = await client.views.update({
        view_id: id,
        hash: opened.view?.hash ?? '',
        view: { ...modal('v2'), external_id: 'deal-42' },
      });
      expect(updated.view).toMatchObject({ id, title: { text: 'v2' } });
      expect(updated.view?.hash).not.toBe(opened.view?.hash);
      const stale = client.views.update({ view_id: id, hash: opened.view?.hash ?? '', view: modal('v3') });
      expect(await slackErrorOf(stale)).toBe('hash_conflict');
      await client.views.update({ external_id: 'deal-42', view: { ...modal('v4'), external_id: 'deal-42' } });
      expect(fake.viewById(id)?.title).toMatchObject({ text: 'v4' });
      expect(await slackErrorOf(client.views.update({ view_id: 'VNOPE', view: modal('x') }))).toBe('not_found');
    });

    it('publishes a home tab per known user', async () => {
      const home = { type: 'home' as const, blocks: [section('ホーム'), inputBlock('memo', 'memo_input')] };
      const res = await client.views.publish({ user_id: 'U1', view: home });
      expect(res.view).toMatchObject({ type: 'home' });
      expect(fake.homeOf('U1')?.blocks).toHaveLength(2);
      await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [section('更新')] } });
      expect(fake.homeOf('U1')?.id).toBe(res.view?.id);
      expect(fake.homeOf('U1')?.blocks).toHaveLength(1);
      expect(await slackErrorOf(client.views.publish({ user_id: 'UNOPE', view: home }))).toBe('user_not_found');
      const tooMany = {
        type: 'home' as const,
        blocks: Array.from({ length: 101 }, () => ({ type: 'divider' as const })),
      };
      expect(await slackErrorOf(client.views.publish({ user_id: 'U1', view: tooMany }))).toBe('invalid_arguments');
    });
  });

  describe('fault injection through a real WebClient', () => {
    it('rate limits with HTTP 429 and Retry-After', async () => {
      fake.failNext('chat.postMessage', { kind: 'ratelimited', retryAfter: 7 });
      const error = await errorOf(client.chat.postMessage({ channel: 'CSALES', text: 'x' }));
      expect(error.code).toBe(ErrorCode.RateLimitedError);
      expect(error.retryAfter).toBe(7);
      expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({
        httpStatus: 429,
        response: { ok: false, error: 'ratelimited' },
        fault: 'ratelimited',
      });
      await client.chat.postMessage({ channel: 'CSALES', text: 'x' });
      expect(fake.messagesIn('CSALES')).toHaveLength(1);
    });

    it('answers HTTP 5xx', async () => {
      fake.failNext('chat.postMessage', { kind: 'http', status: 503 });
      const error = await errorOf(client.chat.postMessage({ channel: 'CSALES', text: 'x' }));
      expect(error.code).toBe(ErrorCode.HTTPError);
      expect(error.statusCode).toBe(503);
      expect(fake.messagesIn('CSALES')).toHaveLength(0);
    });

    it('answers a Slack error with HTTP 200 ok:false', async () => {
      fake.failNext('views.open', { kind: 'error', error: 'channel_not_found' });
      const error = await errorOf(client.views.open({ trigger_id: fake.issueTriggerId(), view: modal('x') }));
      expect(error.code).toBe(ErrorCode.PlatformError);
      expect(error.data?.error).toBe('channel_not_found');
      expect(fake.callsTo('views.open')[0]?.httpStatus).toBe(200);
    });

    it('drops the connection without performing the call', async () => {
      fake.failNext('chat.postMessage', { kind: 'drop' });
      const error = await errorOf(client.chat.postMessage({ channel: 'CSALES', text: 'x' }));
      expect(error.code).toBe(ErrorCode.RequestError);
      expect(fake.messagesIn('CSALES')).toHaveLength(0);
      expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({
        httpStatus: null,
        response: null,
        fault: 'drop',
      });
    });

    it('drops the connection after committing the effect (ambiguous failure)', async () => {
      fake.failNext('chat.postMessage', { kind: 'drop-after-commit' });
      const error = await errorOf(client.chat.postMessage({ channel: 'CSALES', text: 'once' }));
      expect(error.code).toBe(ErrorCode.RequestError);
      expect(fake.messagesIn('CSALES').map((m) => m.text)).toEqual(['once']);
      expect(fake.okCallsTo('chat.postMessage')).toHaveLength(1);
      expect(fake.callsTo('chat.postMessage')[0]?.httpStatus).toBeNull();
    });

    it('delays the answer', async () => {
      fake.failNext('auth.test', { kind: 'delay', ms: 150 });
      const started = Date.now();
      await client.auth.test();
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      fake.failNext('auth.test', { kind: 'delay', ms: 300 });
      const error = await errorOf(clientFor(fake, TOKEN, 50).auth.test());
      expect(error.code).toBe(ErrorCode.RequestError);
    });

    it('applies faults in FIFO order per method, `times` at a time', async () => {
      fake.failNext('chat.postMessage', { kind: 'error', error: 'fatal_error' }, 2);
      fake.failNext('chat.postMessage', { kind: 'http', status: 500 });
      fake.failNext('users.info', { kind: 'error', error: 'user_not_found' });
      const codes: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        codes.push((await errorOf(client.chat.postMessage({ channel: 'CSALES', text: 'x' }))).code);
      }
      expect(codes).toEqual([ErrorCode.PlatformError, ErrorCode.PlatformError, ErrorCode.HTTPError]);
      await client.chat.postMessage({ channel: 'CSALES', text: 'x' });
      expect(await slackErrorOf(client.users.info({ user: 'U1' }))).toBe('user_not_found');
      expect(fake.okCallsTo('chat.postMessage')).toHaveLength(1);
    });

    it('close() ends in-flight requests', async () => {
      fake.failNext('auth.test', { kind: 'delay', ms: 10_000 });
      const pending = errorOf(client.auth.test());
      await sleep(50);
      await fake.close();
      expect((await pending).code).toBe(ErrorCode.RequestError);
    });

    it('reset() clears recorded calls only', async () => {
      await client.chat.postMessage({ channel: 'CSALES', text: 'x' });
      fake.reset();
      expect(fake.calls).toHaveLength(0);
      expect(fake.messagesIn('CSALES')).toHaveLength(1);
    });
  });
});

describe('Block Kit rules', () => {
  it('accepts the real captured blocks', () => {
    const capture = JSON.parse(readFileSync(`${PAYLOADS}/view_submission_real_capture.json`, 'utf8'));
    expect(validateView({ ...capture.view, state: undefined })).toEqual([]);
    const action = JSON.parse(readFileSync(`${PAYLOADS}/block_actions_button_in_message_real_capture.json`, 'utf8'));
    expect(validateBlocks(action.message.blocks, 'message')).toEqual([]);
  });

  it('accepts one table a message, of at most 100 rows of raw_text or rich_text cells', () => {
    const raw = (text: string) => ({ type: 'raw_text', text });
    const table = (rows: unknown[][]) => ({ type: 'table', column_settings: [{ align: 'right' }, null], rows });
    expect(validateBlocks([table([[raw('業種'), raw('受注率')]])], 'message')).toEqual([]);
    const user = {
      type: 'rich_text',
      elements: [{ type: 'rich_text_section', elements: [{ type: 'user', user_id: 'U1' }] }],
    };
    expect(validateBlocks([table([[user, raw('1')]])], 'message')).toEqual([]);
    expect(validateBlocks([table([[raw('a')]]), table([[raw('b')]])], 'message')).toEqual([
      'only_one_table_allowed [json-pointer:/blocks/1]',
    ]);
    expect(validateBlocks([table(Array.from({ length: 101 }, () => [raw('x')]))], 'message')).toHaveLength(1);
    expect(validateBlocks([table([[raw('')]])], 'message')).toHaveLength(1);
    expect(validateBlocks([table([[{ type: 'mrkdwn', text: 'x' }]])], 'message')).toHaveLength(1);
    expect(
      validateBlocks([{ ...table([[raw('a')]]), column_settings: [{ align: 'middle' }] }], 'message'),
    ).toHaveLength(1);
  });

  it('enforces element rules', () => {
    const problems = (block: unknown) => validateBlocks([block], 'modal');
    expect(problems({ type: 'header', text: { type: 'mrkdwn', text: 'x' } })).toHaveLength(1);
    expect(problems({ type: 'header', text: { type: 'plain_text', text: '' } })).toHaveLength(1);
    expect(problems({ type: 'section' })).toHaveLength(1);
    expect(problems({ type: 'table' })).toHaveLength(1);
    expect(
      problems({
        type: 'section',
        text: { type: 'mrkdwn', text: 'x' },
        accessory: { ...button('a'), style: 'warning' },
      }),
    ).toHaveLength(1);
    expect(problems({ type: 'actions', elements: [button('a', '案'.repeat(76))] })).toHaveLength(1);
    const options = [{ text: { type: 'plain_text', text: 'A' }, value: 'a' }];
    const select = { type: 'static_select', action_id: 's', options };
    expect(problems({ type: 'actions', elements: [{ ...select, initial_option: options[0] }] })).toEqual([]);
    const foreign = { text: { type: 'plain_text', text: 'B' }, value: 'b' };
    expect(problems({ type: 'actions', elements: [{ ...select, initial_option: foreign }] })).toHaveLength(1);
    const radio = {
      type: 'radio_buttons',
      action_id: 'r',
      options: Array.from({ length: 11 }, () => options[0]),
    };
    expect(problems({ ...inputBlock('b', 'x'), element: radio })).toHaveLength(1);
    const date = { type: 'datepicker', action_id: 'd', initial_date: '2024-02-30' };
    expect(problems({ type: 'actions', elements: [date] })).toHaveLength(1);
    const longInitial = { type: 'plain_text_input', action_id: 'p', max_length: 5, initial_value: '123456' };
    expect(problems({ ...inputBlock('b', 'x'), element: longInitial })).toHaveLength(1);
    expect(problems({ ...inputBlock('b', 'x'), element: button('x') })).toHaveLength(1);
    expect(validateBlocks([inputBlock('same', 'a'), inputBlock('same', 'b')], 'modal')).toHaveLength(1);
    expect(
      validateBlocks(
        Array.from({ length: 100 }, () => ({ type: 'divider' })),
        'modal',
      ),
    ).toEqual([]);
    expect(
      validateBlocks(
        Array.from({ length: 101 }, () => ({ type: 'divider' })),
        'home',
      ),
    ).toHaveLength(1);
  });

  it('enforces view and metadata rules', () => {
    expect(validateView({ type: 'modal', blocks: [] })).toEqual(['missing required field: title [json-pointer:/view]']);
    expect(validateView({ ...modal('x'), private_metadata: 'x'.repeat(3001) })).toHaveLength(1);
    expect(validateView({ ...modal('x'), callback_id: 'x'.repeat(256) })).toHaveLength(1);
    expect(validateView({ ...modal('x'), submit: { type: 'plain_text', text: '案'.repeat(25) } })).toHaveLength(1);
    expect(validateMetadata({ event_type: 'deal_created', event_payload: {} })).toEqual([]);
    expect(validateMetadata({ event_type: 'deal_created', event_payload: 'x' })).toHaveLength(1);
  });
});

interface Captured {
  body: string;
  headers: IncomingHttpHeaders;
}

async function startCaptureServer(): Promise<{ url: string; requests: Captured[]; server: Server }> {
  const requests: Captured[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

function readVector(file: string, marker?: string): { timestamp: string; signature: string; body: string } {
  const text = readFileSync(`${PAYLOADS}/${file}`, 'utf8');
  const section = marker ? (text.split(marker)[1] ?? '') : text;
  const timestamp = /X-Slack-Request-Timestamp: (\d+)/.exec(section)?.[1] ?? '';
  const signature = /X-Slack-Signature: (v0=[0-9a-f]+)/.exec(section)?.[1] ?? '';
  const body = section.split('\n').find((line) => line.startsWith('token=')) ?? '';
  return { timestamp, signature, body };
}

describe('signed Slack sender', () => {
  const DOCS_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
  let capture: Awaited<ReturnType<typeof startCaptureServer>>;

  beforeEach(async () => {
    capture = await startCaptureServer();
  });

  afterEach(async () => {
    await new Promise((resolve) => capture.server.close(resolve));
  });

  it('signs exactly like the docs example', () => {
    const vector = readVector('slash_command_request_docs_signing_example.txt');
    expect(vector.body).toContain('command=%2Fwebhook-collect');
    expect(signSlackRequest(DOCS_SECRET, vector.timestamp, vector.body)).toBe(vector.signature);
  });

  it('reproduces the Japanese slash command vector byte for byte', async () => {
    const vector = readVector('slash_command_request_japanese_DERIVED.txt', '## Variant A');
    const sender = createSlackSender({
      baseUrl: capture.url,
      signingSecret: DOCS_SECRET,
      teamDomain: 'testteamnow',
      appId: 'A0123ABCDEF',
      verificationToken: 'xyzz0WbapA4vBCDEFasx0q6G',
    });
    await sender.slashCommand(
      {
        command: '/anken',
        text: '新規 株式会社サンプル 1,000万円',
        userId: 'U2CERLKJA',
        userName: 'roadrunner',
        teamId: 'T1DC2JH3J',
        channelId: 'C0123SALES',
        channelName: '営業-案件',
        triggerId: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
        responseUrl: 'https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN',
      },
      { timestamp: Number(vector.timestamp) },
    );
    const [request] = capture.requests;
    expect(request?.body).toBe(vector.body);
    expect(request?.headers['x-slack-signature']).toBe(vector.signature);
    expect(request?.headers['x-slack-request-timestamp']).toBe(vector.timestamp);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('produces signatures that Bolt verifies, and lets tests forge or age them', async () => {
    const sender = createSlackSender({ baseUrl: capture.url, signingSecret: 'secret' });
    await sender.event({
      event: { type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home' },
      retryNum: 1,
    });
    await sender.blockAction({
      userId: 'U1',
      actionId: 'approve',
      value: '42',
      triggerId: '1.2.3',
      container: { type: 'message', channel_id: 'CSALES', message_ts: '1700000000.000100' },
    });
    await sender.post('{}', 'application/json', {}, { signature: 'v0=forged' });
    await sender.post('{}', 'application/json', {}, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    const verify = (r: Captured | undefined) =>
      verifySlackRequest({
        signingSecret: 'secret',
        body: r?.body ?? '',
        headers: {
          'x-slack-signature': String(r?.headers['x-slack-signature']),
          'x-slack-request-timestamp': Number(r?.headers['x-slack-request-timestamp']),
        },
      });
    const [event, action, forged, stale] = capture.requests;
    expect(() => verify(event)).not.toThrow();
    expect(() => verify(action)).not.toThrow();
    expect(() => verify(forged)).toThrow();
    expect(() => verify(stale)).toThrow();
    expect(event?.headers['x-slack-retry-num']).toBe('1');
    expect(event?.headers['x-slack-retry-reason']).toBe('http_timeout');
    expect(JSON.parse(event?.body ?? '{}')).toMatchObject({
      type: 'event_callback',
      team_id: 'T0TEAM',
      api_app_id: 'A0APP',
      event_id: expect.stringMatching(/^Ev/),
      event_time: expect.any(Number),
      authorizations: [{ team_id: 'T0TEAM', user_id: 'UBOT', is_bot: true }],
    });
    const payload = JSON.parse(new URLSearchParams(action?.body).get('payload') ?? '{}');
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U1', team_id: 'T0TEAM' },
      team: { id: 'T0TEAM' },
      container: {
        type: 'message',
        channel_id: 'CSALES',
        message_ts: '1700000000.000100',
        is_ephemeral: false,
      },
      channel: { id: 'CSALES' },
      trigger_id: '1.2.3',
      response_url: expect.stringMatching(/^https:\/\/hooks\.slack\.com\/actions\//),
      actions: [{ action_id: 'approve', value: '42', type: 'button', action_ts: expect.any(String) }],
    });
  });
});

describe('sender and fake together with a real Bolt app', () => {
  const SECRET = 'test-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let sender: ReturnType<typeof createSlackSender>;
  const submissions: unknown[] = [];

  beforeEach(async () => {
    fake = await startFakeSlack();
    fake.addUser({ id: 'U1', name: 'tanaka' });
    fake.addChannel('CSALES');
    app = new App({
      token: TOKEN,
      signingSecret: SECRET,
      logger: silentLogger,
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    });
    app.command('/anken', async ({ ack, command, client }) => {
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'deal_new',
          private_metadata: command.channel_id,
          title: { type: 'plain_text', text: '新規案件' },
          submit: { type: 'plain_text', text: '登録' },
          blocks: [inputBlock('company', 'company_input')],
        },
      });
    });
    app.view('deal_new', async ({ ack, view, client }) => {
      await ack();
      submissions.push(view.state.values);
      const company = view.state.values.company?.company_input?.value ?? '';
      await client.chat.postMessage({
        channel: view.private_metadata,
        text: `新規案件: ${company}`,
        blocks: [section(`*${company}*`), { type: 'actions', elements: [button('approve', '承認')] }],
      });
    });
    app.action('approve', async ({ ack, body, client }) => {
      await ack();
      if (body.type !== 'block_actions' || !body.container.message_ts) return;
      await client.chat.update({
        channel: body.container.channel_id,
        ts: body.container.message_ts,
        text: '承認済み',
      });
    });
    app.command('/ping', async ({ ack, respond }) => {
      await ack();
      await respond({ response_type: 'ephemeral', text: 'pong' });
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [section('ホーム')] },
      });
    });
    const server = await app.start(0);
    const { port } = server.address() as AddressInfo;
    sender = createSlackSender({
      baseUrl: `http://127.0.0.1:${port}`,
      signingSecret: SECRET,
      responseUrlBase: fake.responseUrlBase,
    });
    submissions.length = 0;
  });

  afterEach(async () => {
    await app.stop();
    await fake.close();
  });

  it('runs command → modal → submission → button → update', async () => {
    const command = await sender.slashCommand({
      command: '/anken',
      text: '新規',
      userId: 'U1',
      channelId: 'CSALES',
      triggerId: fake.issueTriggerId({ userId: 'U1' }),
    });
    expect(command.status).toBe(200);
    await expect.poll(() => fake.openViews.length).toBe(1);
    const opened = fake.openViews[0];
    if (!opened) throw new Error('no modal');
    expect(opened).toMatchObject({ callback_id: 'deal_new', private_metadata: 'CSALES' });

    const values = { company: { company_input: { type: 'plain_text_input', value: '株式会社サンプル' } } };
    const submitted = await sender.viewSubmission({ userId: 'U1', view: { ...opened, state: { values } } });
    expect(submitted.status).toBe(200);
    await expect.poll(() => fake.messagesIn('CSALES').length).toBe(1);
    expect(submissions).toEqual([values]);
    const posted = fake.messagesIn('CSALES')[0];
    if (!posted) throw new Error('no message');
    expect(posted.text).toBe('新規案件: 株式会社サンプル');

    const clicked = await sender.blockAction({
      userId: 'U1',
      actionId: 'approve',
      value: 'v',
      triggerId: fake.issueTriggerId({ userId: 'U1' }),
      message: posted,
    });
    expect(clicked.status).toBe(200);
    await expect.poll(() => fake.message('CSALES', posted.ts)?.text).toBe('承認済み');
  });

  it('captures respond() calls on the fake response_url', async () => {
    await sender.slashCommand({ command: '/ping', userId: 'U1', triggerId: fake.issueTriggerId() });
    await expect.poll(() => fake.responseUrlPosts.length).toBe(1);
    expect(fake.responseUrlPosts[0]).toMatchObject({
      path: expect.stringMatching(/^\/commands\/T0TEAM\//),
      body: { response_type: 'ephemeral', text: 'pong' },
    });
  });

  it('delivers events and rejects forged or stale requests', async () => {
    const delivered = await sender.event({
      event: {
        type: 'app_home_opened',
        user: 'U1',
        channel: 'D1',
        tab: 'home',
        event_ts: '1700000000.000100',
      },
    });
    expect(delivered.status).toBe(200);
    await expect.poll(() => fake.homeOf('U1')?.blocks.length).toBe(1);
    const forged = await sender.shortcut(
      { callbackId: 'x', userId: 'U1', triggerId: fake.issueTriggerId() },
      { signature: 'v0=deadbeef' },
    );
    expect(forged.status).toBe(401);
    const stale = await sender.messageShortcut(
      {
        callbackId: 'x',
        userId: 'U1',
        triggerId: fake.issueTriggerId(),
        channelId: 'CSALES',
        message: { ts: '1.2', text: 'x' },
      },
      { timestamp: Math.floor(Date.now() / 1000) - 600 },
    );
    expect(stale.status).toBe(401);
  });
});
