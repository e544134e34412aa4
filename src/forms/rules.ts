import { isCalendarDate } from '../workflow/dates.js';
import { hasForbiddenChars } from './characters.js';

/** The rules a field follows wherever it is typed: in a modal or sent to the start API. One copy each. */

/** A Slack user id (U… or W…). */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** The dates a deal may carry: real calendar days from 2000 to 2099. */
export const DATE_RANGE_LABEL = '2000年〜2099年';

export function isDateInRange(value: string): boolean {
  return isCalendarDate(value) && value >= '2000-01-01' && value <= '2099-12-31';
}

export interface TextRule {
  label: string;
  max: number;
  required?: boolean;
  multiline?: boolean;
}

export type RuleResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Text as stored: line ends as \n, trimmed; empty is "not given" (null) unless required. Counted in
 * characters, as Slack counts them.
 */
export function checkText(raw: string, rule: TextRule): RuleResult<string | null> {
  const value = raw.replace(/\r\n?/g, '\n').trim();
  if (value === '') {
    return rule.required ? { ok: false, message: `${rule.label}を入力してください。` } : { ok: true, value: null };
  }
  const length = [...value].length;
  if (length > rule.max) {
    return { ok: false, message: `${rule.label}は${rule.max}文字以内にしてください (いま${length}文字)。` };
  }
  if (hasForbiddenChars(value, rule.multiline ?? false)) {
    return { ok: false, message: `${rule.label}に使えない文字 (制御文字や改行など) が含まれています。` };
  }
  return { ok: true, value };
}
