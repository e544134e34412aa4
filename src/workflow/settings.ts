/**
 * The settings the team changes from Slack. The environment gives the first values; once a section
 * is saved in Slack, the stored value wins. Each section carries its own version, so two admins
 * editing different sections never collide and two editing the same one are told.
 */
import { z } from 'zod';
import {
  DEFAULT_OPTION_LISTS,
  type ListOption,
  OPTION_LIST_KEYS,
  type OptionListKey,
  type OptionLists,
} from './options.js';
import { type Tunables, tunablesSchema } from './tunables.js';
import type { Roles } from './types.js';

export type SettingsSection = `list:${OptionListKey}` | 'people' | 'channel' | 'tunables';

export interface TeamSettings {
  lists: OptionLists;
  leaderIds: readonly string[];
  adminIds: readonly string[];
  salesChannelId: string;
  tunables: Tunables;
  /** 0 while a section still has the environment's value. */
  versions: Readonly<Partial<Record<SettingsSection, number>>>;
}

/** The environment's values, before anything is changed in Slack. */
export type SettingsDefaults = Omit<TeamSettings, 'versions' | 'lists'> & { lists?: OptionLists };

export interface StoredSection {
  value: unknown;
  version: number;
}

export type StoredSettings = ReadonlyMap<SettingsSection, StoredSection>;

export function listSection(list: OptionListKey): SettingsSection {
  return `list:${list}`;
}

export function versionOf(settings: TeamSettings, section: SettingsSection): number {
  return settings.versions[section] ?? 0;
}

const optionsSchema = z.array(z.object({ id: z.string().min(1), label: z.string().min(1), retired: z.boolean() }));
const peopleSchema = z.object({ leaderIds: z.array(z.string()).min(1), adminIds: z.array(z.string()).min(1) });
const channelSchema = z.object({ channelId: z.string().min(1) });
const storedTunablesSchema = tunablesSchema.partial();

/** A stored value that no longer reads (hand-edited, or from a newer version) falls back to the default. */
function readStored<T>(stored: StoredSection | undefined, schema: z.ZodType<T>): T | undefined {
  if (!stored) return undefined;
  const parsed = schema.safeParse(stored.value);
  return parsed.success ? parsed.data : undefined;
}

/** The settings in force: each stored section over the environment's default. */
export function resolveSettings(defaults: SettingsDefaults, stored: StoredSettings): TeamSettings {
  const versions: Partial<Record<SettingsSection, number>> = {};
  for (const [section, entry] of stored) versions[section] = entry.version;
  const baseLists = defaults.lists ?? DEFAULT_OPTION_LISTS;
  const lists = Object.fromEntries(
    OPTION_LIST_KEYS.map((key): [OptionListKey, readonly ListOption[]] => [
      key,
      readStored(stored.get(listSection(key)), optionsSchema) ?? baseLists[key],
    ]),
  ) as Record<OptionListKey, readonly ListOption[]>;
  const people = readStored(stored.get('people'), peopleSchema);
  const channel = readStored(stored.get('channel'), channelSchema);
  const tunables = readStored(stored.get('tunables'), storedTunablesSchema);
  return {
    lists,
    leaderIds: people?.leaderIds ?? defaults.leaderIds,
    adminIds: people?.adminIds ?? defaults.adminIds,
    salesChannelId: channel?.channelId ?? defaults.salesChannelId,
    tunables: { ...defaults.tunables, ...definedOnly(tunables ?? {}) },
    versions,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Roles that always answer with the leaders and admins in force, so a change applies to the next request. */
export function liveRoles(workspaceTeamId: string | null, settings: () => TeamSettings): Roles {
  return {
    workspaceTeamId,
    get leaderIds() {
      return settings().leaderIds;
    },
    get adminIds() {
      return settings().adminIds;
    },
  };
}

/** Reads the stored settings over the defaults, recomputing only when the stored ones changed. */
export function createSettingsSource(defaults: SettingsDefaults, stored: () => StoredSettings): () => TeamSettings {
  let last: { stored: StoredSettings; settings: TeamSettings } | null = null;
  return () => {
    const now = stored();
    if (last?.stored !== now) last = { stored: now, settings: resolveSettings(defaults, now) };
    return last.settings;
  };
}
