/**
 * Block Kit validation used by the fake Slack Web API.
 *
 * Each problem is reported the way Slack words `invalid_blocks` / `invalid_arguments` details:
 * `<reason> [json-pointer:/blocks/0/text]`. Lengths are counted in Unicode code points (what Slack
 * counts), not UTF-16 code units.
 */

export type Surface = 'message' | 'modal' | 'home';

export interface ValidationOptions {
  /**
   * Where an action_id must be unique. Slack documents "unique among all other action_ids in the
   * containing block" (default `'block'`); `'surface'` is stricter: unique across the whole message/view.
   */
  actionIdScope?: 'block' | 'surface';
}

type Json = Record<string, unknown>;

interface Ctx {
  surface: Surface;
  actionIdScope: 'block' | 'surface';
  problems: string[];
  blockIds: Set<string>;
  actionIds: Set<string>;
  tables: number;
}

type ElementRule = (ctx: Ctx, element: Json, ptr: string) => void;
type BlockRule = (ctx: Ctx, block: Json, ptr: string) => void;

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

const SELECT_TYPES = [
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
];

const SECTION_ACCESSORY_TYPES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'image',
  'overflow',
  'radio_buttons',
  'timepicker',
  ...SELECT_TYPES,
]);

const ACTIONS_ELEMENT_TYPES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'overflow',
  'radio_buttons',
  'timepicker',
  ...SELECT_TYPES,
]);

const INPUT_ELEMENT_TYPES = new Set([
  'plain_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'rich_text_input',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'radio_buttons',
  'checkboxes',
  'file_input',
  ...SELECT_TYPES,
]);

/** Length as Slack counts it: Unicode code points. */
export function codePointLength(s: string): number {
  return [...s].length;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function report(ctx: Ctx, ptr: string, reason: string): void {
  ctx.problems.push(`${reason} [json-pointer:${ptr}]`);
}

function checkString(ctx: Ctx, ptr: string, value: unknown, max: number): value is string {
  if (typeof value !== 'string') {
    report(ctx, ptr, 'must be a string');
    return false;
  }
  if (codePointLength(value) > max) {
    report(ctx, ptr, `must be less than ${max + 1} characters`);
    return false;
  }
  return true;
}

function checkOptionalString(ctx: Ctx, parent: Json, key: string, ptr: string, max: number): void {
  if (parent[key] !== undefined) checkString(ctx, `${ptr}/${key}`, parent[key], max);
}

function checkBoolean(ctx: Ctx, parent: Json, key: string, ptr: string): void {
  const value = parent[key];
  if (value !== undefined && typeof value !== 'boolean') report(ctx, `${ptr}/${key}`, 'must be a boolean');
}

interface TextRule {
  max: number;
  plainOnly?: boolean;
}

function checkTextObject(ctx: Ctx, ptr: string, value: unknown, rule: TextRule): void {
  if (!isRecord(value)) {
    report(ctx, ptr, 'must be a text object');
    return;
  }
  const allowed = rule.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
    report(ctx, `${ptr}/type`, `must be one of: ${allowed.join(', ')}`);
  }
  if (typeof value.text !== 'string' || value.text.length === 0) {
    report(ctx, `${ptr}/text`, 'must be a non-empty string');
  } else if (codePointLength(value.text) > rule.max) {
    report(ctx, ptr, `must be less than ${rule.max + 1} characters`);
  }
  if (value.type === 'plain_text') checkBoolean(ctx, value, 'emoji', ptr);
  if (value.type === 'mrkdwn') checkBoolean(ctx, value, 'verbatim', ptr);
}

function checkOptionalText(ctx: Ctx, parent: Json, key: string, ptr: string, rule: TextRule): void {
  if (parent[key] !== undefined) checkTextObject(ctx, `${ptr}/${key}`, parent[key], rule);
}

function checkRequiredText(ctx: Ctx, parent: Json, key: string, ptr: string, rule: TextRule): void {
  if (parent[key] === undefined) {
    report(ctx, ptr, `missing required field: ${key}`);
    return;
  }
  checkTextObject(ctx, `${ptr}/${key}`, parent[key], rule);
}

