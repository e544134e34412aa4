/**
 * Daily backups: an online copy of the live database, the newest BACKUP_KEEP kept, and the one-line
 * restore documented in README.md (run exactly as written).
 */
import { execSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../src/jobs/backup.js';
import { openStore, type Store } from '../../src/store/index.js';
import { todayIn } from '../../src/workflow/dates.js';
import { createDealProcess, type DealProcess } from '../../src/workflow/deal-process.js';
import type { Actor } from '../../src/workflow/types.js';
import { reportValues, runCommand, submit } from '../support/flows.js';
import { type Harness, startHarness } from '../support/harness.js';
import { sampleReport } from '../support/samples.js';

const TEAM = 'T0TEAM';
const REP = 'U0REP01';
const LEADER = 'U0LEAD1';
const BACKUP_NAME = /^anken-\d{8}-\d{6}\.db$/;
/** Enough deals that the copy is still under way while the bot writes and a crash is staged. */
const DEALS = 300;

const actor = (userId: string): Actor => ({ userId, teamId: TEAM, isBot: false, isGuest: false });

const cleanups: Array<() => void | Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'anken-backup-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

interface BotDatabase {
  store: Store;
  process: DealProcess;
  path: string;
  /** Reports a deal as a rep would (one transaction: deal, timeline, tasks, outbox); returns its id. */
  report(customer?: string): number;
}

/** The bot's database at <root>/data/anken.db (the default DATABASE_PATH), with the real deal process writing to it. */
function openBotDatabase(root: string): BotDatabase {
  const path = join(root, 'data', 'anken.db');
  const store = openStore(path);
  cleanups.push(() => {
    if (store.db.open) store.close();
  });
  const process = createDealProcess({
    repo: store.deals,
    roles: { workspaceTeamId: TEAM, leaderIds: [LEADER], adminIds: [LEADER] },
    timeZone: 'Asia/Tokyo',
    now: () => new Date(),
    onEffects: () => {},
  });
  let reported = 0;
  const report = (customer = `顧客${reported + 1}`) => reportDeal(process, `V${++reported}`, customer);
  return { store, process, path, report };
}

function reportDeal(process: DealProcess, idempotencyKey: string, customer: string): number {
  return process.reportDeal({
    actor: actor(REP),
    idempotencyKey,
    report: sampleReport({
      customer,
      description: `老朽化した基幹システムの更改。${'競合は2社。'.repeat(400)}`,
      ownerId: REP,
    }),
  }).deal.id;
}

function readOnly(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  cleanups.push(() => {
    if (db.open) db.close();
  });
  return db;
}

const count = (db: Database.Database, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

/** The restore command under "### Backups" in README.md, for this backup file. */
function documentedRestoreCommand(backupFile: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^### Backups\s*$/m)[1]?.split(/^#{2,3} /m)[0] ?? '';
  const command = section.split('\n').find((line) => line.startsWith('rm -f ') && line.includes(' && cp '));
  if (!command) throw new Error('README.md: no one-line restore command (rm -f … && cp …) under "### Backups"');
  expect(command).toMatch(/ cp \S*anken-\d{8}-\d{6}\.db /);
  return command.replace(/anken-\d{8}-\d{6}\.db/, backupFile);
}

describe('backupDatabase', () => {
  it('takes a consistent copy of the live database while the bot keeps writing to it', async () => {
    const root = tempRoot();
    const { store, path, report } = openBotDatabase(root);
    for (let i = 0; i < DEALS; i += 1) report();
    const before = count(store.db, 'SELECT COUNT(*) AS n FROM deals');
    const dir = join(root, 'data', 'backups');

    // The bot goes on writing (one deal per turn of the event loop) until the backup is done.
    let finished = false;
    const backup = backupDatabase({ databasePath: path, dir, keep: 14 }, new Date('2030-01-01T03:00:00Z')).finally(
      () => {
        finished = true;
      },
    );
    let writesDuring = 0;
    while (!finished) {
      report();
      writesDuring += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await backup;
    const after = count(store.db, 'SELECT COUNT(*) AS n FROM deals');
    // The copy was made by a worker thread with its own connection, and the main thread went on
    // committing deals meanwhile: the event loop was never held by the copy.
    expect(result.threadId).not.toBe(threadId);
    expect(result.threadId).toBeGreaterThan(0);
    expect(writesDuring).toBeGreaterThan(3);
    expect(result.path).toBe(join(dir, 'anken-20300101-030000.db'));
    expect(result.pages).toBeGreaterThan(0);

    const copy = readOnly(result.path);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.pragma('user_version', { simple: true })).toBe(store.db.pragma('user_version', { simple: true }));
    const deals = count(copy, 'SELECT COUNT(*) AS n FROM deals');
    expect(deals).toBeGreaterThanOrEqual(before);
    expect(deals).toBeLessThanOrEqual(after);
    // Every deal in the copy came with everything its report wrote in the same transaction.
    expect(count(copy, `SELECT COUNT(*) AS n FROM timeline WHERE kind = 'report'`)).toBe(deals);
    expect(count(copy, 'SELECT COUNT(*) AS n FROM tasks')).toBe(2 * deals);
    expect(count(copy, 'SELECT COUNT(*) AS n FROM handled_requests')).toBe(deals);
    expect(count(copy, `SELECT COUNT(*) AS n FROM outbox WHERE kind = 'post_card'`)).toBe(deals);
    expect(count(copy, 'SELECT MAX(id) AS n FROM deals')).toBe(deals);

    // The copy opens as the bot's database and holds the deals as they were.
    const restoredPath = join(root, 'restored', 'anken.db');
    mkdirSync(join(root, 'restored'));
    cpSync(result.path, restoredPath);
    const restored = openStore(restoredPath);
    cleanups.push(() => restored.close());
    expect(restored.queries.getDeal(1)).toMatchObject({ customer: '顧客1', amount: 12_000_000, status: 'negotiating' });
    expect(restored.queries.latestTask(deals, 'progress')).toMatchObject({ state: 'open', assigneeId: REP });
  });

  it('leaves nothing that looks like a finished backup when the bot dies half-way through one', async () => {
    const root = tempRoot();
    const { path, report } = openBotDatabase(root);
    for (let i = 0; i < DEALS; i += 1) report();
    const dir = join(root, 'data', 'backups');
    mkdirSync(dir, { recursive: true });

    let finished = false;
    const backup = backupDatabase({ databasePath: path, dir, keep: 14 }, new Date('2030-01-02T03:00:00Z')).finally(
      () => {
        finished = true;
      },
    );
    // What a crash (kill -9, power loss) leaves on disk while the copy is being written.
    while (readdirSync(dir).length === 0 && !finished) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished, 'the backup should still be under way').toBe(false);
    const leftAfterCrash = join(root, 'after-crash');
    cpSync(dir, leftAfterCrash, { recursive: true });
    await backup;

    expect(readdirSync(leftAfterCrash).length).toBeGreaterThan(0);
    // Whatever carries a backup's name must be a whole backup: admins restore the newest one.
    for (const name of readdirSync(leftAfterCrash).filter((file) => BACKUP_NAME.test(file))) {
      const db = readOnly(join(leftAfterCrash, name));
      const deals = (() => {
        try {
          return count(db, 'SELECT COUNT(*) AS n FROM deals');
        } catch (error) {
          return String(error);
        }
      })();
      expect(deals, `${name} is not a whole backup`).toBe(DEALS);
    }
    // And the finished backup is there under its name.
    expect(readdirSync(dir)).toEqual(['anken-20300102-030000.db']);
  });
});

describe('the backup job', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('keeps only the newest BACKUP_KEEP (14) backups and nothing else in the folder is touched', async () => {
    const dir = join(tempRoot(), 'backups');
    mkdirSync(dir);
    writeFileSync(join(dir, 'README.txt'), 'backups of anken');
    writeFileSync(join(dir, 'anken-before-migration.db'), 'kept by hand');
    h = await startHarness({ env: { BACKUP_DIR: dir } });
    expect(h.config).toMatchObject({ backupKeep: 14, backupSchedule: '0 3 * * *' });
    const { view } = await runCommand(h, REP);
    await submit(h, REP, view!, reportValues({ customer: '株式会社サンプル' }, REP));
    const job = h.anken.jobs.find((candidate) => candidate.name === 'backup');
    if (!job) throw new Error('no backup job');

    const runs = Array.from({ length: 20 }, (_, day) => new Date(Date.UTC(2030, 0, day + 1, 18, 0, 0)));
    const paths: unknown[] = [];
    for (const at of runs) paths.push(await job.run(at));

    const expected = runs.slice(-14).map((at) => `anken-${at.toISOString().slice(0, 10).replace(/-/g, '')}-180000.db`);
    expect(readdirSync(dir).filter((name) => BACKUP_NAME.test(name))).toEqual(expected);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['README.txt', 'anken-before-migration.db']));
    expect(readdirSync(dir)).toHaveLength(16);
    expect(paths.at(-1)).toMatchObject({ path: join(dir, expected.at(-1)!) });
    const newest = readOnly(join(dir, expected.at(-1)!));
    expect(newest.prepare('SELECT customer FROM deals').all()).toEqual([{ customer: '株式会社サンプル' }]);
  });
});

