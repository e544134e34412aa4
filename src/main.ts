import type { Logger } from '@slack/bolt';
import { createApp } from './app.js';
import { ConfigError, configFromProcessEnv } from './config.js';
import { resolveIdentity } from './identity.js';
import { upgradeStorage } from './jobs/retention.js';
import { scheduleJobs } from './jobs/schedule.js';
import { openStore, type Store } from './store/index.js';
import { type Checkpointer, startCheckpointer } from './workers/checkpoints.js';
import { type PendingMover, startPendingMover } from './workers/search-pending.js';

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
  // Before start-up, so that the background indexing never moves the pending texts on the bot's thread.
  const pendingMover = startSearchIndexWrites(store, config.databasePath, anken.app.logger);
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
  checkpointer = startWalCheckpoints(store, config.databasePath, anken.app.logger);
  stopJobs = scheduleJobs(anken, config.timeZone, anken.app.logger);
  const caughtUp = await anken.catchUpMissedJobs();
  if (caughtUp.length > 0) anken.app.logger.info(`anken: ran missed jobs ${caughtUp.join(', ')}`);
  const mode = config.slackAppToken ? 'Socket Mode' : `HTTP mode on port ${config.port} (POST /slack/events)`;
  anken.app.logger.info(`anken is running in ${mode}; database ${config.databasePath}`);
}

/** WAL checkpoints move to a worker thread; if it ever stops, the bot's connection takes them back. */
function startWalCheckpoints(store: Store, path: string, logger: Logger): Checkpointer | undefined {
  if (store.db.memory) return undefined;
  store.checkpointsHere(false);
  return startCheckpointer({ path, logger, onStopped: () => store.checkpointsHere(true) });
}

/** The search index proper is written by a worker thread; if it ever stops, the bot's thread writes it. */
function startSearchIndexWrites(store: Store, path: string, logger: Logger): PendingMover | undefined {
  if (store.db.memory) return undefined;
  store.movePendingHere(false);
  return startPendingMover({ path, logger, onStopped: () => store.movePendingHere(true) });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`${error.message}\n.env.example を参考に、環境変数か .env ファイルで設定してください。`);
  } else {
    console.error('anken could not start:', error);
  }
  process.exit(1);
});
