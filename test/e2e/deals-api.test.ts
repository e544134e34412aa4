/**
 * POST /api/deals end to end: another system starts a deal over HTTP against the real app, the rep gets a
 * DM task, completes the prefilled report, and the normal process continues.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiRoutes, createRateLimiter } from '../../src/api/routes.js';
import { loadConfig } from '../../src/config.js';
import { ACTION, CALLBACK, REPORT_BLOCK } from '../../src/ids.js';
import { DEFAULT_OPTION_LISTS } from '../../src/workflow/options.js';
import type { FakeView } from '../support/fake-slack.js';
import { hasButton, readable, reportValues, submit, tapButton } from '../support/flows.js';
import { GUEST, type Harness, LEADER, LEADER2, REP, REP2, SALES_CHANNEL, startHarness } from '../support/harness.js';

const TOKEN = 'anken-test-token-3f9a1c7e5b2d8f60';
const DAY = 24 * 60 * 60 * 1_000;

interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

interface ApiRequest {
  method?: string;
  path?: string;
  body?: unknown;
  /** A raw body, sent as is. */
  raw?: string | Uint8Array;
  /** null: no Authorization header. */
  authorization?: string | null;
  contentType?: string | null;
}

const VALID = {
  customer: '株式会社サンプル',
  title: '基幹システム更改',
  industry: '製造業',
  companySize: '300〜999名',
  amount: 12_000_000,
  expectedCloseDate: '2030-03-31',
  contactName: '山田 部長',
  description: '老朽化した基幹システムの更改。\n競合は2社。',
  owner: { slackUserId: REP },
  externalId: 'crm-000123',
};

let h: Harness;

const silentLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => 'error',
  setName: () => {},
} as unknown as Logger;

