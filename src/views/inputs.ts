import type { InputBlock, PlainTextOption } from '@slack/types';
import { inputActionId } from '../ids.js';
import { type OptionListKey, type OptionLists, offeredOptions } from '../workflow/options.js';
import { plain, truncate } from './text.js';

/** Builders for the input blocks the modals share; each element's action_id derives from its block. */

/** One choice of a select: the value stored (an option's stable id) and the label shown. */
export interface Choice {
  value: string;
  label: string;
}

export function options(choices: readonly Choice[]): PlainTextOption[] {
  return choices.map((choice) => ({ text: plain(choice.label, 75), value: truncate(choice.value, 150) }));
}

/**
 * The offered options of a list as a select's choices; `keep`, the value a prefilled form already
 * has, stays among them even when it was retired since (so completing a draft does not drop it).
 */
export function listChoices(lists: OptionLists, list: OptionListKey, keep?: string | null): Choice[] {
  const offered = offeredOptions(lists, list);
  const kept = lists[list].find((option) => option.retired && option.id === keep);
  return [...offered, ...(kept ? [kept] : [])].map((option) => ({ value: option.id, label: option.label }));
}

interface Common {
  blockId: string;
  label: string;
  optional?: boolean;
  hint?: string;
}

function block(common: Common, element: InputBlock['element']): InputBlock {
  return {
    type: 'input',
    block_id: common.blockId,
    label: plain(common.label, 2_000),
    optional: common.optional ?? false,
    ...(common.hint ? { hint: plain(common.hint, 2_000) } : {}),
    element,
  };
}

export function textInput(
  common: Common & { maxLength: number; multiline?: boolean; placeholder?: string; initial?: string | null },
): InputBlock {
  return block(common, {
    type: 'plain_text_input',
    action_id: inputActionId(common.blockId),
    multiline: common.multiline ?? false,
    max_length: common.maxLength,
    ...(common.placeholder ? { placeholder: plain(common.placeholder, 150) } : {}),
    ...(common.initial ? { initial_value: truncate(common.initial, common.maxLength) } : {}),
  });
}

export function selectInput(
  common: Common & { choices: readonly Choice[]; placeholder?: string; initial?: string | null },
): InputBlock {
  const initial = options(common.choices).find((option) => option.value === common.initial);
  return block(common, {
    type: 'static_select',
    action_id: inputActionId(common.blockId),
    placeholder: plain(common.placeholder ?? '選択してください', 150),
    options: options(common.choices),
    ...(initial ? { initial_option: initial } : {}),
  });
}

export function radioInput(
  common: Common & { choices: readonly { label: string; value: string }[]; initial: string },
): InputBlock {
  const choices = common.choices.map((choice) => ({ text: plain(choice.label, 75), value: choice.value }));
  const initial = choices.find((choice) => choice.value === common.initial);
  return block(common, {
    type: 'radio_buttons',
    action_id: inputActionId(common.blockId),
    options: choices,
    ...(initial ? { initial_option: initial } : {}),
  });
}

export function dateInput(common: Common & { initial?: string | null }): InputBlock {
  return block(common, {
    type: 'datepicker',
    action_id: inputActionId(common.blockId),
    placeholder: plain('日付を選択', 150),
    ...(common.initial ? { initial_date: common.initial } : {}),
  });
}

export function userInput(common: Common & { initial?: string | null }): InputBlock {
  return block(common, {
    type: 'users_select',
    action_id: inputActionId(common.blockId),
    placeholder: plain('メンバーを選択', 150),
    ...(common.initial ? { initial_user: common.initial } : {}),
  });
}
