import { bench, describe } from 'vitest';
import { openStore } from '../src/store/index.js';
import { applyOptionLines } from '../src/workflow/option-edits.js';
import { OPTION_LIST_KEYS, optionLabel } from '../src/workflow/options.js';
import { createSettingsSource, listSection, type SettingsDefaults } from '../src/workflow/settings.js';
import { DEFAULT_TUNABLES } from '../test/support/tunables.js';

/**
 * What reading the settings in force costs each request (every tap and modal reads them, so a change
 * applies at once), against a primary-key read of one deal in the same run. Data: every option list
 * at Slack's limit of 100 options, each saved in the database, and one deal.
 */

const store = openStore(':memory:');
const defaults: SettingsDefaults = {
  leaderIds: ['U0LEAD1'],
  adminIds: ['U0LEAD1'],
  salesChannelId: 'C0SALES',
  tunables: DEFAULT_TUNABLES,
};
for (const list of OPTION_LIST_KEYS) {
  const edit = applyOptionLines([], Array.from({ length: 100 }, (_, i) => `${list} の選択肢 ${i}`).join('\n'));
  if (!edit.ok) throw new Error(edit.message);
  store.settings.save({
    section: listSection(list),
    expectedVersion: 0,
    value: edit.options,
    actorId: 'U0LEAD1',
    at: '2026-11-29T00:00:00.000Z',
    summary: 'bench',
  });
}
store.db
  .prepare(
    `INSERT INTO deals (status, customer, title, owner_id, reporter_id, created_at)
     VALUES ('negotiating', '株式会社サンプル', '基幹システム更改', 'U0REP01', 'U0REP01', '2026-11-29T00:00:00.000Z')`,
  )
  .run();
const settings = createSettingsSource(defaults, () => store.settings.stored());
let counter = 0;

describe('reading the settings in force', () => {
  bench('baseline: one deal by id', () => {
    store.queries.getDeal(1);
  });

  bench('the settings, unchanged since the last request', () => {
    settings();
  });

  bench('the settings, just after an admin saved (read and resolved again)', () => {
    counter += 1;
    store.settings.save({
      section: 'tunables',
      expectedVersion: counter - 1,
      value: { progressIntervalDays: 1 + (counter % 90) },
      actorId: 'U0LEAD1',
      at: '2026-11-29T00:00:00.000Z',
      summary: 'bench',
    });
    settings();
  });

  bench('a label of the 100th option', () => {
    optionLabel(settings().lists, 'industry', 'industry の選択肢 99');
  });
});