async function api(input: ApiRequest = {}, baseUrl = h.baseUrl): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  const authorization = input.authorization === undefined ? `Bearer ${TOKEN}` : input.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const contentType = input.contentType === undefined ? 'application/json' : input.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const method = input.method ?? 'POST';
  const body = input.raw ?? (input.body === undefined ? undefined : JSON.stringify(input.body));
  const response = await fetch(`${baseUrl}${input.path ?? '/api/deals'}`, {
    method,
    headers,
    ...(body === undefined || method === 'GET' || method === 'HEAD' ? {} : { body }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON: left empty, the test looks at `text`
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

const startDeal = (body: unknown = VALID) => api({ body });

function dealCount(harness: Harness = h): number {
  let count = 0;
  while (harness.store.queries.getDeal(count + 1)) count += 1;
  return count;
}

function blockElement(view: FakeView, blockId: string): Record<string, unknown> {
  const block = view.blocks.find((candidate) => candidate.block_id === blockId);
  return (block?.element ?? {}) as Record<string, unknown>;
}

function initialOption(view: FakeView, blockId: string): unknown {
  return (blockElement(view, blockId).initial_option as { value?: string } | undefined)?.value;
}

/** Sends a body in chunks, without Content-Length (Transfer-Encoding: chunked). */
function postChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    // The server closes the connection while we are still writing: once answered, that is expected.
    let answered = false;
    req.on('response', () => {
      answered = true;
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const write = (index: number) => {
      if (index >= chunks.length) {
        req.end();
        return;
      }
      if (req.destroyed) return;
      req.write(chunks[index], () => setImmediate(() => write(index + 1)));
    };
    write(0);
  });
}

describe('POST /api/deals', () => {
  beforeEach(async () => {
    h = await startHarness({ env: { ANKEN_API_TOKEN: TOKEN } });
  });

  afterEach(async () => {
    await h.close();
  });

  it('starts a draft deal, gives the rep a task whose button opens the prefilled report, and the process continues', async () => {
    const started = await startDeal();
    expect(started.status).toBe(201);
    expect(started.headers.get('content-type')).toContain('application/json');
    expect(started.body).toEqual({
      created: true,
      deal: {
        id: 1,
        status: 'draft',
        externalId: 'crm-000123',
        customer: '株式会社サンプル',
        title: '基幹システム更改',
        industry: '製造業',
        companySize: '300〜999名',
        amount: 12_000_000,
        expectedCloseDate: '2030-03-31',
        source: '外部システム',
        contactName: '山田 部長',
        description: '老朽化した基幹システムの更改。\n競合は2社。',
        ownerSlackUserId: REP,
        createdAt: expect.any(String),
        reportedAt: null,
        closedAt: null,
      },
    });
    await h.settle();

    // Nothing is shared yet: the deal waits for its rep.
    expect(h.fake.messagesIn(SALES_CHANNEL)).toHaveLength(0);
    expect(h.fake.dmMessagesTo(LEADER)).toHaveLength(0);
    const task = h.fake.dmMessagesTo(REP).at(-1);
    expect(readable(task)).toContain('案件情報を入力してください');
    expect(readable(task)).toContain('株式会社サンプル');
    expect(hasButton(task?.blocks, ACTION.openReport)).toBe(true);

    // The rep's App Home lists the waiting report task.
    const home = readable(h.fake.homeOf(REP));
    expect(home).toContain('案件情報の入力');
    expect(home).toContain('基幹システム更改');

    // The button opens the 案件発生報告 modal prefilled with what the system sent.
    const { view } = await tapButton(h, REP, task!, ACTION.openReport);
    expect(view?.callback_id).toBe(CALLBACK.reportModal);
    expect(JSON.parse(view!.private_metadata)).toEqual({ draftDealId: 1 });
    expect(blockElement(view!, REPORT_BLOCK.customer).initial_value).toBe('株式会社サンプル');
    expect(blockElement(view!, REPORT_BLOCK.title).initial_value).toBe('基幹システム更改');
    expect(initialOption(view!, REPORT_BLOCK.industry)).toBe('製造業');
    expect(initialOption(view!, REPORT_BLOCK.companySize)).toBe('300〜999名');
    expect(blockElement(view!, REPORT_BLOCK.amount).initial_value).toBe('12000000');
    expect(blockElement(view!, REPORT_BLOCK.expectedCloseDate).initial_date).toBe('2030-03-31');
    expect(initialOption(view!, REPORT_BLOCK.source)).toBe('外部システム');
    expect(blockElement(view!, REPORT_BLOCK.contactName).initial_value).toBe('山田 部長');
    expect(blockElement(view!, REPORT_BLOCK.description).initial_value).toBe(
      '老朽化した基幹システムの更改。\n競合は2社。',
    );
    expect(blockElement(view!, REPORT_BLOCK.owner).initial_user).toBe(REP);

    // Submitting it (Slack sends the prefilled values, one of them changed) continues the normal process.
    const values = reportValues(
      {
        customer: '株式会社サンプル',
        title: '基幹システム更改',
        industry: '製造業',
        companySize: '300〜999名',
        amount: '1,500万',
        expectedCloseDate: '2030-03-31',
        source: '外部システム',
        contactName: '山田 部長',
        description: '老朽化した基幹システムの更改。\n競合は2社。',
      },
      REP,
    );
    const submitted = await submit(h, REP, view!, values);
    expect(submitted.body).toMatchObject({ response_action: 'update' });
    expect(readable((submitted.body as { view: unknown }).view)).toContain('案件 #1');
    await h.settle();

    expect(h.store.queries.getDeal(1)).toMatchObject({
      status: 'negotiating',
      amount: 15_000_000,
      externalId: 'crm-000123',
      ownerId: REP,
      cardChannel: SALES_CHANNEL,
    });
    const cards = h.fake.messagesIn(SALES_CHANNEL);
    expect(cards).toHaveLength(1);
    expect(readable(cards[0])).toContain('株式会社サンプル');
    expect(readable(cards[0])).toContain('1,500万円');
    for (const leader of [LEADER, LEADER2]) {
      expect(readable(h.fake.dmMessagesTo(leader).at(-1))).toContain('助言・戦略の指示をお願いします');
    }
    const repDms = h.fake.dmMessagesTo(REP).map((message) => readable(h.fake.message(message.channel, message.ts)));
    expect(repDms.some((text) => text.includes('案件情報は入力済みです'))).toBe(true);
    expect(repDms.some((text) => text.includes('進捗を記録してください'))).toBe(true);
    expect(readable(h.fake.homeOf(REP))).not.toContain('案件情報の入力');

    // The API now shows the deal as reported, still under the sender's id.
    const again = await startDeal();
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, deal: { id: 1, status: 'negotiating', amount: 15_000_000 } });
  });

  it('starts one deal for one externalId, however often the sender retries', async () => {
    const first = await startDeal();
    const retries = await Promise.all([startDeal(), startDeal(), startDeal({ ...VALID, title: '別の件名' })]);
    expect(first.status).toBe(201);
    for (const retry of retries) {
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ ...first.body, created: false });
    }
    await h.settle();
    expect(dealCount()).toBe(1);
    expect(h.fake.dmMessagesTo(REP)).toHaveLength(1);

    // Without an externalId, each request is a new deal.
    const { externalId: _none, ...anonymous } = VALID;
    expect((await startDeal(anonymous)).status).toBe(201);
    expect((await startDeal(anonymous)).body).toMatchObject({ created: true, deal: { id: 3, externalId: null } });
  });

  it('accepts the minimum, amounts as people write them, and defaults the source', async () => {
    const minimal = await startDeal({
      customer: ' 有限会社ミニマム ',
      title: '保守契約',
      owner: { slackUserId: REP2 },
    });
    expect(minimal.status).toBe(201);
    expect(minimal.body.deal).toMatchObject({
      customer: '有限会社ミニマム',
      industry: null,
      companySize: null,
      amount: null,
      expectedCloseDate: null,
      source: '外部システム',
      contactName: null,
      description: null,
      externalId: null,
      ownerSlackUserId: REP2,
    });
    for (const [amount, yen] of [
      ['1,200万', 12_000_000],
      ['1.2億円', 120_000_000],
      ['¥３００万', 3_000_000],
      ['約一億二千万', 120_000_000],
      ['1、500万', 15_000_000],
      [0, 0],
      ['-', null],
      ['未定', null],
    ] as const) {
      const response = await startDeal({ ...VALID, externalId: `amount-${amount}`, amount, source: '展示会' });
      expect(response.status, String(amount)).toBe(201);
      expect(response.body.deal).toMatchObject({ amount: yen, source: '展示会' });
    }
  });

  describe('resolves the owner', () => {
    it('by e-mail address (users.lookupByEmail)', async () => {
      h.fake.addUser({ id: 'U0MAIL1', name: 'kimura', realName: '木村 次郎', email: 'kimura@example.co.jp' });
      const response = await startDeal({ ...VALID, owner: { email: 'Kimura@Example.co.jp' } });
      expect(response.status).toBe(201);
      expect(response.body.deal).toMatchObject({ ownerSlackUserId: 'U0MAIL1' });
      expect(h.fake.okCallsTo('users.lookupByEmail')).toHaveLength(1);
      await h.settle();
      expect(readable(h.fake.dmMessagesTo('U0MAIL1').at(-1))).toContain('案件情報を入力してください');
    });

    it.each([
      ['an unknown e-mail address', { email: 'nobody@example.co.jp' }, 'owner.email', '見つかりません'],
      ['an unknown user id', { slackUserId: 'U0NOBODY' }, 'owner.slackUserId', '見つかりません'],
      ['a deactivated user', { slackUserId: 'U0GONE1' }, 'owner.slackUserId', '無効化'],
      ['a bot', { slackUserId: 'UBOT' }, 'owner.slackUserId', 'ボット'],
      ['a guest', { slackUserId: GUEST }, 'owner.slackUserId', 'ゲスト'],
      ['a guest found by e-mail', { email: 'guest2@example.co.jp' }, 'owner.email', 'ゲスト'],
      ['someone from another workspace', { slackUserId: 'U0OTHER' }, 'owner.slackUserId', '社内のメンバー'],
    ])('refuses %s with 422', async (_who, owner, field, message) => {
      h.fake.addUser({ id: 'U0GONE1', name: 'retired', deleted: true });
      h.fake.addUser({ id: 'U0GUES2', name: 'guest2', isUltraRestricted: true, email: 'guest2@example.co.jp' });
      const response = await startDeal({ ...VALID, owner });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({
        error: 'invalid_owner',
        message: expect.stringContaining(message),
        details: [{ field, message: expect.stringContaining(message) }],
      });
      expect(dealCount()).toBe(0);
    });

    it('answers 502 when Slack cannot be asked, and starts nothing', async () => {
      h.fake.failNext('users.info', { kind: 'http', status: 503 }, 5);
      const response = await startDeal();
      expect(response.status).toBe(502);
      expect(response.body).toMatchObject({ error: 'slack_error' });
      expect(dealCount()).toBe(0);
    });
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', null],
      ['another scheme', `Basic ${Buffer.from(`api:${TOKEN}`).toString('base64')}`],
      ['an empty bearer token', 'Bearer '],
      ['a token split by spaces', `Bearer ${TOKEN} extra`],
    ])('answers 401 with WWW-Authenticate for %s', async (_what, authorization) => {
      const response = await api({ body: VALID, authorization });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      expect(response.body).toMatchObject({ error: 'unauthorized' });
      expect(dealCount()).toBe(0);
    });

    it.each([
      ['a wrong token', 'Bearer wrong-token-wrong-token-wrong-token'],
      ['a token one character short', `Bearer ${TOKEN.slice(0, -1)}`],
      ['the token in other case', `Bearer ${TOKEN.toUpperCase()}`],
    ])('answers 403 for %s', async (_what, authorization) => {
      const response = await api({ body: VALID, authorization });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ error: 'forbidden' });
      expect(dealCount()).toBe(0);
    });

    it('accepts the scheme in any case', async () => {
      expect((await api({ body: VALID, authorization: `bearer ${TOKEN}` })).status).toBe(201);
    });
  });

  describe('refuses malformed requests', () => {
    it.each([
      [
        'missing required fields',
        { owner: { slackUserId: REP } },
        [
          ['customer', '顧客名 (customer)は必須です。'],
          ['title', '案件名 (title)は必須です。'],
        ],
      ],
      ['blank required fields', { ...VALID, customer: '  ', title: '' }, [['customer'], ['title']]],
      ['a customer over 100 characters', { ...VALID, customer: 'あ'.repeat(101) }, [['customer', '100文字以内']]],
      ['a title that is not a string', { ...VALID, title: 42 }, [['title', '文字列']]],
      ['a line break in a single-line field', { ...VALID, contactName: '山田\n部長' }, [['contactName']]],
      ['a control character', { ...VALID, customer: '株式会社\u0007サンプル' }, [['customer', '制御文字']]],
      ['half a surrogate pair', { ...VALID, externalId: 'crm-\ud800' }, [['externalId', '使えない文字']]],
      ['a bidi override', { ...VALID, description: 'abc\u202Edef' }, [['description', '制御文字']]],
      ['a description over 2,000 characters', { ...VALID, description: 'x'.repeat(2_001) }, [['description']]],
      ['an unknown industry', { ...VALID, industry: 'IT' }, [['industry', '製造業']]],
      ['an unknown company size', { ...VALID, companySize: '100名' }, [['companySize']]],
      ['an unknown source', { ...VALID, source: 'メール' }, [['source', '外部システム']]],
      ['a negative amount', { ...VALID, amount: -1 }, [['amount', 'マイナス']]],
      ['a fractional amount', { ...VALID, amount: 1.5 }, [['amount', '整数']]],
      ['an amount of 1兆円', { ...VALID, amount: 1_000_000_000_000 }, [['amount', '1兆円未満']]],
      ['an amount nobody writes', { ...VALID, amount: 'たくさん' }, [['amount', '1,200万']]],
      ['an amount missing its 万', { ...VALID, amount: '2億5千' }, [['amount', '2億5千万円のことですか？']]],
      ['an amount with overlapping units', { ...VALID, amount: '1万10千' }, [['amount', '位が重なっています']]],
      ['an amount over 30 characters', { ...VALID, amount: '1'.repeat(31) }, [['amount', '30文字以内']]],
      ['an amount that is an object', { ...VALID, amount: { yen: 1 } }, [['amount']]],
      ['a date that does not exist', { ...VALID, expectedCloseDate: '2030-02-30' }, [['expectedCloseDate']]],
      ['a date in another format', { ...VALID, expectedCloseDate: '2030/03/31' }, [['expectedCloseDate']]],
      ['no owner', { customer: 'A', title: 'B' }, [['owner', '必須']]],
      ['an owner as a plain string', { ...VALID, owner: REP }, [['owner', 'slackUserId']]],
      [
        'both owner forms',
        { ...VALID, owner: { slackUserId: REP, email: 'a@example.co.jp' } },
        [['owner', 'どちらか一方']],
      ],
      ['an empty owner', { ...VALID, owner: {} }, [['owner', 'どちらか一方']]],
      ['a malformed user id', { ...VALID, owner: { slackUserId: 'tanaka' } }, [['owner.slackUserId']]],
      ['a malformed e-mail address', { ...VALID, owner: { email: 'tanaka@' } }, [['owner.email']]],
      ['an externalId over 200 characters', { ...VALID, externalId: 'x'.repeat(201) }, [['externalId', '200文字']]],
      ['an empty externalId', { ...VALID, externalId: '' }, [['externalId']]],
      ['a misspelt field', { ...VALID, expected_close_date: '2030-03-31' }, [['expected_close_date', '不明な項目']]],
      ['an array', [VALID], [['body', 'JSON オブジェクト']]],
      ['null', null, [['body']]],
      ['a string', 'customer', [['body']]],
    ])('answers 400 for %s', async (_what, body, expected) => {
      const response = await api({ body });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
      const details = response.body.details as Array<{ field: string; message: string }>;
      expect(details.map((detail) => detail.field)).toEqual(expected.map(([field]) => field));
      expected.forEach(([, message], index) => {
        if (message) expect(details[index]?.message).toContain(message);
      });
      expect(dealCount()).toBe(0);
      expect(h.fake.callsTo('users.info')).toHaveLength(0);
    });

    it('lists every field error at once, each with a Japanese message', async () => {
      const response = await startDeal({
        customer: '',
        title: 'x'.repeat(101),
        industry: '宇宙産業',
        companySize: 12,
        source: '',
        amount: '-5万',
        expectedCloseDate: '明日',
        contactName: 'a\u0000b',
        description: 'y'.repeat(2_001),
        owner: { slackUserId: 'someone' },
        externalId: 7,
        priority: 'high',
      });
      expect(response.status).toBe(400);
      const details = response.body.details as Array<{ field: string; message: string }>;
      expect(details.map((detail) => detail.field).sort()).toEqual(
        [
          'customer',
          'title',
          'industry',
          'companySize',
          'source',
          'amount',
          'expectedCloseDate',
          'contactName',
          'description',
          'owner.slackUserId',
          'externalId',
          'priority',
        ].sort(),
      );
      for (const detail of details) expect(detail.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    });

    it.each([
      ['broken JSON', '{"customer": "株式会社サンプル",'],
      ['an empty body', ''],
      ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ])('answers 400 invalid_json for %s', async (_what, raw) => {
      const response = await api({ raw });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_json', message: expect.stringContaining('JSON') });
    });

    it.each([
      ['no Content-Type', null],
      ['a form body', 'application/x-www-form-urlencoded'],
      ['text', 'text/plain'],
      ['JSON in another charset', 'application/json; charset=shift_jis'],
    ])('answers 415 for %s', async (_what, contentType) => {
      const response = await api({ body: VALID, contentType });
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ error: 'unsupported_media_type' });
      expect(dealCount()).toBe(0);
    });

    it('accepts application/json with charset=utf-8', async () => {
      expect((await api({ body: VALID, contentType: 'application/json; charset=UTF-8' })).status).toBe(201);
    });

    it.each(['GET', 'PUT', 'PATCH', 'DELETE'])('answers 405 to %s', async (method) => {
      const response = await api({ method, body: VALID });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(response.body).toMatchObject({ error: 'method_not_allowed' });
    });

    it('answers 413 to a body over 64 KiB, declared or streamed, and keeps serving', async () => {
      const big = JSON.stringify({ ...VALID, description: 'x'.repeat(70 * 1024) });
      const declared = await api({ raw: big });
      expect(declared.status).toBe(413);
      expect(declared.body).toMatchObject({ error: 'payload_too_large' });

      // Streamed without Content-Length: reading stops at the limit (the sender may not get to send the rest).
      const chunk = `"${'x'.repeat(16 * 1024)}",`;
      const streamed = await postChunked(`${h.baseUrl}/api/deals`, ['{"padding":[', ...Array(200).fill(chunk), '""]}']);
      expect(streamed.status).toBe(413);

      // A body just under the limit is read (and judged on its content).
      const under = await api({ raw: JSON.stringify({ ...VALID, padding: 'x'.repeat(60 * 1024) }) });
      expect(under.status).toBe(400);
      expect(under.body.details).toEqual([{ field: 'padding', message: expect.any(String) }]);
      expect((await startDeal()).status).toBe(201);
    });

    it('never crashes on odd input', async () => {
      const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
      const bodies = [
        deep,
        '{"__proto__": {"customer": "x"}, "constructor": {"prototype": {}}}',
        '{"customer": "\\ud800", "title": "t", "owner": {"slackUserId": "U0REP01"}}',
        '1e999',
        '"\\u0000"',
        `{"customer": ${'1'.repeat(400)}}`,
      ];
      for (const raw of bodies) {
        const response = await api({ raw });
        expect(response.status, raw.slice(0, 40)).toBe(400);
        expect(response.body.error).toMatch(/^invalid_(json|request)$/);
      }
      const health = await fetch(`${h.baseUrl}/healthz`);
      expect(health.status).toBe(200);
    });
  });

  it('answers 429 with Retry-After to a sender that floods, without starving others', async () => {
    // 60 a minute with bursts of 20: of 30 requests at once, 20 go through (plus one a second of refill).
    const startedAt = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => startDeal({ ...VALID, externalId: `flood-${i}` })),
    );
    const seconds = Math.ceil((Date.now() - startedAt) / 1_000);
    const created = responses.filter((response) => response.status === 201);
    const limited = responses.filter((response) => response.status === 429);
    expect(created.length).toBeGreaterThanOrEqual(20);
    expect(created.length).toBeLessThanOrEqual(20 + seconds);
    expect(created.length + limited.length).toBe(30);
    for (const response of limited) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(response.body).toMatchObject({ error: 'rate_limited', message: expect.stringContaining('秒後') });
    }
    expect(dealCount()).toBe(created.length);

    // Requests without the token are counted by address, apart from the token's bucket.
    expect((await api({ body: VALID, authorization: null })).status).toBe(401);
  });
});

