import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/db.js';
import { createDealQueries } from '../../src/store/deal-queries.js';
import { migrations } from '../../src/store/migrations.js';

const T0 = '2026-11-02T00:30:00.000Z';
const databases: Database.Database[] = [];
afterEach(() => {
  for (const db of databases.splice(0)) db.close();
});

/** A database as it was before task_messages became WITHOUT ROWID, with some deals and their task messages. */
function beforeTheStep(): Database.Database {
  const db = new Database(':memory:');
  databases.push(db);
  db.pragma('foreign_keys = ON');
  const step = migrations.findIndex((sql) => sql.includes('CREATE TABLE task_messages_by_key'));
  expect(step).toBeGreaterThan(0);
  for (const [index, sql] of migrations.slice(0, step).entries()) {
    db.exec(sql);
    db.pragma(`user_version = ${index + 1}`);
  }
  const deal = db.prepare(
    `INSERT INTO deals (status, customer, title, owner_id, reporter_id, created_at) VALUES ('negotiating', ?, '保守更改', 'U0REP01', 'U0REP01', ?)`,
  );
  const message = db.prepare('INSERT INTO task_messages (deal_id, kind, user_id, channel, ts) VALUES (?, ?, ?, ?, ?)');
  for (let id = 1; id <= 30; id += 1) {
    deal.run(`顧客${id}`, T0);
    message.run(id, 'report', 'U0REP01', 'DU0REP01', `1700000000.${id}01`);
    message.run(id, 'progress', 'U0REP01', 'DU0REP01', `1700000000.${id}02`);
    for (const leader of ['U0LEAD1', 'U0LEAD2', 'U0LEAD3']) {
      message.run(id, 'advice', leader, `D${leader}`, `1700000000.${id}0${leader.at(-1)}`);
    }
  }
  return db;
}

const everyRow = (db: Database.Database) =>
  db.prepare('SELECT deal_id, kind, user_id, channel, ts FROM task_messages ORDER BY deal_id, kind, user_id').all();

describe('task_messages keyed by its primary key alone', () => {
  it('keeps every row, and its key stays unique, when an existing file is migrated', () => {
    const db = beforeTheStep();
    const before = everyRow(db);
    expect(before).toHaveLength(150);
    expect(
      db.prepare(`SELECT name FROM sqlite_schema WHERE tbl_name = 'task_messages' AND type = 'index'`).all(),
    ).toEqual([{ name: 'sqlite_autoindex_task_messages_1' }]);

    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(everyRow(db)).toEqual(before);
    // No rowid, and no second copy of the key in an index.
    expect(() => db.prepare('SELECT rowid FROM task_messages').all()).toThrow(/no such column: rowid/);
    expect(
      db.prepare(`SELECT name FROM sqlite_schema WHERE tbl_name = 'task_messages' AND type = 'index'`).all(),
    ).toEqual([]);
    expect(() =>
      db
        .prepare('INSERT INTO task_messages (deal_id, kind, user_id, channel, ts) VALUES (?, ?, ?, ?, ?)')
        .run(3, 'advice', 'U0LEAD2', 'DU0LEAD2', '1800000000.000001'),
    ).toThrow(/UNIQUE constraint failed/);
    // Its deal must still exist.
    expect(() =>
      db
        .prepare('INSERT INTO task_messages (deal_id, kind, user_id, channel, ts) VALUES (?, ?, ?, ?, ?)')
        .run(999, 'advice', 'U0LEAD2', 'DU0LEAD2', '1800000000.000001'),
    ).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('is read and written through its key: a message is found, and saving it again replaces it', () => {
    const db = beforeTheStep();
    migrate(db);
    const queries = createDealQueries(db);
    expect(queries.taskMessage(7, 'advice', 'U0LEAD3')).toEqual({ channel: 'DU0LEAD3', ts: '1700000000.703' });
    queries.saveTaskMessage(7, 'advice', 'U0LEAD3', { channel: 'DU0LEAD3', ts: '1800000000.000007' });
    queries.saveTaskMessage(1, 'progress', 'U0REP02', { channel: 'DU0REP02', ts: '1800000000.000008' });
    expect(queries.taskMessage(7, 'advice', 'U0LEAD3')).toEqual({ channel: 'DU0LEAD3', ts: '1800000000.000007' });
    expect(queries.taskMessage(1, 'progress', 'U0REP02')).toEqual({ channel: 'DU0REP02', ts: '1800000000.000008' });
    expect(everyRow(db)).toHaveLength(151);
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT channel, ts FROM task_messages WHERE deal_id = ? AND kind = ? AND user_id = ?',
      )
      .all(7, 'advice', 'U0LEAD3') as { detail: string }[];
    expect(plan.map((row) => row.detail)).toEqual([
      'SEARCH task_messages USING PRIMARY KEY (deal_id=? AND kind=? AND user_id=?)',
    ]);
  });
});
