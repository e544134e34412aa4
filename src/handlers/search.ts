import type { WebClient } from '@slack/web-api';
import { readFilterMetadata } from '../forms/filter-form.js';
import { ACTION, CALLBACK } from '../ids.js';
import { buildNoticeModal } from '../views/notice.js';
import { buildSearchModal, type SearchResultsView } from '../views/search-modal.js';
import {
  type DealFilters,
  NO_FILTERS,
  needsLongerWord,
  SEARCH_COUNT_CAP,
  SEARCH_PAGE_SIZE,
  toDealQuery,
} from '../workflow/deal-search.js';
import { DomainError } from '../workflow/errors.js';
import { assertAllowed, isLeader, maySeeLossReason } from '../workflow/permissions.js';
import type { Actor } from '../workflow/types.js';
import { tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { filterSubmission } from './filter-submission.js';
import { logFailure, messageFor, noticeFor } from './respond.js';
import type { ActionArgs, Routes } from './routes.js';

/** One page of results, as this person may see them. */
export function searchResults(
  deps: HandlerDeps,
  actor: Actor,
  filters: DealFilters,
  offset: number,
): SearchResultsView {
  const page = deps.search.search(toDealQuery(filters, deps.timeZone), offset, SEARCH_PAGE_SIZE);
  const lossVisible = new Set(
    page.deals.filter((deal) => maySeeLossReason(deps.roles, deal, actor.userId)).map((deal) => deal.id),
  );
  return { page, lossVisible, mayExport: isLeader(deps.roles, actor.userId), shortWord: needsLongerWord(filters) };
}

function searchModal(deps: HandlerDeps, filters: DealFilters, results: SearchResultsView | null) {
  return buildSearchModal({
    filters,
    results,
    workspaceUrl: deps.workspaceUrl,
    timeZone: deps.timeZone,
    lists: deps.settings().lists,
  });
}

/** Opens 案件を検索; with words (from `/案件 検索 <words>`) the first page is already shown. */
export async function openSearch(deps: HandlerDeps, client: WebClient, triggerId: string, actor: Actor, words: string) {
  assertAllowed(actor, 'search', deps.roles);
  const filters = { ...NO_FILTERS, keywords: words };
  const results = words.trim() === '' ? null : searchResults(deps, actor, filters, 0);
  await client.views.open({ trigger_id: triggerId, view: searchModal(deps, filters, results) });
}

function readOffset(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,5}$/.test(value)) return null;
  const offset = Number(value);
  return offset % SEARCH_PAGE_SIZE === 0 && offset < SEARCH_COUNT_CAP ? offset : null;
}

/** 次へ / 前へ: the same search (kept in private_metadata), another page, in place. */
function turnPage(deps: HandlerDeps) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !body.view) return;
    const view = body.view;
    try {
      const filters = readFilterMetadata(view.private_metadata);
      const offset = readOffset(action.value);
      if (filters === null || offset === null) throw new DomainError('invalid_input');
      const actor = await deps.people.actor(body.user.id, body.user.team_id);
      assertAllowed(actor, 'search', deps.roles);
      const results = searchResults(deps, actor, filters, offset);
      await client.views.update({ view_id: view.id, hash: view.hash, view: searchModal(deps, filters, results) });
    } catch (error) {
      logFailure(deps.logger, 'search page', error, { userId: body.user.id, value: action.value });
      await client.views
        .update({ view_id: view.id, view: noticeFor(error).view })
        .catch((notice) => deps.logger.warn('anken: could not show a notice', notice, messageFor(error)));
    }
  };
}

/** CSV で DM に送る (leaders): the shown search, exported in a worker and uploaded to their DM. */
function exportResults(deps: HandlerDeps) {
  return async ({ ack, body, client }: ActionArgs): Promise<void> => {
    await ack();
    if (body.type !== 'block_actions' || !body.view) return;
    let message: string;
    try {
      const filters = readFilterMetadata(body.view.private_metadata);
      if (filters === null) throw new DomainError('invalid_input');
      const actor = await deps.people.actor(body.user.id, body.user.team_id);
      assertAllowed(actor, 'analyse', deps.roles);
      deps.reports.csv(actor.userId, filters);
      message = '✅ CSV を作成して DM でお送りします。';
    } catch (error) {
      logFailure(deps.logger, 'csv export', error, { userId: body.user.id });
      message = messageFor(error);
    }
    // Stacked on the search, so 戻る returns to the results.
    await client.views
      .push({ trigger_id: body.trigger_id, view: buildNoticeModal(message) })
      .catch((error) => deps.logger.warn('anken: could not show a notice', error));
  };
}

/** 案件を検索: the home tab's 検索 button, the 検索 submission, the page buttons and the CSV export. */
export function registerSearch(routes: Routes, deps: HandlerDeps): void {
  routes.action(
    ACTION.openSearch,
    tapHandler(deps, 'open search', ({ actor, triggerId, client }) => openSearch(deps, client, triggerId, actor, '')),
  );
  routes.action(ACTION.searchPage, turnPage(deps));
  routes.action(ACTION.exportCsv, exportResults(deps));
  routes.view(
    CALLBACK.searchModal,
    filterSubmission(deps, 'search', (actor, filters) =>
      searchModal(deps, filters, searchResults(deps, actor, filters, 0)),
    ),
  );
}