describe('the token bucket', () => {
  it('allows a burst, then one request per refill interval, and says how long to wait', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 6, burst: 2 }, () => now);
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    expect(limiter.take('a')).toBe(10);
    expect(limiter.take('b')).toBe(0);
    now += 5_000;
    expect(limiter.take('a')).toBe(5);
    now += 5_000;
    expect(limiter.take('a')).toBe(0);
    now += 60_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 10]);
  });

  it('stays bounded under a flood of new senders', () => {
    const limiter = createRateLimiter({ perMinute: 60, burst: 1 }, () => 0);
    for (let i = 0; i < 50_000; i += 1) limiter.take(`ip:${i}`);
    expect(limiter.take('ip:fresh')).toBe(0);
    expect(limiter.take('ip:fresh')).toBe(1);
  });
});

describe('createApiRoutes options', () => {
  it('takes the rate limits and the body limit as options', async () => {
    let now = 0;
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-unused',
      SLACK_SIGNING_SECRET: 'unused',
      SALES_CHANNEL_ID: SALES_CHANNEL,
      SALES_LEADER_IDS: LEADER,
      ANKEN_API_TOKEN: TOKEN,
    });
    const unused = () => {
      throw new Error('not reached: every request here is refused before Slack or the workflow');
    };
    const [route] = createApiRoutes(
      { config, system: unused, client: unused, logger: () => silentLogger, lists: () => DEFAULT_OPTION_LISTS },
      { rateLimit: { perMinute: 60, burst: 2 }, maxBodyBytes: 1_024, clock: () => now },
    );
    const server = createServer((req, res) => route!.handler(Object.assign(req, { params: {} }), res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const local = `http://127.0.0.1:${port}`;
    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await api({ body: {} }, local)).status);
      expect(statuses).toEqual([400, 400, 429]);
      now += 1_000;
      expect((await api({ raw: JSON.stringify({ padding: 'x'.repeat(1_024) }) }, local)).status).toBe(413);
      expect((await api({ body: {} }, local)).status).toBe(429);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the API turned off', () => {
  it('answers 404 on every /api path when no token is configured', async () => {
    const off = await startHarness();
    try {
      for (const [method, path] of [
        ['POST', '/api/deals'],
        ['GET', '/api/deals'],
        ['GET', '/api/deals/1'],
        ['POST', '/api/anything'],
      ] as const) {
        const response = await api({ method, path, body: VALID }, off.baseUrl);
        expect(response.status, `${method} ${path}`).toBe(404);
      }
      expect(dealCount(off)).toBe(0);
    } finally {
      await off.close();
    }
  });
});

