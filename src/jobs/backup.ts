import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { backupInWorker, type WorkerBackup } from '../workers/backup.js';

export interface BackupDeps {
  /** The live database file. */
  databasePath: string;
  dir: string;
  keep: number;
}

export interface BackupResult extends WorkerBackup {
  path: string;
}

const BACKUP_NAME = /^anken-\d{8}-\d{6}\.db$/;

/** anken-20261127-030000.db: names sort by time. */
function backupName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `anken-${stamp}.db`;
}

/**
 * An online backup (SQLite's backup API: consistent while the bot keeps writing), made in a worker
 * thread with its own connection so the event loop keeps answering Slack; then only the newest `keep`
 * backups are kept.
 */
export async function backupDatabase(deps: BackupDeps, now: Date): Promise<BackupResult> {
  mkdirSync(deps.dir, { recursive: true });
  const path = join(deps.dir, backupName(now));
  // Written under another name and renamed when complete: a crash mid-way never leaves a file that
  // looks like a backup (it would be empty) to be restored or counted among the kept ones.
  const partial = `${path}.partial`;
  let copy: WorkerBackup;
  try {
    copy = await backupInWorker(deps.databasePath, partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, path);
  const backups = readdirSync(deps.dir)
    .filter((name) => BACKUP_NAME.test(name))
    .sort();
  for (const old of backups.slice(0, Math.max(backups.length - deps.keep, 0))) {
    rmSync(join(deps.dir, old), { force: true });
  }
  return { path, ...copy };
}
