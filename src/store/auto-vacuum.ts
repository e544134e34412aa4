import { statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import type { Db } from './db.js';

/** Bytes free for an unprivileged process on the file system holding `dir`. */
export function freeBytesAt(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

export function usesIncrementalVacuum(db: Db): boolean {
  return db.pragma('auto_vacuum', { simple: true }) === 2;
}

export type VacuumConversion =
  | { converted: true; bytesBefore: number; bytesAfter: number }
  | { converted: false; reason: 'already' | 'memory' }
  | { converted: false; reason: 'disk_space'; neededBytes: number; freeBytes: number };

const MARGIN_BYTES = 64 * 2 ** 20;

/**
 * A file made before incremental auto-vacuum is converted once with VACUUM, which rewrites it whole:
 * SQLite builds the new file in a temporary file and then writes it through the -wal, so the file's
 * live content is needed twice over in free space. Without it nothing is changed (deleted rows'
 * pages are still reused; the file just does not shrink) and the next start tries again. VACUUM is
 * one transaction: a crash half-way leaves the file as it was.
 */
export function convertToIncrementalVacuum(db: Db, freeBytes: (dir: string) => number = freeBytesAt): VacuumConversion {
  if (usesIncrementalVacuum(db)) return { converted: false, reason: 'already' };
  if (db.memory) return { converted: false, reason: 'memory' };
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const live = (pages - free) * pageSize;
  const dbDir = dirname(db.name);
  const sameDisk = statSync(dbDir).dev === statSync(tmpdir()).dev;
  const checks = sameDisk
    ? [{ dir: dbDir, need: 2 * live + MARGIN_BYTES }]
    : [
        { dir: dbDir, need: live + MARGIN_BYTES },
        { dir: tmpdir(), need: live + MARGIN_BYTES },
      ];
  for (const check of checks) {
    const available = freeBytes(check.dir);
    if (available < check.need) {
      return { converted: false, reason: 'disk_space', neededBytes: check.need, freeBytes: available };
    }
  }
  const bytesBefore = pages * pageSize;
  db.pragma('auto_vacuum = INCREMENTAL');
  db.exec('VACUUM');
  db.pragma('main.wal_checkpoint(TRUNCATE)');
  const bytesAfter = (db.pragma('page_count', { simple: true }) as number) * pageSize;
  return { converted: true, bytesBefore, bytesAfter };
}