describe('restoring a backup', () => {
  /**
   * State A (one deal, 商談中) is backed up; then state B (that deal won, a second deal). The bot is
   * stopped: cleanly in <root>, by a crash in <crashed> (its files copied as a crash leaves them).
   */
  async function backedUpThenChanged() {
    const root = tempRoot();
    const { store, process, path, report } = openBotDatabase(root);
    // Keep later writes in the -wal file, as they are between checkpoints when a crash comes.
    store.db.pragma('wal_autocheckpoint = 0');
    const first = report('株式会社サンプル');
    const { path: backupPath } = await backupDatabase(
      { databasePath: path, dir: join(root, 'data', 'backups'), keep: 14 },
      new Date('2030-01-03T18:00:00Z'),
    );
    process.recordProgress({
      actor: actor(REP),
      dealId: first,
      idempotencyKey: 'V-won',
      entry: {
        status: 'won',
        activityType: null,
        activityDate: todayIn('Asia/Tokyo', new Date()),
        amount: 11_500_000,
        content: '正式発注をいただきました。',
        nextAction: null,
        nextActionDue: null,
        lossReason: null,
        lossDetail: null,
      },
    });
    report('東和物産');

    const crashed = tempRoot();
    cpSync(join(root, 'data'), join(crashed, 'data'), { recursive: true });
    const withStaleWal = tempRoot();
    cpSync(join(root, 'data'), join(withStaleWal, 'data'), { recursive: true });
    store.close();
    return { root, crashed, withStaleWal, path, backupFile: backupPath.split('/').at(-1)! };
  }

  /** What the bot will see after it starts on the restored file. */
  function stateAt(root: string): unknown {
    let store: Store | undefined;
    try {
      store = openStore(join(root, 'data', 'anken.db'));
      return {
        deals: store.db.prepare('SELECT id, customer, status FROM deals ORDER BY id').all(),
        integrity: store.db.pragma('integrity_check', { simple: true }),
      };
    } catch (error) {
      return { unreadable: String(error) };
    } finally {
      store?.close();
    }
  }

  const backedUpState = {
    deals: [{ id: 1, customer: '株式会社サンプル', status: 'negotiating' }],
    integrity: 'ok',
  };

  it('brings back the backed-up state with the one-line command in README.md, after a clean stop', async () => {
    const { root, backupFile } = await backedUpThenChanged();
    // A clean stop leaves no -wal/-shm beside the database (nor beside its search index).
    expect(readdirSync(join(root, 'data')).sort()).toEqual(['anken.db', 'anken.db-search', 'backups']);
    expect(stateAt(root)).not.toEqual(backedUpState);
    // stateAt opened and closed the database: still nothing beside it.
    expect(existsSync(join(root, 'data', 'anken.db-wal'))).toBe(false);

    execSync(documentedRestoreCommand(backupFile), { cwd: root, stdio: 'pipe' });
    expect(stateAt(root)).toEqual(backedUpState);
  });

  it('brings back the backed-up state after a crash too, because it removes the stale -wal first', async () => {
    const { crashed, withStaleWal, backupFile } = await backedUpThenChanged();
    expect(readdirSync(join(crashed, 'data')).sort()).toEqual([
      'anken.db',
      'anken.db-search',
      'anken.db-search-shm',
      'anken.db-search-wal',
      'anken.db-shm',
      'anken.db-wal',
      'backups',
    ]);

    // Copying the backup alone is not enough: SQLite replays the -wal left by the crash over it.
    execSync(`cp data/backups/${backupFile} data/anken.db`, { cwd: withStaleWal, stdio: 'pipe' });
    expect(stateAt(withStaleWal)).not.toEqual(backedUpState);

    execSync(documentedRestoreCommand(backupFile), { cwd: crashed, stdio: 'pipe' });
    expect(stateAt(crashed)).toEqual(backedUpState);
  });
});