function checkArray(ctx: Ctx, ptr: string, value: unknown, min: number, max: number): value is unknown[] {
  if (!Array.isArray(value)) {
    report(ctx, ptr, 'must be an array');
    return false;
  }
  if (value.length < min) {
    report(ctx, ptr, `must provide at least ${min} items`);
    return false;
  }
  if (value.length > max) {
    report(ctx, ptr, `no more than ${max} items allowed`);
    return false;
  }
  return true;
}

function checkUniqueId(ctx: Ctx, seen: Set<string>, kind: string, ptr: string, value: unknown): void {
  if (value === undefined) return;
  if (!checkString(ctx, ptr, value, 255)) return;
  if (value.length === 0) {
    report(ctx, ptr, `${kind} must not be empty`);
    return;
  }
  if (seen.has(value)) report(ctx, ptr, `duplicate ${kind} "${value}"`);
  seen.add(value);
}

function checkActionId(ctx: Ctx, element: Json, ptr: string): void {
  checkUniqueId(ctx, ctx.actionIds, 'action_id', `${ptr}/action_id`, element.action_id);
}

function checkConfirm(ctx: Ctx, element: Json, ptr: string): void {
  const confirm = element.confirm;
  if (confirm === undefined) return;
  const p = `${ptr}/confirm`;
  if (!isRecord(confirm)) {
    report(ctx, p, 'must be a confirmation dialog object');
    return;
  }
  checkRequiredText(ctx, confirm, 'title', p, { max: 100, plainOnly: true });
  checkRequiredText(ctx, confirm, 'text', p, { max: 300 });
  checkRequiredText(ctx, confirm, 'confirm', p, { max: 30, plainOnly: true });
  checkRequiredText(ctx, confirm, 'deny', p, { max: 30, plainOnly: true });
  checkStyle(ctx, confirm, p);
}

function checkStyle(ctx: Ctx, parent: Json, ptr: string): void {
  const style = parent.style;
  if (style !== undefined && style !== 'primary' && style !== 'danger') {
    report(ctx, `${ptr}/style`, 'must be one of: primary, danger');
  }
}

function checkPlaceholder(ctx: Ctx, element: Json, ptr: string): void {
  checkOptionalText(ctx, element, 'placeholder', ptr, { max: 150, plainOnly: true });
}

const checkButton: ElementRule = (ctx, element, ptr) => {
  checkRequiredText(ctx, element, 'text', ptr, { max: 75, plainOnly: true });
  checkActionId(ctx, element, ptr);
  checkOptionalString(ctx, element, 'value', ptr, 2000);
  checkOptionalString(ctx, element, 'url', ptr, 3000);
  checkOptionalString(ctx, element, 'accessibility_label', ptr, 75);
  checkStyle(ctx, element, ptr);
  checkConfirm(ctx, element, ptr);
};

interface OptionRule {
  plainOnly: boolean;
}

function checkOption(ctx: Ctx, option: unknown, ptr: string, rule: OptionRule): void {
  if (!isRecord(option)) {
    report(ctx, ptr, 'must be an option object');
    return;
  }
  checkRequiredText(ctx, option, 'text', ptr, { max: 75, plainOnly: rule.plainOnly });
  if (option.value === undefined) report(ctx, ptr, 'missing required field: value');
  else checkString(ctx, `${ptr}/value`, option.value, 150);
  checkOptionalText(ctx, option, 'description', ptr, { max: 75, plainOnly: rule.plainOnly });
  checkOptionalString(ctx, option, 'url', ptr, 3000);
}

function checkOptions(ctx: Ctx, element: Json, ptr: string, max: number, rule: OptionRule): unknown[] {
  const p = `${ptr}/options`;
  if (!checkArray(ctx, p, element.options, 1, max)) return [];
  element.options.forEach((option, i) => {
    checkOption(ctx, option, `${p}/${i}`, rule);
  });
  return element.options;
}

