import type { Logger } from '@slack/bolt';
import { createApp } from './app.js';
import { ConfigError, configFromProcessEnv } from './config.js';
import { resolveIdentity } from './identity.js';
import { upgradeStorage } from './jobs/retention.js';
import { scheduleJobs } from './jobs/schedule.js';
import { openStore, type Store } from './store/index.js';
import { type Checkpointer, startCheckpointer } from './workers/checkpoints.js';
import type { DatabaseWorkerDeps } from './workers/periodic-worker.js';
import { startPendingMover } from './workers/search-pending.js';

async function main(): Promise<void> {
  const config = configFromProcessEnv();
  const store = openStore(config.databasePath);
  const identity = await resolveIdentity(config);
  const anken = createApp({ config, store, identity });
  if (store.stats.keepMonthsIn(config.timeZone)) {
    anken.app.logger.info(`anken: the analysis now counts months in ${config.timeZone}`);
  }
  await upgradeStorage(
    { db: store.db, retention: store.retention, retentionDays: config.retentionDays, logger: anken.app.logger },
    new Date(),
  );
  // Listened for before start-up finishes, so that a SIGTERM during it still stops cleanly.
  let stopJobs: () => Promise<void> = async () => undefined;
  let checkpointer: Checkpointer | undefined;
  // The search index proper is written by a worker thread; before start-up, so that the background
  // indexing never moves the pending texts on the bot's thread.
  const pendingMover = offThread(store, anken.app.logger, store.movePendingHere, startPendingMover);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    anken.app.logger.info(`anken: ${signal} received, shutting down`);
    try {
      await stopJobs();
      await anken.stop();
      await checkpointer?.stop();
      await pendingMover?.stop();
    } catch (error) {
      anken.app.logger.warn('anken: stopped before start-up had finished', error);
    }
    store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await anken.start();
  // WAL checkpoints: a commit that crosses the WAL's limit would otherwise copy pages inside a request.
  checkpointer = offThread(store, anken.app.logger, store.checkpointsHere, startCheckpointer);
  stopJobs = scheduleJobs(anken, config.timeZone, anken.app.logger);
  const caughtUp = await anken.catchUpMissedJobs();
  if (caughtUp.length > 0) anken.app.logger.info(`anken: ran missed jobs ${caughtUp.join(', ')}`);
  const mode = config.slackAppToken ? 'Socket Mode' : `HTTP mode on port ${config.port} (POST /slack/events)`;
  anken.app.logger.info(`anken is running in ${mode}; database ${config.databasePath}`);
}

/**
 * Hands work of the bot's connection to a worker thread over the same file (`handBack(false)`); if the
 * worker ever stops, the bot's thread takes the work back. An in-memory database has no file to share.
 */
function offThread<Worker>(
  store: Store,
  logger: Logger,
  handBack: (here: boolean) => void,
  start: (deps: DatabaseWorkerDeps) => Worker,
): Worker | undefined {
  if (store.db.memory) return undefined;
  handBack(false);
  return start({ path: store.db.name, logger, onStopped: () => handBack(true) });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`${error.message}\n.env.example を参考に、環境変数か .env ファイルで設定してください。`);
  } else {
    console.error('anken could not start:', error);
  }
  process.exit(1);
});
