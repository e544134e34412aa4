import { localMonthsMigration } from './local-months.js';
import { statsGroupsMigration } from './stats-groups-migration.js';
import { statsMigration } from './stats-migration.js';

`,
  `;
/** Recomputes the open_deals row of one deal from its sources (none when it is not 商談中). */
function openDealRow(dealIds: string): string {
  return `
    DELETE FROM open_deals WHERE deal_id IN (${dealIds});
    INSERT INTO open_deals (deal_id, owner_id, customer, title, amount, advice_asked_at, progress_due_on,
      last_entry_at, snoozed_until, snooze_reason)
    SELECT d.id, d.owner_id, d.customer, d.title, d.amount,
      (SELECT created_at FROM tasks WHERE deal_id = d.id AND kind = 'advice' AND state = 'open'),
      (SELECT due_on FROM tasks WHERE deal_id = d.id AND kind = 'progress' AND state = 'open'),
      COALESCE((SELECT at FROM timeline WHERE id = d.last_progress_id), d.reported_at, d.created_at),
      f.snoozed_until, f.snooze_reason
    FROM deals d LEFT JOIN deal_follow_ups f ON f.deal_id = d.id
    WHERE d.id IN (${dealIds}) AND d.status = 'negotiating';`;
}

function refreshOpenDeal(dealId: string, name: string, event: string): string {
  return `CREATE TRIGGER ${name} ${event} BEGIN ${openDealRow(dealId)} END;`;
}

