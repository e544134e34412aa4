/**
 * The option lists the team edits (業種, 会社規模 …). Deals and progress entries store an option's
 * stable id; the label is what people read and what admins may rename. The default options' ids are
 * their labels, so rows written before the lists became editable stay valid as they are.
 */
import { ACTIVITY_TYPES, COMPANY_SIZES, INDUSTRIES, LOSS_REASONS, SOURCES } from './catalog.js';

export const OPTION_LIST_KEYS = ['industry', 'companySize', 'source', 'activityType', 'lossReason'] as const;
export type OptionListKey = (typeof OPTION_LIST_KEYS)[number];

export interface ListOption {
  /** Stored in deals and progress entries; never changes. */
  id: string;
  label: string;
  /** No longer offered in the forms; deals that have it keep it and show its label. */
  retired: boolean;
}

export type OptionLists = Readonly<Record<OptionListKey, readonly ListOption[]>>;

export const OPTION_LIST_NAMES: Readonly<Record<OptionListKey, string>> = {
  industry: '業種',
  companySize: '会社規模',
  source: '案件発生経路',
  activityType: '活動種別',
  lossReason: '失注理由',
};

/** Slack's limits for a select: the text of an option, and how many options one select holds. */
export const OPTION_LABEL_MAX = 75;
export const OPTIONS_MAX = 100;

function defaults(labels: readonly string[]): ListOption[] {
  return labels.map((label) => ({ id: label, label, retired: false }));
}

export const DEFAULT_OPTION_LISTS: OptionLists = {
  industry: defaults(INDUSTRIES),
  companySize: defaults(COMPANY_SIZES),
  source: defaults(SOURCES),
  activityType: defaults(ACTIVITY_TYPES),
  lossReason: defaults(LOSS_REASONS),
};

/** The label to show for a stored option id; an id no list knows (any more) is shown as stored. */
export function optionLabel(lists: OptionLists, list: OptionListKey, id: string): string {
  return lists[list].find((option) => option.id === id)?.label ?? id;
}

/** optionLabel for a column that may be empty. */
export function optionLabelOrNull(lists: OptionLists, list: OptionListKey, id: string | null): string | null {
  return id === null ? null : optionLabel(lists, list, id);
}

/** The options a form offers, in the team's order: every option that is not retired. */
export function offeredOptions(lists: OptionLists, list: OptionListKey): ListOption[] {
  return lists[list].filter((option) => !option.retired);
}

/**
 * Whether a submitted value may be stored: an offered option, or one retired after the form was
 * opened (the person chose it while it was still offered).
 */
export function isKnownOption(lists: OptionLists, list: OptionListKey, id: string): boolean {
  return lists[list].some((option) => option.id === id);
}

/** The id of the option another system names by id or by its current label; null when none matches. */
export function findOfferedOption(lists: OptionLists, list: OptionListKey, idOrLabel: string): string | null {
  const offered = offeredOptions(lists, list);
  return (
    offered.find((option) => option.id === idOrLabel)?.id ??
    offered.find((option) => option.label === idOrLabel)?.id ??
    null
  );
}

/**
 * The ids a form may store: the offered ones, and those retired after the form was opened (the
 * person chose them while they were still offered).
 */
export function optionIds(lists: OptionLists, list: OptionListKey): string[] {
  return lists[list].map((option) => option.id);
}