function checkOptionGroups(ctx: Ctx, element: Json, ptr: string): unknown[] {
  const p = `${ptr}/option_groups`;
  if (!checkArray(ctx, p, element.option_groups, 1, 100)) return [];
  const all: unknown[] = [];
  element.option_groups.forEach((group, i) => {
    const gp = `${p}/${i}`;
    if (!isRecord(group)) {
      report(ctx, gp, 'must be an option group object');
      return;
    }
    checkRequiredText(ctx, group, 'label', gp, { max: 75, plainOnly: true });
    all.push(...checkOptions(ctx, group, gp, 100, { plainOnly: true }));
  });
  return all;
}

function sameOption(a: unknown, b: unknown): boolean {
  if (!isRecord(a) || !isRecord(b) || !isRecord(a.text) || !isRecord(b.text)) return false;
  return a.value === b.value && a.text.text === b.text.text && a.text.type === b.text.type;
}

function checkInitialOptions(ctx: Ctx, element: Json, ptr: string, options: unknown[]): void {
  if (element.initial_option !== undefined && !options.some((o) => sameOption(o, element.initial_option))) {
    report(ctx, `${ptr}/initial_option`, 'must match one of the provided options');
  }
  if (element.initial_options === undefined) return;
  if (!Array.isArray(element.initial_options)) {
    report(ctx, `${ptr}/initial_options`, 'must be an array');
    return;
  }
  element.initial_options.forEach((initial, i) => {
    if (!options.some((o) => sameOption(o, initial))) {
      report(ctx, `${ptr}/initial_options/${i}`, 'must match one of the provided options');
    }
  });
}

function checkMaxSelected(ctx: Ctx, element: Json, ptr: string): void {
  const max = element.max_selected_items;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    report(ctx, `${ptr}/max_selected_items`, 'must be an integer of at least 1');
  }
}

const checkStaticSelect: ElementRule = (ctx, element, ptr) => {
  checkActionId(ctx, element, ptr);
  checkPlaceholder(ctx, element, ptr);
  checkConfirm(ctx, element, ptr);
  checkMaxSelected(ctx, element, ptr);
  const hasGroups = element.option_groups !== undefined;
  if (hasGroups && element.options !== undefined) {
    report(ctx, ptr, 'must provide either options or option_groups, not both');
  }
  const options = hasGroups
    ? checkOptionGroups(ctx, element, ptr)
    : checkOptions(ctx, element, ptr, 100, { plainOnly: true });
  checkInitialOptions(ctx, element, ptr, options);
};

const checkExternalSelect: ElementRule = (ctx, element, ptr) => {
  checkActionId(ctx, element, ptr);
  checkPlaceholder(ctx, element, ptr);
  checkConfirm(ctx, element, ptr);
  checkMaxSelected(ctx, element, ptr);
};

function checkIdField(ctx: Ctx, element: Json, key: string, ptr: string): void {
  const value = element[key];
  if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
    report(ctx, `${ptr}/${key}`, 'must be a non-empty string');
  }
}

function checkIdListField(ctx: Ctx, element: Json, key: string, ptr: string): void {
  const value = element[key];
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0)) {
    report(ctx, `${ptr}/${key}`, 'must be an array of non-empty strings');
  }
}

function conversationSelectRule(initialKey: string, multi: boolean): ElementRule {
  return (ctx, element, ptr) => {
    checkActionId(ctx, element, ptr);
    checkPlaceholder(ctx, element, ptr);
    checkConfirm(ctx, element, ptr);
    if (multi) {
      checkMaxSelected(ctx, element, ptr);
      checkIdListField(ctx, element, initialKey, ptr);
    } else {
      checkIdField(ctx, element, initialKey, ptr);
    }
  };
}

function choiceRule(max: number): ElementRule {
  return (ctx, element, ptr) => {
    checkActionId(ctx, element, ptr);
    checkConfirm(ctx, element, ptr);
    const options = checkOptions(ctx, element, ptr, max, { plainOnly: false });
    checkInitialOptions(ctx, element, ptr, options);
  };
}

