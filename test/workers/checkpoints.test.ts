/**
 * WAL checkpoints run in a worker thread: the bot's connection never copies the WAL into the database
 * file inside a commit, the WAL is still copied and reused, and if the worker stops the bot's connection
 * checkpoints again.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { type Checkpointer, startCheckpointer } from '../../src/workers/checkpoints.js';
import { silentLogger } from '../support/silent-logger.js';

let dir: string;
let path: string;
let store: Store;
let checkpointer: Checkpointer | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'anken-checkpoint-'));
  path = join(dir, 'anken.db');
  store = openStore(path);
  store.db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
});

afterEach(async () => {
  await checkpointer?.stop();
  checkpointer = undefined;
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const autocheckpoint = () => store.db.pragma('wal_autocheckpoint', { simple: true });
const walBytes = () => statSync(`${path}-wal`).size;

/** About 4 MB of commits, one row each: well past the 1,000 pages after which SQLite checkpoints in a commit. */
function writeMany(): void {
  const insert = store.db.prepare('INSERT INTO filler (text) VALUES (?)');
  for (let i = 0; i < 1_000; i += 1) insert.run('案件'.repeat(2_000));
}

function start(onStopped = () => store.checkpointsHere(true)): Checkpointer {
  store.checkpointsHere(false);
  checkpointer = startCheckpointer({ path, logger: silentLogger, onStopped, everyMs: 60_000 });
  return checkpointer;
}

describe('WAL checkpoints in a worker', () => {
  it('leaves the bot connection without checkpoints, and copies the whole WAL when asked', async () => {
    const worker = start();
    expect(autocheckpoint()).toBe(0);
    writeMany();
    const result = await worker.checkpoint();
    expect(result?.walFrames).toBeGreaterThan(1_000);
    expect(result?.checkpointedFrames).toBe(result?.walFrames);
    expect(result?.busy).toBe(0);
  });

  it('keeps the WAL from growing: after each checkpoint the next writes reuse it', async () => {
    const worker = start();
    writeMany();
    await worker.checkpoint();
    const afterFirst = walBytes();
    for (let round = 0; round < 3; round += 1) {
      writeMany();
      await worker.checkpoint();
    }
    expect(walBytes()).toBeLessThanOrEqual(afterFirst * 1.1);
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM filler').get() as { n: number }).n).toBe(4_000);
  });

  it('gives checkpoints back to the bot connection once the worker has stopped', async () => {
    const worker = start();
    expect(autocheckpoint()).toBe(0);
    await worker.stop();
    expect(autocheckpoint()).toBe(1_000);
    expect(await worker.checkpoint()).toBeNull();
  });

  it('gives them back too when the worker cannot run (the file is gone)', async () => {
    let stopped = false;
    store.checkpointsHere(false);
    checkpointer = startCheckpointer({
      path: join(dir, 'missing.db'),
      logger: silentLogger,
      onStopped: () => {
        stopped = true;
        store.checkpointsHere(true);
      },
    });
    await checkpointer.stop();
    expect(stopped).toBe(true);
    expect(autocheckpoint()).toBe(1_000);
  });
});