/**
 * Schema migrations, applied in order by PRAGMA user_version. Never edit a released step: add one.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE deals (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('draft', 'negotiating', 'won', 'lost')),
    customer TEXT NOT NULL,
    title TEXT NOT NULL,
    industry TEXT,
    company_size TEXT,
    amount INTEGER CHECK (amount IS NULL OR amount >= 0),
    expected_close_date TEXT,
    source TEXT,
    contact_name TEXT,
    description TEXT,
    owner_id TEXT NOT NULL,
    reporter_id TEXT NOT NULL,
    external_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    reported_at TEXT,
    closed_at TEXT,
    advice_given INTEGER NOT NULL DEFAULT 0,
    card_channel TEXT,
    card_ts TEXT,
    last_progress_id INTEGER
  ) STRICT;
  CREATE UNIQUE INDEX deals_by_card ON deals (card_channel, card_ts) WHERE card_ts IS NOT NULL;
  CREATE INDEX deals_by_owner ON deals (owner_id, status);
  CREATE INDEX deals_by_status ON deals (status, id);

  CREATE TABLE timeline (
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL REFERENCES deals (id),
    kind TEXT NOT NULL,
    author_id TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    message_channel TEXT,
    message_ts TEXT
  ) STRICT;
  CREATE INDEX timeline_by_deal ON timeline (deal_id, id);
  CREATE INDEX timeline_by_message ON timeline (message_channel, message_ts) WHERE message_ts IS NOT NULL;

  CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL REFERENCES deals (id),
    kind TEXT NOT NULL CHECK (kind IN ('report', 'advice', 'progress')),
    assignee_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'done', 'cancelled')),
    due_on TEXT,
    created_at TEXT NOT NULL,
    completed_by TEXT,
    completed_at TEXT
  ) STRICT;
  CREATE UNIQUE INDEX tasks_one_open ON tasks (deal_id, kind) WHERE state = 'open';
  CREATE INDEX tasks_open_by_assignee ON tasks (assignee_id, due_on) WHERE state = 'open';
  CREATE INDEX tasks_by_deal ON tasks (deal_id, kind, id);

  CREATE TABLE task_messages (
    deal_id INTEGER NOT NULL REFERENCES deals (id),
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    PRIMARY KEY (deal_id, kind, user_id)
  ) STRICT;

  CREATE TABLE handled_requests (
    key TEXT PRIMARY KEY,
    deal_id INTEGER NOT NULL,
    at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    ordering_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
  ) STRICT;
  CREATE INDEX outbox_pending ON outbox (ordering_key, id) WHERE state = 'pending';
  CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending';

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    team_id TEXT,
    is_bot INTEGER NOT NULL,
    is_guest INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    fetched_at TEXT NOT NULL
  ) STRICT;
  `,
  `
  ALTER TABLE tasks ADD COLUMN reminded_on TEXT;
  CREATE INDEX tasks_open_by_due ON tasks (due_on) WHERE state = 'open';
  `,
  `
  CREATE INDEX deals_pipeline ON deals (status, closed_at, amount);
  `,
  `
  CREATE INDEX outbox_failed ON outbox (id) WHERE state = 'failed';
  `,
  `
  CREATE TABLE job_runs (
    name TEXT PRIMARY KEY,
    last_run_at TEXT NOT NULL
  ) STRICT;
  `,
  `
  CREATE TABLE settings (
    section TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version > 0),
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE settings_audit (
    id INTEGER PRIMARY KEY,
    section TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    at TEXT NOT NULL,
    summary TEXT NOT NULL
  ) STRICT;
  `,
  `
  CREATE INDEX tasks_overdue_never_reminded ON tasks (due_on) WHERE state = 'open' AND reminded_on IS NULL;
  CREATE INDEX tasks_overdue_by_reminded ON tasks (reminded_on, due_on)
    WHERE state = 'open' AND reminded_on IS NOT NULL;
  `,
  `
  CREATE INDEX outbox_cards_pending ON outbox (created_at) WHERE state = 'pending' AND kind = 'post_card';
  `,
  // Deal search: one document per deal (rowid = deal id) of pre-split bigram tokens (src/workflow/search-terms.ts).
  // The text itself stays in deals and timeline (contentless). Existing deals are indexed in the background.
  `
  CREATE VIRTUAL TABLE deal_search USING fts5 (terms, content = '', contentless_delete = 1, tokenize = 'ascii', prefix = '6');
  CREATE TABLE deal_search_backlog (deal_id INTEGER PRIMARY KEY) STRICT;
  INSERT INTO deal_search_backlog (deal_id) SELECT id FROM deals;
  CREATE INDEX deals_by_owner_id ON deals (owner_id, id);
  CREATE INDEX deals_by_reported ON deals (reported_at);
  CREATE INDEX deals_by_closed ON deals (closed_at) WHERE closed_at IS NOT NULL;
  `,
  statsMigration,
  // Search and its count by 業種 / 会社規模 / 状況 read a range of this index instead of scanning by status.
  `
  CREATE INDEX deals_by_segment ON deals (industry, company_size, status, id);
  `,
  `
  CREATE INDEX timeline_comment_changes ON timeline (deal_id, kind) WHERE kind IN ('comment_edited', 'comment_deleted');
  CREATE INDEX timeline_progress ON timeline (deal_id, id) WHERE kind = 'progress';
  `,
  `
  CREATE TABLE deal_follow_ups (
    deal_id INTEGER PRIMARY KEY REFERENCES deals (id),
    snoozed_until TEXT,
    snooze_reason TEXT,
    snoozed_by TEXT,
    chased_on TEXT,
    chase_count INTEGER NOT NULL DEFAULT 0,
    escalated_on TEXT
  ) STRICT;

  -- One narrow row per 商談中 deal with what the stall rules read, kept by triggers in the same
  -- transaction as every change, so the leaders' pipeline is one scan instead of five lookups a deal.
  CREATE TABLE open_deals (
    deal_id INTEGER PRIMARY KEY,
    owner_id TEXT NOT NULL,
    customer TEXT NOT NULL,
    title TEXT NOT NULL,
    amount INTEGER,
    advice_asked_at TEXT,
    progress_due_on TEXT,
    last_entry_at TEXT NOT NULL,
    snoozed_until TEXT,
    snooze_reason TEXT
  ) STRICT;
  CREATE INDEX open_deals_by_owner ON open_deals (owner_id);
  ${refreshOpenDeal('NEW.id', 'deals_open_insert', 'AFTER INSERT ON deals')}
  ${refreshOpenDeal('NEW.id', 'deals_open_update', 'AFTER UPDATE OF status, owner_id, customer, title, amount, last_progress_id, reported_at ON deals')}
  ${refreshOpenDeal('NEW.deal_id', 'tasks_open_insert', 'AFTER INSERT ON tasks')}
  ${refreshOpenDeal('NEW.deal_id', 'tasks_open_update', 'AFTER UPDATE OF state, due_on ON tasks')}
  ${refreshOpenDeal('NEW.deal_id', 'follow_ups_open_insert', 'AFTER INSERT ON deal_follow_ups')}
  ${refreshOpenDeal('NEW.deal_id', 'follow_ups_open_update', 'AFTER UPDATE ON deal_follow_ups')}
  ${openDealRow('SELECT id FROM deals')}
  `,
  // The leaders' weekly digest: one row per week it went out in, with what it said (the DMs render it).
  `
  CREATE TABLE weekly_digests (
    week TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  `,
  // Deal search, one row per text instead of one document per deal, so a write indexes only its own
  // text (src/store/search-index.ts). Every deal is indexed again in the background.
  `
  DROP TABLE deal_search;
  CREATE VIRTUAL TABLE deal_search_texts USING fts5 (terms, content = '', contentless_delete = 1, tokenize = 'ascii', prefix = '6');
  INSERT OR IGNORE INTO deal_search_backlog (deal_id) SELECT id FROM deals;
  `,
  localMonthsMigration,
  // Where the indexing of a waiting deal stopped (its last indexed timeline entry): a deal with
  // thousands of entries is indexed over several short batches.
  `
  ALTER TABLE deal_search_backlog ADD COLUMN indexed_up_to INTEGER NOT NULL DEFAULT 0;
  `,
  statsGroupsMigration,
  // The messages of tasks keyed by their primary key alone (WITHOUT ROWID): a rowid table stored the key
  // twice, in its rows and in the key's index. The old table's pages go back to the file system with
  // retention's incremental vacuum.
  `
  CREATE TABLE task_messages_by_key (
    deal_id INTEGER NOT NULL REFERENCES deals (id),
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    PRIMARY KEY (deal_id, kind, user_id)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO task_messages_by_key (deal_id, kind, user_id, channel, ts)
    SELECT deal_id, kind, user_id, channel, ts FROM task_messages;
  DROP TABLE task_messages;
  ALTER TABLE task_messages_by_key RENAME TO task_messages;
  `,
  // The search index without its one-character prefix index (44% of it) and with rowids numbered within
  // each deal (search-texts.ts): a third of the size. Every deal is indexed again in the background.
  // A timeline entry's place in its deal (1 for the first) is kept as it is written; entries written
  // before have none (their places are counted when needed).
  `
  ALTER TABLE timeline ADD COLUMN place INTEGER;
  DROP TABLE deal_search_texts;
  CREATE VIRTUAL TABLE deal_search_texts USING fts5 (terms, content = '', contentless_delete = 1, tokenize = 'ascii');
  -- Segments are merged in bounded steps between requests (SearchIndex.mergeStep), not inside the
  -- commits; 64 new segments of one level are still merged at once (small ones: only if the steps lag).
  INSERT INTO deal_search_texts (deal_search_texts, rank) VALUES ('automerge', 0);
  INSERT INTO deal_search_texts (deal_search_texts, rank) VALUES ('crisismerge', 64);
  DELETE FROM deal_search_backlog;
  INSERT INTO deal_search_backlog (deal_id) SELECT id FROM deals;
  `,
  // FTS5 merges the search index's segments inside the commits again (its default): at a million
  // deals that costs a commit a few ms now and then, while merging in separate steps cost each step
  // tens of ms.
  `
  INSERT INTO deal_search_texts (deal_search_texts, rank) VALUES ('automerge', 4);
  INSERT INTO deal_search_texts (deal_search_texts, rank) VALUES ('crisismerge', 16);
  `,
  // The search index moves to a database file of its own (search-file.ts), written by a worker thread:
  // its merges took up to hundreds of ms inside the bot's commits at a million deals. A write now puts its
  // text in deal_search_pending, and in deal_search_recent for searches to read until the worker has
  // moved it (search-pending.js). deal_search_file names this database, so that an index file made
  // for another one (or before a restore) is recognised and built again. Every deal is indexed again.
  `
  DROP TABLE deal_search_texts;
  CREATE TABLE deal_search_pending (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key INTEGER NOT NULL UNIQUE,
    terms TEXT NOT NULL
  ) STRICT;
  CREATE VIRTUAL TABLE deal_search_recent USING fts5 (terms, content = '', contentless_delete = 1, tokenize = 'ascii');
  CREATE TABLE deal_search_file (identity TEXT NOT NULL) STRICT;
  INSERT INTO deal_search_file (identity) VALUES (lower(hex(randomblob(16))));
  DELETE FROM deal_search_backlog;
  INSERT INTO deal_search_backlog (deal_id) SELECT id FROM deals;
  `,
  // Retention keeps the delivered rows that an undelivered failure notice still reads: without an index
  // the search for those notices read the whole outbox (132 ms at a million deals, seconds when cold).
  `
  CREATE INDEX outbox_failure_notices ON outbox (id) WHERE state IN ('pending', 'failed') AND kind = 'report_delivery_failure';
  `,
  // Searches read the few pending texts themselves (pending-match.ts): an FTS5 table of them cost every
  // write a second index and its commit.
  `
  DROP TABLE deal_search_recent;
  `,
  // A new entry's place follows the deal's last entry's: with the place in the index, reading it costs no
  // visit to the entry's row (a page of its own at a million deals, read for every entry written).
  `
  DROP INDEX timeline_by_deal;
  CREATE INDEX timeline_by_deal ON timeline (deal_id, id, place);
  `,
  // Every App Home shows how many deals wait for a leader's advice, read once per change: counted through
  // the index by assignee, each task's row was read for its kind (22 ms at a million deals).
  `
  CREATE INDEX tasks_advice_waiting ON tasks (due_on, id) WHERE state = 'open' AND kind = 'advice' AND assignee_id IS NULL;
  `,
  // A deal's 顧客名 is marked in its text in the search index, with the name's number (customer-names.ts):
  // a customer's name found the deals of every name sharing its rarer pairs (株式会社X and 有限会社X),
  // each read to be checked. The index file is built again for it.
  `
  CREATE TABLE customer_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE) STRICT;
  UPDATE deal_search_file SET identity = lower(hex(randomblob(16)));
  DELETE FROM deal_search_pending;
  DELETE FROM deal_search_backlog;
  INSERT INTO deal_search_backlog (deal_id) SELECT id FROM deals;
  `,
  // Runs of ASCII (product codes, numbers) are indexed by their suffixes too (search-terms.ts): a code's
  // pairs are each common, and its phrase took 30 ms at a million deals. The index file is built again.
  `
  UPDATE deal_search_file SET identity = lower(hex(randomblob(16)));
  DELETE FROM deal_search_pending;
  DELETE FROM deal_search_backlog;
  INSERT INTO deal_search_backlog (deal_id) SELECT id FROM deals;
  `,
  // A search with 期間 reads the period's deals newest first from the index of its date, and checks the
  // other filters there (periodSql): with one column the index held, the search read every deal's row
  // of the other filter's index instead (0.5–2.6 s at a million deals for a month of 製造業).
  `
  DROP INDEX deals_by_reported;
  CREATE INDEX deals_by_reported ON deals (reported_at, status, industry, company_size, owner_id);
  DROP INDEX deals_by_closed;
  CREATE INDEX deals_by_closed ON deals (closed_at, status, industry, company_size, owner_id) WHERE closed_at IS NOT NULL;
  `,
  // A search by 業種 or 会社規模 alone reads its newest deals in order: through deals_by_segment it sorted
  // every deal of the 業種 first (30–116 ms at a million deals).
  `
  CREATE INDEX deals_by_industry ON deals (industry, id);
  CREATE INDEX deals_by_size ON deals (company_size, id);
  `,
];