const checkOverflow: ElementRule = (ctx, element, ptr) => {
  checkActionId(ctx, element, ptr);
  checkConfirm(ctx, element, ptr);
  const p = `${ptr}/options`;
  if (!checkArray(ctx, p, element.options, 2, 5)) return;
  element.options.forEach((option, i) => {
    checkOption(ctx, option, `${p}/${i}`, { plainOnly: true });
  });
};

/** True when `s` is a real calendar date written YYYY-MM-DD. */
export function isRealDate(s: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const checkDatepicker: ElementRule = (ctx, element, ptr) => {
  checkActionId(ctx, element, ptr);
  checkPlaceholder(ctx, element, ptr);
  checkConfirm(ctx, element, ptr);
  const initial = element.initial_date;
  if (initial !== undefined && (typeof initial !== 'string' || !isRealDate(initial))) {
    report(ctx, `${ptr}/initial_date`, 'must be a valid date in the format YYYY-MM-DD');
  }
};

const checkTimepicker: ElementRule = (ctx, element, ptr) => {
  checkActionId(ctx, element, ptr);
  checkPlaceholder(ctx, element, ptr);
  checkConfirm(ctx, element, ptr);
  const initial = element.initial_time;
  if (initial !== undefined && (typeof initial !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(initial))) {
    report(ctx, `${ptr}/initial_time`, 'must be a valid time in the format HH:mm');
  }
};

const checkDatetimepicker: ElementRule = (ctx, element, ptr) => {
  checkActionId(ctx, element, ptr);
  checkConfirm(ctx, element, ptr);
  const initial = element.initial_date_time;
  if (initial !== undefined && (typeof initial !== 'number' || !Number.isInteger(initial))) {
    report(ctx, `${ptr}/initial_date_time`, 'must be a UNIX timestamp in seconds');
  }
};

function checkLengthBound(ctx: Ctx, element: Json, key: string, ptr: string, min: number): number | undefined {
  const value = element[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 3000) {
    report(ctx, `${ptr}/${key}`, `must be an integer between ${min} and 3000`);
    return undefined;
  }
  return value;
}

const checkPlainTextInput: ElementRule = (ctx, element, ptr) => {
  checkActionId(ctx, element, ptr);
  checkPlaceholder(ctx, element, ptr);
  checkBoolean(ctx, element, 'multiline', ptr);
  const minLength = checkLengthBound(ctx, element, 'min_length', ptr, 0);
  const maxLength = checkLengthBound(ctx, element, 'max_length', ptr, 1);
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
    report(ctx, `${ptr}/min_length`, 'must not be greater than max_length');
  }
  if (element.initial_value !== undefined) {
    checkString(ctx, `${ptr}/initial_value`, element.initial_value, maxLength ?? 3000);
  }
};

function parseNumber(ctx: Ctx, element: Json, key: string, ptr: string, decimal: boolean): number | undefined {
  const value = element[key];
  if (value === undefined) return undefined;
  const pattern = decimal ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/;
  if (typeof value !== 'string' || !pattern.test(value)) {
    report(ctx, `${ptr}/${key}`, decimal ? 'must be a numeric string' : 'must be an integer string');
    return undefined;
  }
  return Number(value);
}

const checkNumberInput: ElementRule = (ctx, element, ptr) => {
  checkActionId(ctx, element, ptr);
  checkPlaceholder(ctx, element, ptr);
  if (typeof element.is_decimal_allowed !== 'boolean') {
    report(ctx, ptr, 'missing required field: is_decimal_allowed');
  }
  const decimal = element.is_decimal_allowed === true;
  const initial = parseNumber(ctx, element, 'initial_value', ptr, decimal);
  const min = parseNumber(ctx, element, 'min_value', ptr, decimal);
  const max = parseNumber(ctx, element, 'max_value', ptr, decimal);
  if (min !== undefined && max !== undefined && min > max) {
    report(ctx, `${ptr}/min_value`, 'must not be greater than max_value');
  }
  const outOfRange =
    initial !== undefined && ((min !== undefined && initial < min) || (max !== undefined && initial > max));
  if (outOfRange) report(ctx, `${ptr}/initial_value`, 'must be between min_value and max_value');
};

