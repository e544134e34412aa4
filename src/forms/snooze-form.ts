import { SNOOZE_BLOCK } from '../ids.js';
import { SNOOZE_REASON_MAX, snoozeDateProblem } from '../workflow/snoozes.js';
import { FormReader, type FormResult, type StateValues } from './fields.js';

export interface SnoozeInput {
  until: string;
  reason: string;
}

/** 保留にする: a date after today and at most 90 days ahead, and a reason. */
export function readSnoozeForm(values: StateValues, today: string): FormResult<SnoozeInput> {
  const form = new FormReader(values);
  const until = form.date(SNOOZE_BLOCK.until, { required: true, label: '保留の期限' });
  const reason = form.text(SNOOZE_BLOCK.reason, { required: true, max: SNOOZE_REASON_MAX, label: '保留の理由' });
  const problem = until === null ? null : snoozeDateProblem(until, today);
  if (problem) form.reject(SNOOZE_BLOCK.until, problem);
  return form.result({ until: until ?? '', reason: reason ?? '' });
}
