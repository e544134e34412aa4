/**
 * Reading ahead for retention happens in a worker thread with its own read-only connection: it reads the
 * rows of the next batch, the file's pointer map, and the file's last pages, and never changes anything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSyntheticData } from '../../src/devtools/synthetic-history.js';
import { openStore, type Store } from '../../src/store/index.js';
import { RETENTION_READ_AHEAD } from '../../src/store/retention-store.js';
import { type ReadAhead, startReadAhead } from '../../src/workers/read-ahead.js';
import { silentLogger } from '../support/silent-logger.js';

let dir: string;
let store: Store;
let reader: ReadAhead;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'anken-read-ahead-'));
  store = openStore(join(dir, 'anken.db'));
  generateSyntheticData(store.db, { deals: 60, heavyDealEntries: 0, outboxPerDeal: 43, until: '2026-11-30T00:00:00Z' });
  reader = startReadAhead({ path: store.db.name, queries: RETENTION_READ_AHEAD, logger: silentLogger });
});

afterEach(async () => {
  await reader.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const pageCount = () => store.db.pragma('page_count', { simple: true }) as number;

describe('reading ahead for retention', () => {
  it('reads the rows of the next batch in a worker thread, by the same window the batch uses', async () => {
    const ids = store.db.prepare('SELECT id FROM outbox ORDER BY id LIMIT 31').pluck().all() as number[];
    const outbox = await reader.read({ query: 'outbox', params: [ids[0], 30] });
    expect(outbox?.threadId).toBeGreaterThan(0);
    expect(outbox?.row).toMatchObject({ n: 30 });
    const handled = await reader.read({ query: 'handled', params: [0, 25] });
    expect(handled?.row).toEqual({ n: 25 });
  });

  it('reads one page of the pointer map for each span of pages, and the last pages with their parents', async () => {
    const pointerMap = await reader.read({ pointerMap: true });
    // A 4 KiB pointer-map page holds the parents of the 819 pages after it.
    expect(pointerMap?.row).toEqual({ pages: Math.ceil((pageCount() - 1) / 820) });
    const tail = (await reader.read({ tail: 16 }))?.row as { pages: number };
    expect(tail.pages).toBeGreaterThanOrEqual(16);
    expect(tail.pages).toBeLessThanOrEqual(32);
  });

  it('answers nothing once stopped, so a job goes on without it', async () => {
    await reader.stop();
    expect(await reader.read({ tail: 4 })).toBeNull();
  });
});