const checkSimpleTextInput: ElementRule = (ctx, element, ptr) => {
  checkActionId(ctx, element, ptr);
  checkPlaceholder(ctx, element, ptr);
  checkOptionalString(ctx, element, 'initial_value', ptr, 3000);
};

const checkRichTextInput: ElementRule = (ctx, element, ptr) => {
  checkActionId(ctx, element, ptr);
  checkPlaceholder(ctx, element, ptr);
};

const checkFileInput: ElementRule = (ctx, element, ptr) => {
  checkActionId(ctx, element, ptr);
  const max = element.max_files;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 10)) {
    report(ctx, `${ptr}/max_files`, 'must be an integer between 1 and 10');
  }
};

const checkImageElement: ElementRule = (ctx, element, ptr) => {
  checkImageSource(ctx, element, ptr);
  if (element.alt_text === undefined) report(ctx, ptr, 'missing required field: alt_text');
  else checkString(ctx, `${ptr}/alt_text`, element.alt_text, 2000);
};

function checkImageSource(ctx: Ctx, element: Json, ptr: string): void {
  if (element.image_url === undefined && element.slack_file === undefined) {
    report(ctx, ptr, 'missing required field: image_url');
    return;
  }
  checkOptionalString(ctx, element, 'image_url', ptr, 3000);
}

const ELEMENT_RULES: Record<string, ElementRule> = {
  button: checkButton,
  static_select: checkStaticSelect,
  multi_static_select: checkStaticSelect,
  external_select: checkExternalSelect,
  multi_external_select: checkExternalSelect,
  users_select: conversationSelectRule('initial_user', false),
  multi_users_select: conversationSelectRule('initial_users', true),
  conversations_select: conversationSelectRule('initial_conversation', false),
  multi_conversations_select: conversationSelectRule('initial_conversations', true),
  channels_select: conversationSelectRule('initial_channel', false),
  multi_channels_select: conversationSelectRule('initial_channels', true),
  radio_buttons: choiceRule(10),
  checkboxes: choiceRule(10),
  overflow: checkOverflow,
  datepicker: checkDatepicker,
  timepicker: checkTimepicker,
  datetimepicker: checkDatetimepicker,
  plain_text_input: checkPlainTextInput,
  number_input: checkNumberInput,
  email_text_input: checkSimpleTextInput,
  url_text_input: checkSimpleTextInput,
  rich_text_input: checkRichTextInput,
  file_input: checkFileInput,
  image: checkImageElement,
};

function checkElement(ctx: Ctx, element: unknown, ptr: string, allowed: Set<string>, where: string): void {
  if (!isRecord(element)) {
    report(ctx, ptr, 'must be an element object');
    return;
  }
  const type = element.type;
  const rule = typeof type === 'string' ? ELEMENT_RULES[type] : undefined;
  if (typeof type !== 'string' || !allowed.has(type) || !rule) {
    report(ctx, `${ptr}/type`, `unsupported element type "${String(type)}" in ${where}`);
    return;
  }
  rule(ctx, element, ptr);
}

const checkSection: BlockRule = (ctx, block, ptr) => {
  if (block.text === undefined && block.fields === undefined) {
    report(ctx, ptr, 'must provide text or fields');
  }
  checkOptionalText(ctx, block, 'text', ptr, { max: 3000 });
  if (block.fields !== undefined && checkArray(ctx, `${ptr}/fields`, block.fields, 1, 10)) {
    block.fields.forEach((field, i) => {
      checkTextObject(ctx, `${ptr}/fields/${i}`, field, { max: 2000 });
    });
  }
  if (block.accessory !== undefined) {
    checkElement(ctx, block.accessory, `${ptr}/accessory`, SECTION_ACCESSORY_TYPES, 'section accessory');
  }
};

const checkHeader: BlockRule = (ctx, block, ptr) => {
  checkRequiredText(ctx, block, 'text', ptr, { max: 150, plainOnly: true });
};

const checkDivider: BlockRule = () => {};

