import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { createDealProcess, type DealProcess } from '../../src/workflow/deal-process.js';
import { NO_FILTERS, toDealQuery } from '../../src/workflow/deal-search.js';
import { DomainError } from '../../src/workflow/errors.js';
import type { Actor, Roles, SlackMessageRef } from '../../src/workflow/types.js';
import { sampleReport } from '../support/samples.js';

const TEAM = 'T0ANKEN';
const CHANNEL = 'C0SALES';
const roles: Roles = { workspaceTeamId: TEAM, leaderIds: ['U0LEAD1'], adminIds: [] };
const member = (userId: string, overrides: Partial<Actor> = {}): Actor => ({
  userId,
  teamId: TEAM,
  isBot: false,
  isGuest: false,
  ...overrides,
});

let store: Store;
let process: DealProcess;
/** Transactions committed: the workflow is told once after each one. */
let commits: number;

beforeEach(() => {
  store = openStore(':memory:');
  commits = 0;
  const deps = {
    repo: store.deals,
    roles,
    timeZone: 'Asia/Tokyo',
    now: () => new Date('2026-04-01T01:00:00.000Z'),
    onEffects: () => {
      commits += 1;
    },
  };
  process = createDealProcess(deps);
});

afterEach(() => {
  store.close();
});

/** Deals with cards in the sales channel; returns each card (the thread replies go to). */
function dealsWithCards(count: number): SlackMessageRef[] {
  return Array.from({ length: count }, (_, i) => {
    const deal = process.reportDeal({ actor: member('U0REP01'), report: sampleReport(), idempotencyKey: `V${i}` }).deal;
    const card = { channel: CHANNEL, ts: `1775000000.${String(i + 1).padStart(6, '0')}` };
    store.queries.setCard(deal.id, card);
    return card;
  });
}

function reply(thread: SlackMessageRef, n: number, text: string, actor = member('U0MEMB1')) {
  return process.recordComment({ actor, thread, message: { channel: CHANNEL, ts: `1775000100.${n}` }, text });
}

const comments = () => store.db.prepare(`SELECT COUNT(*) FROM timeline WHERE kind = 'comment'`).pluck().get();
const found = (keywords: string) => [...store.search.each(toDealQuery({ ...NO_FILTERS, keywords }, 'Asia/Tokyo'))];

describe('group commit: the thread replies of a burst', () => {
  it('arriving in the same turn are committed in one transaction, each kept and searchable once', async () => {
    const cards = dealsWithCards(3);
    commits = 0;
    const burst = Array.from({ length: 30 }, (_, n) => reply(cards[n % 3]!, n, `返信${n} 物流`));
    // Slack sends some of them again while they are being written (a retry of the same message).
    const retries = [reply(cards[0]!, 0, '返信0 物流'), reply(cards[1]!, 1, '返信1 物流')];
    const dealIds = await Promise.all([...burst, ...retries]);

    expect(commits).toBe(1);
    expect(dealIds).toEqual([...burst.map((_, n) => (n % 3) + 1), 1, 2]);
    expect(comments()).toBe(30);
    expect(
      found('物流')
        .map((deal) => deal.id)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it('bounds a transaction at 50 replies; a lone reply is committed on its own', async () => {
    const [card] = dealsWithCards(1);
    commits = 0;
    await Promise.all(Array.from({ length: 120 }, (_, n) => reply(card!, n, `返信${n}`)));
    expect(commits).toBe(3);
    expect(comments()).toBe(120);

    commits = 0;
    await reply(card!, 500, 'ひとつだけ');
    expect(commits).toBe(1);
    expect(comments()).toBe(121);
  });

  it('a reply that fails undoes only its own writes; the others of its group are kept, and its retry lands once', async () => {
    const cards = dealsWithCards(2);
    // The last write of a reply (its idempotency key) fails for this one, after its timeline and search
    // rows were written: a real SQLite error inside the group's transaction.
    store.db.exec(`CREATE TEMP TRIGGER refuse_one BEFORE INSERT ON handled_requests
      WHEN NEW.key = 'comment:${CHANNEL}:1775000100.3' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    commits = 0;
    const outcomes = await Promise.allSettled([
      reply(cards[0]!, 1, '納期の件 了解'),
      reply(cards[1]!, 2, '価格の件 了解'),
      reply(cards[0]!, 3, '解約の話が出ています'),
      reply(cards[1]!, 4, '保守の件 了解', member('U0GUEST', { isGuest: true })),
      reply(cards[1]!, 5, '契約の件 了解'),
    ]);

    expect(commits).toBe(1);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toContain('disk says no');
    expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(DomainError);
    const texts = store.queries
      .timeline(1)
      .concat(store.queries.timeline(2))
      .flatMap((entry) => (entry.kind === 'comment' ? [entry.text] : []));
    expect(texts.sort()).toEqual(['価格の件 了解', '契約の件 了解', '納期の件 了解']);
    expect(found('解約')).toEqual([]);
    expect(found('保守')).toEqual([]);

    store.db.exec('DROP TRIGGER refuse_one');
    await reply(cards[0]!, 3, '解約の話が出ています');
    await reply(cards[0]!, 3, '解約の話が出ています');
    expect(found('解約').map((deal) => deal.id)).toEqual([1]);
    expect(comments()).toBe(4);
  });

  it('keeps a reply and its edit, sent in the same turn, in order', async () => {
    const [card] = dealsWithCards(1);
    const message = { channel: CHANNEL, ts: '1775000100.7' };
    const [kept, edited] = await Promise.all([
      process.recordComment({ actor: member('U0MEMB1'), thread: card!, message, text: '初稿' }),
      process.editComment(message, '第2稿', '1775000110.000000'),
    ]);
    expect(kept).toBe(1);
    expect(edited).toBe(true);
    expect(store.queries.timeline(1).map((entry) => entry.kind)).toEqual(['report', 'comment', 'comment_edited']);
  });
});
