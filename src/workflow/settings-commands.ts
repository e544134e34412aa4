import { applyOptionLines } from './option-edits.js';
import { OPTION_LIST_NAMES, type OptionListKey } from './options.js';
import { assertAllowed } from './permissions.js';
import type { SettingsAuditEntry, SettingsRepository } from './ports.js';
import { listSection, type SettingsSection, type TeamSettings, versionOf } from './settings.js';
import { formatTunable, TUNABLES, type Tunables } from './tunables.js';
import type { Actor } from './types.js';
import type { UnitOfWork, WorkflowDeps } from './unit-of-work.js';

/** A save that was not made: the message goes inline on the form (`field`: which part of it). */
export type SaveResult = { saved: true; summary: string } | { saved: false; field: string | null; message: string };

export const AUDIT_LIMIT = 50;

export const SETTINGS_CHANGED =
  'この間に他の管理者が設定を変更しました。いまの内容を確かめるため、閉じてから開き直してください。';

export interface SettingsCommandDeps {
  workflow: WorkflowDeps;
  unit: UnitOfWork;
  store: SettingsRepository;
  settings: () => TeamSettings;
}

export type SettingsCommands = ReturnType<typeof createSettingsCommands>;

function names(ids: readonly string[]): string {
  return ids.map((id) => `<@${id}>`).join(' ');
}

/** Admins change the team's settings; each change is checked against the version the form was built from. */
export function createSettingsCommands(deps: SettingsCommandDeps) {
  const { workflow, unit, store, settings } = deps;

  function assertAdmin(actor: Actor): void {
    assertAllowed(actor, 'administer', workflow.roles);
  }

  /** Saves one section and refreshes the homes of everyone whose 設定 or role may have changed. */
  function save(actor: Actor, section: SettingsSection, version: number, value: unknown, summary: string): SaveResult {
    assertAdmin(actor);
    const before = settings();
    return unit.commit((at) => {
      if (!store.save({ section, expectedVersion: version, value, actorId: actor.userId, at, summary })) {
        return { saved: false, field: null, message: SETTINGS_CHANGED };
      }
      const after = settings();
      const people = [...before.adminIds, ...before.leaderIds, ...after.adminIds, ...after.leaderIds];
      workflow.repo.enqueue(unit.homesOf(...people), at);
      return { saved: true, summary };
    });
  }

  function unchanged(): SaveResult {
    return { saved: true, summary: '変更はありませんでした。' };
  }

  return {
    assertAdmin,

    saveOptionList(actor: Actor, list: OptionListKey, version: number, text: string): SaveResult {
      assertAdmin(actor);
      const edit = applyOptionLines(settings().lists[list], text);
      if (!edit.ok) return { saved: false, field: 'lines', message: edit.message };
      if (edit.changes.length === 0) return unchanged();
      const summary = `${OPTION_LIST_NAMES[list]}: ${edit.changes.join(' / ')}`;
      return save(actor, listSection(list), version, edit.options, summary);
    },

    savePeople(actor: Actor, version: number, leaderIds: readonly string[], adminIds: readonly string[]): SaveResult {
      assertAdmin(actor);
      if (leaderIds.length === 0)
        return { saved: false, field: 'leaders', message: '営業リーダを1人以上選んでください。' };
      if (adminIds.length === 0) return { saved: false, field: 'admins', message: '管理者を1人以上選んでください。' };
      const now = settings();
      const parts = [
        sameSet(now.leaderIds, leaderIds) ? null : `営業リーダ: ${names(leaderIds)}`,
        sameSet(now.adminIds, adminIds) ? null : `管理者: ${names(adminIds)}`,
      ].filter((part): part is string => part !== null);
      if (parts.length === 0) return unchanged();
      return save(actor, 'people', version, { leaderIds, adminIds }, parts.join(' / '));
    },

    saveChannel(actor: Actor, version: number, channelId: string): SaveResult {
      assertAdmin(actor);
      if (settings().salesChannelId === channelId) return unchanged();
      return save(actor, 'channel', version, { channelId }, `営業チャンネル: <#${channelId}>`);
    },

    saveTunables(actor: Actor, version: number, values: Tunables): SaveResult {
      assertAdmin(actor);
      const now = settings().tunables;
      const changed = TUNABLES.filter((spec) => now[spec.key] !== values[spec.key]).map(
        (spec) => `${spec.label}: ${formatTunable(spec, now[spec.key])} → ${formatTunable(spec, values[spec.key])}`,
      );
      if (changed.length === 0) return unchanged();
      return save(actor, 'tunables', version, values, changed.join(' / '));
    },

    /** The newest changes, for admins only. */
    auditLog(actor: Actor): SettingsAuditEntry[] {
      assertAdmin(actor);
      return store.auditLog(AUDIT_LIMIT);
    },

    versionOf(section: SettingsSection): number {
      return versionOf(settings(), section);
    },
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}