const checkContext: BlockRule = (ctx, block, ptr) => {
  const p = `${ptr}/elements`;
  if (!checkArray(ctx, p, block.elements, 1, 10)) return;
  block.elements.forEach((element, i) => {
    if (isRecord(element) && element.type === 'image') checkImageElement(ctx, element, `${p}/${i}`);
    else checkTextObject(ctx, `${p}/${i}`, element, { max: 3000 });
  });
};

const checkActions: BlockRule = (ctx, block, ptr) => {
  const p = `${ptr}/elements`;
  if (!checkArray(ctx, p, block.elements, 1, 25)) return;
  block.elements.forEach((element, i) => {
    checkElement(ctx, element, `${p}/${i}`, ACTIONS_ELEMENT_TYPES, 'actions block');
  });
};

const checkInput: BlockRule = (ctx, block, ptr) => {
  checkRequiredText(ctx, block, 'label', ptr, { max: 2000, plainOnly: true });
  checkOptionalText(ctx, block, 'hint', ptr, { max: 2000, plainOnly: true });
  checkBoolean(ctx, block, 'optional', ptr);
  checkBoolean(ctx, block, 'dispatch_action', ptr);
  if (block.element === undefined) {
    report(ctx, ptr, 'missing required field: element');
    return;
  }
  checkElement(ctx, block.element, `${ptr}/element`, INPUT_ELEMENT_TYPES, 'input block');
};

const checkImageBlock: BlockRule = (ctx, block, ptr) => {
  checkImageElement(ctx, block, ptr);
  checkOptionalText(ctx, block, 'title', ptr, { max: 2000, plainOnly: true });
};

const checkRichText: BlockRule = (ctx, block, ptr) => {
  checkArray(ctx, `${ptr}/elements`, block.elements, 0, Number.POSITIVE_INFINITY);
};

const TABLE_ALIGNS = new Set(['left', 'center', 'right']);

function checkTableCell(ctx: Ctx, cell: unknown, ptr: string): void {
  if (isRecord(cell) && cell.type === 'raw_text') {
    if (typeof cell.text !== 'string' || [...cell.text].length < 1)
      report(ctx, `${ptr}/text`, 'must be at least 1 character');
    return;
  }
  if (isRecord(cell) && cell.type === 'rich_text') {
    checkRichText(ctx, cell, ptr);
    return;
  }
  report(ctx, `${ptr}/type`, 'table cells must be raw_text or rich_text');
}

/** Table block: messages only, one per message, ≤ 100 rows of ≤ 20 cells, ≤ 20 column settings. */
const checkTable: BlockRule = (ctx, block, ptr) => {
  if (ctx.surface !== 'message') {
    report(ctx, `${ptr}/type`, `unsupported block type "table" in a ${ctx.surface}`);
    return;
  }
  ctx.tables += 1;
  if (ctx.tables > 1) report(ctx, ptr, 'only_one_table_allowed');
  if (checkArray(ctx, `${ptr}/rows`, block.rows, 1, 100)) {
    block.rows.forEach((row, r) => {
      if (!checkArray(ctx, `${ptr}/rows/${r}`, row, 1, 20)) return;
      row.forEach((cell, c) => {
        checkTableCell(ctx, cell, `${ptr}/rows/${r}/${c}`);
      });
    });
  }
  if (block.column_settings === undefined) return;
  if (!checkArray(ctx, `${ptr}/column_settings`, block.column_settings, 0, 20)) return;
  block.column_settings.forEach((setting, i) => {
    if (setting === null) return;
    const p = `${ptr}/column_settings/${i}`;
    if (!isRecord(setting)) {
      report(ctx, p, 'must be an object or null');
      return;
    }
    if (setting.align !== undefined && !TABLE_ALIGNS.has(String(setting.align))) {
      report(ctx, `${p}/align`, 'must be one of: left, center, right');
    }
    checkBoolean(ctx, setting, 'is_wrapped', p);
  });
};

const BLOCK_RULES: Record<string, BlockRule> = {
  table: checkTable,
  section: checkSection,
  header: checkHeader,
  divider: checkDivider,
  context: checkContext,
  actions: checkActions,
  input: checkInput,
  image: checkImageBlock,
  rich_text: checkRichText,
};

