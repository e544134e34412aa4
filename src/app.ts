import type { Server } from 'node:http';
import { App, type CustomRoute, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { createApiRoutes } from './api/routes.js';
import type { Config, LogLevelName } from './config.js';
import { createEffectDelivery } from './delivery/deliver-effect.js';
import { createDispatcher, type Dispatcher } from './delivery/dispatcher.js';
import { createSharedHomeCache } from './delivery/home-facts.js';
import { createReports } from './delivery/reports.js';
import { createWebhookSender } from './delivery/webhook.js';
import { registerAdmin } from './handlers/admin.js';
import { registerAdviceModal } from './handlers/advice-modal.js';
import { type AfterAck, createAfterAck } from './handlers/after-ack.js';
import { registerAnalysis } from './handlers/analysis.js';
import { registerCardMenu } from './handlers/card-menu.js';
import { registerCommands } from './handlers/commands.js';
import type { HandlerDeps } from './handlers/deps.js';
import { registerDetailsModal } from './handlers/details-modal.js';
import { registerFollowUpButtons } from './handlers/follow-up-buttons.js';
import { registerHome } from './handlers/home.js';
import { registerMessageShortcut } from './handlers/message-shortcut.js';
import { registerProgressModal } from './handlers/progress-modal.js';
import { registerReportModal } from './handlers/report-modal.js';
import { createRoutes } from './handlers/routes.js';
import { registerSearch } from './handlers/search.js';
import { registerSettings } from './handlers/settings.js';
import { registerShortcuts } from './handlers/shortcuts.js';
import { registerSnooze } from './handlers/snooze.js';
import { registerThreadMessages } from './handlers/thread-messages.js';
import { type BotIdentity, webClientOptions } from './identity.js';
import { createJobRunner, type JobRunner } from './jobs/schedule.js';
import { scheduledJobs, tidySearchIndexOf } from './jobs/scheduled-jobs.js';
import { keepSearchIndex } from './jobs/search-backlog.js';
import { createPeople } from './people.js';
import { createAnswering } from './receivers/answering.js';
import { createSocketModeReceiver } from './receivers/socket-mode.js';
import type { Store } from './store/index.js';
import { createDealProcess, DEFAULT_PROGRESS_INTERVAL_DAYS } from './workflow/deal-process.js';
import { createDigests } from './workflow/digest.js';
import { createFollowUps } from './workflow/follow-ups.js';
import { createSettingsSource, liveRoles, type SettingsDefaults } from './workflow/settings.js';
import { createSettingsCommands } from './workflow/settings-commands.js';
import { createSystemCommands } from './workflow/system-commands.js';
import { createUnitOfWork, type WorkflowDeps } from './workflow/unit-of-work.js';

export interface AppDeps {
  config: Config;
  store: Store;
  identity: BotIdentity;
  now?: () => Date;
  /** First retry delay of the outbox and of a Socket Mode reconnect (default 1 s). */
  retryBaseMs?: number;
  /** How long a new Socket Mode connection may take to say hello (default 10 s). */
  helloTimeoutMs?: number;
}

/** Scheduled work (reminders, backups …), for main.ts to hand to node-cron and for tests to run on demand. */
export interface Anken extends JobRunner {
  app: App;
  dispatcher: Dispatcher;
  /** What requests do after their answer (modals, notices). */
  afterAck: AfterAck;
  /** Starts receiving Slack's requests and delivering the outbox; resolves with the HTTP server (both modes). */
  start(): Promise<Server>;
  stop(): Promise<void>;
  /** Resolves once every Socket Mode envelope received so far has been handled; at once in HTTP mode. */
  idle(): Promise<void>;
}

/** The longest a delivery a request committed waits for the requests being answered (a burst's answers go first). */
const DELIVERY_WAIT_MS = 1_000;

const logLevels: Record<LogLevelName, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

/** The environment's values are the settings' first defaults; what admins save in Slack wins over them. */
function settingsDefaults(config: Config): SettingsDefaults {
  return {
    leaderIds: config.leaderIds,
    adminIds: config.adminIds,
    salesChannelId: config.salesChannelId,
    tunables: {
      reminderSchedule: config.reminderSchedule,
      progressIntervalDays: DEFAULT_PROGRESS_INTERVAL_DAYS,
      ...config.chase,
    },
  };
}

export function createApp(deps: AppDeps): Anken {
  const { config, store, identity } = deps;
  const now = deps.now ?? (() => new Date());
  const socketMode = config.slackAppToken !== undefined;
  const settings = createSettingsSource(settingsDefaults(config), () => store.settings.stored());
  const roles = liveRoles(identity.teamId, settings);

  // Served on the HTTP port in both modes (in Socket Mode by our receiver, which has no Slack endpoint).
  const customRoutes: CustomRoute[] = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, pendingEffects: store.outbox.pendingCount() }));
      },
    },
    ...createApiRoutes({
      config,
      system: () => system,
      client: () => app.client,
      logger: () => app.logger,
      lists: () => settings().lists,
    }),
  ];
  const answering = createAnswering();
  const receiver = config.slackAppToken
    ? createSocketModeReceiver({
        answering,
        appToken: config.slackAppToken,
        slackApiUrl: config.slackApiUrl,
        port: config.port,
        customRoutes,
        ...(deps.retryBaseMs === undefined ? {} : { retryBaseMs: deps.retryBaseMs }),
        ...(deps.helloTimeoutMs === undefined ? {} : { helloTimeoutMs: deps.helloTimeoutMs }),
      })
    : undefined;

  const app: App = new App({
    token: config.slackBotToken,
    botId: identity.botId,
    botUserId: identity.botUserId,
    tokenVerificationEnabled: false,
    ...(receiver ? { receiver } : { signingSecret: config.slackSigningSecret, port: config.port, customRoutes }),
    // In HTTP mode, answer Slack only after the listener has committed (events are acked before it otherwise).
    processBeforeResponse: !socketMode,
    convoStore: false,
    logLevel: logLevels[config.logLevel],
    // A trigger_id lives 3 s: views.open gets one short try rather than a retry Slack would refuse anyway.
    clientOptions: { ...webClientOptions(config), retryConfig: { retries: 0 }, timeout: 2_500 },
  });
  const logger = app.logger;

  // The outbox retries on its own schedule and survives restarts, so its client never waits or retries inline.
  const deliveryClient = new WebClient(config.slackBotToken, {
    ...webClientOptions(config),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger,
  });
  const sharedHome = createSharedHomeCache(store);
  const workflowDeps: WorkflowDeps = {
    repo: store.deals,
    roles,
    settings,
    timeZone: config.timeZone,
    now,
    onEffects: () => {
      sharedHome.changed();
      dispatcher.kick();
    },
    webhookUrls: config.webhookUrls,
  };
  const stallRules = () => {
    const { adviceStaleHours, staleDays } = settings().tunables;
    return { adviceStaleHours, staleDays, timeZone: config.timeZone };
  };
  const unit = createUnitOfWork(workflowDeps);
  const dealProcess = createDealProcess(workflowDeps, unit);
  const system = createSystemCommands(workflowDeps, unit);
  const followUps = createFollowUps(
    { ...workflowDeps, stallRules, escalateAfter: () => settings().tunables.escalateAfter },
    unit,
  );
  const dispatcher = createDispatcher({
    outbox: store.outbox,
    onGiveUp: (item) => system.reportDeliveryFailure(item.id, item.effect.kind),
    ...(deps.retryBaseMs === undefined ? {} : { retryBaseMs: deps.retryBaseMs }),
    deliver: createEffectDelivery({
      client: deliveryClient,
      sendWebhook: createWebhookSender({ secret: config.webhookSecret ?? '', now }),
      store,
      sharedHome,
      roles,
      settings,
      timeZone: config.timeZone,
      now,
      stallRules,
    }),
    logger,
    now,
    giveWay: (look) => answering.afterAnswers(look, DELIVERY_WAIT_MS),
  });
  const reports = createReports({
    client: new WebClient(config.slackBotToken, { ...webClientOptions(config), retryConfig: { retries: 2 }, logger }),
    store,
    settings,
    databasePath: config.databasePath,
    timeZone: config.timeZone,
    now,
    logger,
  });
  const afterAck = createAfterAck(logger, answering);
  const handlerDeps: HandlerDeps = {
    process: dealProcess,
    system,
    followUps,
    queries: store.queries,
    search: store.search,
    reports,
    people: createPeople({ client: app.client, cache: store.users, logger, now }),
    afterAck,
    roles,
    settings,
    settingsCommands: createSettingsCommands({ workflow: workflowDeps, unit, store: store.settings, settings }),
    commandNames: config.commandNames,
    botUserId: identity.botUserId,
    workspaceUrl: identity.url ?? null,
    timeZone: config.timeZone,
    now,
    logger,
  };
  registerHandlers(app, handlerDeps);
  app.error(async (error) => {
    logger.error('anken: unhandled error in a listener', error);
    // Rethrown so the HTTP receiver answers 500 and Slack retries the event (nothing was committed).
    throw error;
  });

  const jobs = scheduledJobs({
    config,
    store,
    chase: { system, followUps, timeZone: config.timeZone },
    reminderSchedule: () => settings().tunables.reminderSchedule,
    digest: { digests: createDigests({ ...workflowDeps, digests: store.digests, stallRules }, unit) },
    digestSchedule: () => settings().tunables.digestSchedule,
    logger,
  });

  const indexing = new AbortController();
  let backlog: Promise<void> = Promise.resolve();

  return {
    app,
    dispatcher,
    afterAck,
    ...createJobRunner({ jobs, runs: store.jobRuns, timeZone: config.timeZone, now }),
    async start() {
      const server = (await (receiver ? receiver.start() : app.start(config.port))) as Server;
      answering.track(server);
      dispatcher.start();
      backlog = keepSearchIndex(store.searchIndex, {
        logger,
        signal: indexing.signal,
        movesHere: store.movesPendingHere,
        // A rare word's search plans by the pairs' counts: the first are taken once every deal is indexed.
        onComplete: () =>
          void tidySearchIndexOf(store).catch((error) => logger.warn('anken: the search index upkeep failed', error)),
      }).catch((error) => logger.error('anken: indexing deals for search failed', error));
      return server;
    },
    async stop() {
      indexing.abort();
      await app.stop();
      await afterAck.idle();
      await dispatcher.stop();
      await Promise.all([backlog, reports.idle()]);
    },
    idle: () => receiver?.idle() ?? Promise.resolve(),
  };
}

export function registerHandlers(app: App, deps: HandlerDeps): void {
  const routes = createRoutes();
  registerCommands(routes, deps);
  registerShortcuts(routes, deps);
  registerMessageShortcut(routes, deps);
  registerReportModal(routes, deps);
  registerProgressModal(routes, deps);
  registerAdviceModal(routes, deps);
  registerDetailsModal(routes, deps);
  registerThreadMessages(routes, deps);
  registerHome(routes, deps);
  registerAdmin(routes, deps);
  registerSettings(routes, deps);
  registerSearch(routes, deps);
  registerAnalysis(routes, deps);
  registerFollowUpButtons(routes, deps);
  registerSnooze(routes, deps);
  registerCardMenu(routes, deps);
  routes.mount(app);
}
