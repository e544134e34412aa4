/**
 * One copy of each rule: a report typed in the modal and the same report sent to the start API are
 * judged alike (text limits and characters, the date range, user ids).
 */
import { describe, expect, it } from 'vitest';
import { parseDealRequest } from '../../src/api/deal-request.js';
import { readReportForm } from '../../src/forms/report-form.js';
import { REPORT_BLOCK as B, inputActionId } from '../../src/ids.js';
import { LIMITS } from '../../src/workflow/catalog.js';
import { DEFAULT_OPTION_LISTS } from '../../src/workflow/options.js';

const OWNER = 'U0REP01';

function fromModal(fields: { customer?: string; description?: string; date?: string; owner?: string }) {
  const values = {
    [B.customer]: { [inputActionId(B.customer)]: { value: fields.customer ?? '株式会社サンプル' } },
    [B.title]: { [inputActionId(B.title)]: { value: '基幹システム更改' } },
    [B.description]: { [inputActionId(B.description)]: { value: fields.description ?? null } },
    [B.expectedCloseDate]: { [inputActionId(B.expectedCloseDate)]: { selected_date: fields.date ?? null } },
    [B.owner]: { [inputActionId(B.owner)]: { selected_user: fields.owner ?? OWNER } },
  };
  const result = readReportForm(values, DEFAULT_OPTION_LISTS);
  return result.ok ? { ok: true, value: result.value } : { ok: false, errors: Object.values(result.errors) };
}

function fromApi(fields: { customer?: string; description?: string; date?: string; owner?: string }) {
  const body = {
    customer: fields.customer ?? '株式会社サンプル',
    title: '基幹システム更改',
    ...(fields.description === undefined ? {} : { description: fields.description }),
    ...(fields.date === undefined ? {} : { expectedCloseDate: fields.date }),
    owner: { slackUserId: fields.owner ?? OWNER },
  };
  const result = parseDealRequest(body, DEFAULT_OPTION_LISTS);
  return result.ok
    ? { ok: true, value: result.value.report }
    : { ok: false, errors: result.details.map((d) => d.message) };
}

/** An error as the rule says it, without the field's name (the API adds the JSON field to its label). */
const rule = (message: string) => message.replace(/^[^はをに]*(は|を|に)/, '$1');

describe('the modal and the start API judge a report alike', () => {
  it.each([
    ['a 顧客名 one character too long', { customer: 'あ'.repeat(LIMITS.shortText + 1) }],
    ['a bell in 顧客名', { customer: '株式会社\u0007ベル' }],
    ['a newline in 顧客名', { customer: '株式会社\nサンプル' }],
    ['a 顧客名 of spaces only', { customer: '   ' }],
    ['a right-to-left override in 案件概要', { description: '更改\u202Egnp.exe' }],
    ['a date after 2099', { date: '2100-01-01' }],
    ['a date before 2000', { date: '1999-12-31' }],
    ['a date that does not exist', { date: '2026-02-30' }],
    ['a user id that is not one', { owner: 'X0REP01' }],
  ])('%s: refused by both, for the same reason', (_name, fields) => {
    const modal = fromModal(fields);
    const api = fromApi(fields);
    expect(modal.ok).toBe(false);
    expect(api.ok).toBe(false);
    if (!('date' in fields) && !('owner' in fields)) {
      expect(api.errors?.map(rule)).toEqual(modal.errors?.map(rule));
    }
  });

  it.each([
    ['the longest 顧客名', { customer: 'あ'.repeat(LIMITS.shortText) }],
    [
      'a 案件概要 of several lines, with Windows line ends and spaces around',
      { description: '  一行目\r\n二行目\t \n' },
    ],
    ['the last day of 2099', { date: '2099-12-31' }],
    ['the first day of 2000', { date: '2000-01-01' }],
  ])('%s: accepted by both, stored alike', (_name, fields) => {
    const modal = fromModal(fields);
    const api = fromApi(fields);
    expect(modal.ok).toBe(true);
    expect(api.ok).toBe(true);
    const picked = (report: unknown) => {
      const { customer, description, expectedCloseDate } = report as Record<string, unknown>;
      return { customer, description, expectedCloseDate };
    };
    expect(picked(api.value)).toEqual(picked(modal.value));
  });
});
