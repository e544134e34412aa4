import type { InputBlock, PlainTextOption } from '@slack/types';
import { inputActionId } from '../ids.js';
import { plain, truncate } from './text.js';

/** Builders for the input blocks the modals share; each element's action_id derives from its block. */

export function options(labels: readonly string[]): PlainTextOption[] {
  return labels.map((label) => ({ text: plain(label, 75), value: truncate(label, 150) }));
}

function optionFor(labels: readonly string[], value: string | null | undefined): PlainTextOption | undefined {
  return value && labels.includes(value) ? { text: plain(value, 75), value } : undefined;
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
  common: Common & { choices: readonly string[]; placeholder?: string; initial?: string | null },
): InputBlock {
  const initial = optionFor(common.choices, common.initial);
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
