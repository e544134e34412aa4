import type { DigestRepository } from '../workflow/digest.js';
import type { DealRepository, SettingsRepository } from '../workflow/ports.js';
import { checkpointsHere, type Db, openDatabase } from './db.js';
import { createDealQueries, type DealQueries } from './deal-queries.js';
import { createDealRepository } from './deal-repository.js';
import { createDealSearch, type DealSearch } from './deal-search.js';
import { createDealStats, type DealStats } from './deal-stats.js';
import { createDigestStore } from './digest-store.js';
import { createJobRuns, type JobRuns } from './job-runs.js';
import { createOutboxStore, type OutboxStore } from './outbox-store.js';
import { createPipelineQueries, type PipelineQueries } from './pipeline-queries.js';
import { createRetentionStore, type RetentionStore } from './retention-store.js';
import { createSearchIndex, type SearchIndex } from './search-index.js';
import { createSettingsStore } from './settings-store.js';
import { createUserCache, type UserCache } from './user-cache.js';

export interface Store {
  db: Db;
  deals: DealRepository;
  queries: DealQueries;
  outbox: OutboxStore;
  users: UserCache;
  jobRuns: JobRuns;
  settings: SettingsRepository;
  retention: RetentionStore;
  searchIndex: SearchIndex;
  search: DealSearch;
  stats: DealStats;
  pipeline: PipelineQueries;
  digests: DigestRepository;
  /** Whether the bot's connection checkpoints the WAL itself (the default) or leaves it to the worker. */
  checkpointsHere(here: boolean): void;
  /** Whether the bot's thread moves the search index's pending texts (true until a worker does it). */
  movesPendingHere(): boolean;
  movePendingHere(here: boolean): void;
  close(): void;
}

export function openStore(path: string): Store {
  const db = openDatabase(path);
  const searchIndex = createSearchIndex(db);
  let pendingMovedHere = true;
  return {
    db,
    deals: createDealRepository(db, searchIndex),
    searchIndex,
    search: createDealSearch(db),
    stats: createDealStats(db),
    queries: createDealQueries(db),
    outbox: createOutboxStore(db),
    users: createUserCache(db),
    jobRuns: createJobRuns(db),
    settings: createSettingsStore(db),
    retention: createRetentionStore(db),
    pipeline: createPipelineQueries(db),
    digests: createDigestStore(db),
    checkpointsHere: (here) => checkpointsHere(db, here),
    movesPendingHere: () => pendingMovedHere,
    movePendingHere: (here) => {
      pendingMovedHere = here;
    },
    close: () => db.close(),
  };
}