function checkBlock(ctx: Ctx, block: unknown, ptr: string): void {
  if (!isRecord(block)) {
    report(ctx, ptr, 'must be a block object');
    return;
  }
  const rule = typeof block.type === 'string' ? BLOCK_RULES[block.type] : undefined;
  if (!rule) {
    report(ctx, `${ptr}/type`, `unsupported block type "${String(block.type)}"`);
    return;
  }
  checkUniqueId(ctx, ctx.blockIds, 'block_id', `${ptr}/block_id`, block.block_id);
  if (ctx.actionIdScope === 'block') ctx.actionIds = new Set();
  rule(ctx, block, ptr);
}

function newCtx(surface: Surface, options: ValidationOptions): Ctx {
  const actionIdScope = options.actionIdScope ?? 'block';
  return { surface, actionIdScope, problems: [], blockIds: new Set(), actionIds: new Set(), tables: 0 };
}

function checkBlockList(ctx: Ctx, blocks: unknown, ptr: string): void {
  if (!checkArray(ctx, ptr, blocks, 0, MAX_BLOCKS[ctx.surface])) return;
  blocks.forEach((block, i) => {
    checkBlock(ctx, block, `${ptr}/${i}`);
  });
}

/** Problems with `blocks` on the given surface; empty when Slack would accept them. */
export function validateBlocks(blocks: unknown, surface: Surface, options: ValidationOptions = {}): string[] {
  const ctx = newCtx(surface, options);
  checkBlockList(ctx, blocks, '/blocks');
  return ctx.problems;
}

function hasInputBlock(blocks: unknown): boolean {
  return Array.isArray(blocks) && blocks.some((b) => isRecord(b) && b.type === 'input');
}

function checkModalFields(ctx: Ctx, view: Json): void {
  checkRequiredText(ctx, view, 'title', '/view', { max: 24, plainOnly: true });
  checkOptionalText(ctx, view, 'close', '/view', { max: 24, plainOnly: true });
  if (view.submit === undefined || view.submit === null) {
    if (hasInputBlock(view.blocks)) report(ctx, '/view', 'missing required field: submit');
  } else {
    checkTextObject(ctx, '/view/submit', view.submit, { max: 24, plainOnly: true });
  }
  checkBoolean(ctx, view, 'clear_on_close', '/view');
  checkBoolean(ctx, view, 'notify_on_close', '/view');
  checkBoolean(ctx, view, 'submit_disabled', '/view');
}

/** Problems with a modal or home tab view object; empty when Slack would accept it. */
export function validateView(view: unknown, options: ValidationOptions = {}): string[] {
  if (!isRecord(view)) return ['must be an object [json-pointer:/view]'];
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    return [
      type === undefined
        ? 'missing required field: type [json-pointer:/view]'
        : 'must be one of: modal, home [json-pointer:/view/type]',
    ];
  }
  const ctx = newCtx(type, options);
  if (type === 'modal') checkModalFields(ctx, view);
  checkOptionalString(ctx, view, 'callback_id', '/view', 255);
  checkOptionalString(ctx, view, 'private_metadata', '/view', 3000);
  checkOptionalString(ctx, view, 'external_id', '/view', 255);
  if (view.blocks === undefined) report(ctx, '/view', 'missing required field: blocks');
  else checkBlockList(ctx, view.blocks, '/view/blocks');
  return ctx.problems;
}

/** Problems with message `metadata` (must be `{event_type: string, event_payload: object}`). */
export function validateMetadata(metadata: unknown): string[] {
  if (!isRecord(metadata)) return ['must be an object [json-pointer:/metadata]'];
  const problems: string[] = [];
  if (typeof metadata.event_type !== 'string' || metadata.event_type.length === 0) {
    problems.push('event_type must be a non-empty string [json-pointer:/metadata/event_type]');
  }
  if (!isRecord(metadata.event_payload)) {
    problems.push('event_payload must be an object [json-pointer:/metadata/event_payload]');
  }
  return problems;
}