describe('a deal that waits for its rep', () => {
  it('is reminded once it is overdue (the report task is due a day after the start)', async () => {
    let now = new Date('2030-04-08T01:00:00Z');
    const late = await startHarness({ env: { ANKEN_API_TOKEN: TOKEN }, now: () => now });
    try {
      expect((await api({ body: VALID }, late.baseUrl)).status).toBe(201);
      await late.settle();
      expect(late.fake.dmMessagesTo(REP)).toHaveLength(1);

      const job = late.anken.jobs.find((candidate) => candidate.name === 'reminders');
      await job!.run(now);
      await late.settle();
      expect(late.fake.dmMessagesTo(REP)).toHaveLength(1);

      now = new Date(now.getTime() + 2 * DAY);
      await job!.run(now);
      await late.settle();
      const reminder = late.fake.dmMessagesTo(REP).at(-1);
      expect(late.fake.dmMessagesTo(REP)).toHaveLength(2);
      expect(readable(reminder)).toContain('案件情報の入力をお願いします');
      expect(readable(reminder)).toContain('2030/04/09');
      expect(hasButton(reminder?.blocks, ACTION.openReport)).toBe(true);
      // The App Home, refreshed when the rep opens it, marks the task overdue.
      await late.sender.event({ event: { type: 'app_home_opened', user: REP, channel: 'D0REP', tab: 'home' } });
      await late.settle();
      expect(readable(late.fake.homeOf(REP))).toContain('期限超過');

      // The reminder's button opens the same prefilled report.
      const { view } = await tapButton(late, REP, reminder!, ACTION.openReport);
      expect(blockElement(view!, REPORT_BLOCK.customer).initial_value).toBe('株式会社サンプル');
    } finally {
      await late.close();
    }
  });
});
