import { App, LogLevel } from '@slack/bolt';
import { type Anken, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createSharedHomeCache, HOME_LIST_FETCH, type SharedHomeCache } from '../../src/delivery/home-facts.js';
import { CALLBACK } from '../../src/ids.js';
import { buildHome } from '../../src/views/home.js';
import { todayIn } from '../../src/workflow/dates.js';
import type { PipelineBoard } from '../../src/workflow/pipeline-board.js';
import { type FormValues, progressValues, reportValues } from '../../test/support/flows.js';
import type { BenchCase, BenchContext } from '../support/runner.js';

/**
 * What a report or a close costs on the main thread before Slack gets its answer, through the real Bolt
 * app (HTTP mode holds the answer until the listener returns): Bolt's routing, reading the form, judging
 * the person (known, so from the cache), the commit and the confirmation. The deliveries it causes (the
 * card, the thread reply, every App Home) start after the answer and are not part of it.
 */

interface Answering {
  anken: Anken;
  sharedHome: SharedHomeCache;
}

const apps = new WeakMap<BenchContext, Answering>();

function answering(ctx: BenchContext): Answering {
  const known = apps.get(ctx);
  if (known) return known;
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    // Nothing is delivered (the dispatcher is stopped); an unreachable address keeps it so.
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    DATABASE_PATH: ctx.dataset.path,
    SALES_CHANNEL_ID: 'C0SALES',
    SALES_LEADER_IDS: ctx.dataset.leaders.join(','),
    LOG_LEVEL: 'error',
  });
  const teamId = ctx.actor('').teamId ?? '';
  const anken = createApp({
    config,
    store: ctx.store,
    identity: { teamId, botUserId: 'U0BOT', botId: 'B0BOT' },
    now: ctx.now,
  });
  void anken.dispatcher.stop();
  for (const id of [...ctx.dataset.reps, ...ctx.dataset.leaders]) {
    const facts = { id, teamId, isBot: false, isGuest: false, deleted: false, fetchedAt: ctx.now().toISOString() };
    ctx.store.users.put(facts);
  }
  const made = { anken, sharedHome: createSharedHomeCache(ctx.store) };
  apps.set(ctx, made);
  return made;
}

/** Slack's view_submission for a modal, as Bolt's receiver hands it on. */
function submission(ctx: BenchContext, userId: string, callbackId: string, metadata: string, values: FormValues) {
  const teamId = ctx.actor(userId).teamId;
  const viewId = `VBENCH${ctx.dataset.benchRuns}x${process.hrtime.bigint()}`;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'bench' },
    user: { id: userId, username: userId, name: userId, team_id: teamId },
    api_app_id: 'A0BENCH',
    token: 'bench',
    trigger_id: '1.2.bench',
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      callback_id: callbackId,
      private_metadata: metadata,
      state: { values },
      hash: 'bench',
      root_view_id: viewId,
      app_id: 'A0BENCH',
      bot_id: 'B0BOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** The yardstick: a plain Bolt app whose modal listener only answers, as anken answers a submission. */
let ackOnly: App | undefined;
function boltAckOnly(): App {
  if (ackOnly) return ackOnly;
  ackOnly = new App({
    token: 'xoxb-bench',
    signingSecret: 'bench-signing-secret',
    botId: 'B0BOT',
    botUserId: 'U0BOT',
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
  });
  const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: '案件' }, blocks: [] };
  ackOnly.view(/.*/, async ({ ack }) => ack({ response_action: 'update', view }));
  return ackOnly;
}

/** Sends the submission through Bolt and resolves with Slack's answer once the listener is done. */
async function answer(ctx: BenchContext, body: object, app: App = answering(ctx).anken.app): Promise<string> {
  let answered: unknown;
  await app.processEvent({
    body,
    ack: async (response) => {
      answered = response;
    },
  });
  const action = (answered as { response_action?: string } | undefined)?.response_action;
  if (action !== 'update') throw new Error(`the submission was not accepted: ${JSON.stringify(answered)}`);
  return action;
}

export const answerCases: BenchCase[] = [
  {
    name: 'report: Bolt until Slack’s answer (form, person, commit)',
    iterations: 100,
    run(ctx, i) {
      const rep = ctx.dataset.reps[i % ctx.dataset.reps.length] as string;
      return answer(ctx, submission(ctx, rep, CALLBACK.reportModal, '{}', reportValues({}, rep)));
    },
  },
  {
    name: 'close as 受注: Bolt until Slack’s answer (form, person, commit)',
    iterations: 50,
    // The tap on 進捗を記録 that opened the form read the deal, seconds before.
    prepare: (ctx) => {
      const deal = ctx.takeOpenDeal();
      ctx.store.queries.getDeal(deal.id);
      return deal;
    },
    run(ctx, _i, prepared) {
      const deal = prepared as { id: number; ownerId: string };
      const values = progressValues(
        { status: 'won', amount: '900万', content: '正式発注をいただきました。' },
        todayIn('Asia/Tokyo', ctx.now()),
      );
      const metadata = JSON.stringify({ dealId: deal.id });
      return answer(ctx, submission(ctx, deal.ownerId, CALLBACK.progressModal, metadata, values));
    },
  },
  {
    name: 'for comparison: the same close through a plain Bolt app that only answers',
    iterations: 50,
    run(ctx, i) {
      const values = progressValues(
        { status: 'won', amount: '900万', content: '正式発注をいただきました。' },
        '2026-01-01',
      );
      const metadata = JSON.stringify({ dealId: i + 1 });
      return answer(ctx, submission(ctx, 'U0REP', CALLBACK.progressModal, metadata, values), boltAckOnly());
    },
  },
  {
    // Once per change and minute, for the leaders' homes: every open deal judged, a batch per turn.
    name: 'leaders’ pipeline board after a change (every open deal, in batches)',
    iterations: 5,
    run: async (ctx) => {
      const { sharedHome } = answering(ctx);
      sharedHome.changed();
      return sharedHome.board(ctx.now(), { adviceStaleHours: 24, staleDays: 10, timeZone: 'Asia/Tokyo' });
    },
    describe: (board) => {
      const { onTime, overdue, noEntry, snoozed } = board as PipelineBoard;
      const open = onTime.count + overdue.count + noEntry.count + snoozed.count;
      return `${open} open deals, ${(board as PipelineBoard).stalledTotal} stalled`;
    },
  },
  {
    name: 'App Home of each further person after a change (shared totals read once)',
    run(ctx, i) {
      const { sharedHome } = answering(ctx);
      const leader = ctx.dataset.leaders[i % ctx.dataset.leaders.length] as string;
      const { queries } = ctx.store;
      const now = ctx.now();
      const shared = sharedHome.get(`${now.toISOString().slice(0, 7)}-01T00:00:00Z`);
      return buildHome({
        userId: leader,
        isLeader: true,
        today: todayIn('Asia/Tokyo', now),
        timeZone: 'Asia/Tokyo',
        tasks: queries.openTasksOf(leader, HOME_LIST_FETCH),
        adviceWaiting: shared.adviceWaiting,
        ownDeals: queries.openDealsOwnedBy(leader, HOME_LIST_FETCH),
        totals: { ...queries.openCountsOf(leader), adviceWaiting: shared.adviceWaitingCount },
        pipeline: shared.pipeline,
      });
    },
  },
];
