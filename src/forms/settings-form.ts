import { z } from 'zod';
import { inputActionId, SETTINGS_BLOCK, settingsTunableBlock } from '../ids.js';
import { OPTION_LIST_KEYS, type OptionListKey } from '../workflow/options.js';
import type { SettingsSection } from '../workflow/settings.js';
import { readTunable, TUNABLES, type Tunables } from '../workflow/tunables.js';
import type { FormResult } from './fields.js';
import { SLACK_USER_ID } from './rules.js';

/** Reading the settings modals' state: the fields Slack sends for text, multi-user and channel inputs. */

interface SettingsElementState {
  value?: string | null;
  selected_users?: string[] | null;
  selected_conversation?: string | null;
}

export type SettingsStateValues = Record<string, Record<string, SettingsElementState | undefined> | undefined>;

const SECTIONS: readonly string[] = [...OPTION_LIST_KEYS.map((key) => `list:${key}`), 'people', 'channel', 'tunables'];

const metadataSchema = z.object({
  section: z.string().refine((section) => SECTIONS.includes(section)),
  version: z.number().int().min(0),
});

export function readSettingsMetadata(raw: string): { section: SettingsSection; version: number } | null {
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(raw));
    return parsed.success ? { section: parsed.data.section as SettingsSection, version: parsed.data.version } : null;
  } catch {
    return null;
  }
}

/** The option list a button or a section names, or null for anything else. */
export function readListKey(value: string | undefined): OptionListKey | null {
  const key = value?.startsWith('list:') ? value.slice('list:'.length) : value;
  return (OPTION_LIST_KEYS as readonly string[]).includes(key ?? '') ? (key as OptionListKey) : null;
}

function element(values: SettingsStateValues, blockId: string): SettingsElementState | undefined {
  return values[blockId]?.[inputActionId(blockId)];
}

export function readLines(values: SettingsStateValues): string {
  return element(values, SETTINGS_BLOCK.lines)?.value ?? '';
}

export function readPeople(values: SettingsStateValues): FormResult<{ leaderIds: string[]; adminIds: string[] }> {
  const read = (blockId: string) => [...new Set(element(values, blockId)?.selected_users ?? [])];
  const leaderIds = read(SETTINGS_BLOCK.leaders);
  const adminIds = read(SETTINGS_BLOCK.admins);
  const errors: Record<string, string> = {};
  if (leaderIds.length === 0) errors[SETTINGS_BLOCK.leaders] = '営業リーダを1人以上選んでください。';
  if (adminIds.length === 0) errors[SETTINGS_BLOCK.admins] = '管理者を1人以上選んでください。';
  if (!leaderIds.every((id) => SLACK_USER_ID.test(id)))
    errors[SETTINGS_BLOCK.leaders] = 'メンバーを選び直してください。';
  if (!adminIds.every((id) => SLACK_USER_ID.test(id))) errors[SETTINGS_BLOCK.admins] = 'メンバーを選び直してください。';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: { leaderIds, adminIds } };
}

export function readChannel(values: SettingsStateValues): FormResult<string> {
  const channel = element(values, SETTINGS_BLOCK.channel)?.selected_conversation ?? null;
  return channel !== null && /^[CG][A-Z0-9]{2,}$/.test(channel)
    ? { ok: true, value: channel }
    : { ok: false, errors: { [SETTINGS_BLOCK.channel]: 'チャンネルを選んでください。' } };
}

export function readTunables(values: SettingsStateValues, current: Tunables): FormResult<Tunables> {
  const read: Record<string, string | number> = { ...current };
  const errors: Record<string, string> = {};
  for (const spec of TUNABLES) {
    const blockId = settingsTunableBlock(spec.key);
    const result = readTunable(spec, element(values, blockId)?.value ?? '');
    if (result.ok) read[spec.key] = result.value;
    else errors[blockId] = result.message;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: read as Tunables };
}
