import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { DEFAULT_OPTION_LISTS } from '../../src/workflow/options.js';
import { createSettingsSource, resolveSettings, type SettingsDefaults } from '../../src/workflow/settings.js';
import { DEFAULT_TUNABLES } from '../support/tunables.js';

const defaults: SettingsDefaults = {
  leaderIds: ['U0LEAD1'],
  adminIds: ['U0ADMIN'],
  salesChannelId: 'C0SALES',
  tunables: DEFAULT_TUNABLES,
};

const change = (overrides: Partial<Parameters<Store['settings']['save']>[0]> = {}) => ({
  section: 'channel' as const,
  expectedVersion: 0,
  value: { channelId: 'C0NEW' },
  actorId: 'U0ADMIN',
  at: '2026-11-29T01:00:00.000Z',
  summary: '営業チャンネル: <#C0NEW>',
  ...overrides,
});

describe('settings store', () => {
  let dir: string;
  let path: string;
  let store: Store;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anken-settings-'));
    path = join(dir, 'anken.db');
    store = openStore(path);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts from the environment: nothing stored, every section at version 0', () => {
    const settings = resolveSettings(defaults, store.settings.stored());
    expect(settings).toMatchObject({ salesChannelId: 'C0SALES', adminIds: ['U0ADMIN'], versions: {} });
    expect(settings.lists).toEqual(DEFAULT_OPTION_LISTS);
  });

  it('saves a section over the default and audits who changed what and when', () => {
    expect(store.settings.save(change())).toBe(true);
    const settings = resolveSettings(defaults, store.settings.stored());
    expect(settings.salesChannelId).toBe('C0NEW');
    expect(settings.versions).toEqual({ channel: 1 });
    expect(store.settings.auditLog(50)).toEqual([
      {
        id: 1,
        section: 'channel',
        actorId: 'U0ADMIN',
        at: '2026-11-29T01:00:00.000Z',
        summary: '営業チャンネル: <#C0NEW>',
      },
    ]);
  });

  it('refuses a save built from an old version, writing nothing', () => {
    expect(store.settings.save(change())).toBe(true);
    expect(store.settings.save(change({ value: { channelId: 'C0LATE' }, actorId: 'U0OTHER' }))).toBe(false);
    expect(store.settings.save(change({ expectedVersion: 1, value: { channelId: 'C0NEXT' } }))).toBe(true);
    expect(store.settings.save(change({ expectedVersion: 1, value: { channelId: 'C0LATE' } }))).toBe(false);
    expect(resolveSettings(defaults, store.settings.stored()).salesChannelId).toBe('C0NEXT');
    expect(store.settings.auditLog(50).map((entry) => entry.actorId)).toEqual(['U0ADMIN', 'U0ADMIN']);
  });

  it('reads a value put back by hand in another connection without a restart (back to the environment)', () => {
    const current = createSettingsSource(defaults, () => store.settings.stored());
    store.settings.save(change());
    expect(current().salesChannelId).toBe('C0NEW');
    const shell = new Database(path);
    shell.prepare("DELETE FROM settings WHERE section = 'channel'").run();
    shell.close();
    expect(current().salesChannelId).toBe('C0SALES');
  });

  it('keeps the settings it has when another connection commits something else', () => {
    const current = createSettingsSource(defaults, () => store.settings.stored());
    store.settings.save(change());
    const before = current();
    const other = new Database(path);
    other.exec("INSERT INTO deal_search_pending (key, terms) VALUES (65536, 'x')");
    other.close();
    expect(current()).toBe(before);
    const shell = new Database(path);
    shell.prepare('UPDATE settings SET value = \'{"channelId":"C0HAND"}\' WHERE section = \'channel\'').run();
    shell.close();
    expect(current().salesChannelId).toBe('C0HAND');
  });

  it('falls back to the default for a stored value that no longer reads', () => {
    store.settings.save(change({ section: 'people', value: { leaderIds: [], adminIds: 'U0X' } }));
    expect(resolveSettings(defaults, store.settings.stored()).adminIds).toEqual(['U0ADMIN']);
  });

  it('keeps new tunables at their default when an older save lacks them', () => {
    store.settings.save(change({ section: 'tunables', value: { reminderSchedule: '0 9 * * *' } }));
    expect(resolveSettings(defaults, store.settings.stored()).tunables).toEqual({
      reminderSchedule: '0 9 * * *',
      progressIntervalDays: 7,
      adviceStaleHours: 24,
      staleDays: 10,
      escalateAfter: 3,
      digestSchedule: '0 9 * * 1',
    });
  });
});
