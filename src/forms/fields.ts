import { inputActionId } from '../ids.js';
import { parseAmount } from '../workflow/amount.js';
import { checkText, DATE_RANGE_LABEL, isDateInRange, SLACK_USER_ID } from './rules.js';

/** Reads one modal's `view.state.values` field by field, collecting Japanese errors keyed by block_id. */

export interface ElementState {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_date?: string | null;
  selected_user?: string | null;
}

export type StateValues = Record<string, Record<string, ElementState | undefined> | undefined>;

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export class FormReader {
  readonly errors: Record<string, string> = {};

  constructor(private readonly values: StateValues) {}

  private element(blockId: string): ElementState | undefined {
    return this.values[blockId]?.[inputActionId(blockId)];
  }

  private fail(blockId: string, message: string): null {
    this.errors[blockId] ??= message;
    return null;
  }

  text(
    blockId: string,
    options: { required: boolean; max: number; multiline?: boolean; label: string },
  ): string | null {
    const checked = checkText(this.element(blockId)?.value ?? '', options);
    return checked.ok ? checked.value : this.fail(blockId, checked.message);
  }

  choice<T extends string>(
    blockId: string,
    choices: readonly T[],
    options: { required: boolean; label: string },
  ): T | null {
    const value = this.element(blockId)?.selected_option?.value ?? null;
    if (value === null) return options.required ? this.fail(blockId, `${options.label}を選んでください。`) : null;
    if (!(choices as readonly string[]).includes(value))
      return this.fail(blockId, `${options.label}の選択肢が正しくありません。`);
    return value as T;
  }

  date(blockId: string, options: { required: boolean; label: string }): string | null {
    const value = this.element(blockId)?.selected_date ?? null;
    if (value === null || value === '')
      return options.required ? this.fail(blockId, `${options.label}を選んでください。`) : null;
    if (!isDateInRange(value)) {
      return this.fail(blockId, `${options.label}は ${DATE_RANGE_LABEL} の実在する日付を選んでください。`);
    }
    return value;
  }

  amount(blockId: string, options: { label: string }): number | null {
    const raw = this.element(blockId)?.value?.trim() ?? '';
    if (raw === '') return null;
    const parsed = parseAmount(raw);
    return parsed.ok ? parsed.value : this.fail(blockId, `${options.label}: ${parsed.message}`);
  }

  user(blockId: string, options: { label: string }): string | null {
    const value = this.element(blockId)?.selected_user ?? null;
    if (value === null || !SLACK_USER_ID.test(value)) return this.fail(blockId, `${options.label}を選んでください。`);
    return value;
  }

  /** Records an error found by a rule that spans fields. */
  reject(blockId: string, message: string): void {
    this.fail(blockId, message);
  }

  result<T>(value: T): FormResult<T> {
    return Object.keys(this.errors).length > 0 ? { ok: false, errors: this.errors } : { ok: true, value };
  }
}
