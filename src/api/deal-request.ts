import { z } from 'zod';
import { hasForbiddenChars } from '../forms/characters.js';
import { checkText, DATE_RANGE_LABEL, isDateInRange, SLACK_USER_ID } from '../forms/rules.js';
import { MAX_AMOUNT, parseAmount } from '../workflow/amount.js';
import { LIMITS } from '../workflow/catalog.js';
import { findOfferedOption, type OptionListKey, type OptionLists, offeredOptions } from '../workflow/options.js';
import type { DealReport } from '../workflow/types.js';

/** The body of POST /api/deals, checked field by field; every problem is reported at once, in Japanese. */

export const MAX_EXTERNAL_ID = 200;
const DEFAULT_SOURCE = '外部システム';

/** A deal sent without a source came from another system, while that option is offered. */
function defaultSource(lists: OptionLists): string | null {
  return findOfferedOption(lists, 'source', DEFAULT_SOURCE);
}

export type OwnerRef = { slackUserId: string } | { email: string };

export interface DealRequest {
  report: Omit<DealReport, 'ownerId'>;
  owner: OwnerRef;
  externalId: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}

export type DealRequestResult = { ok: true; value: DealRequest } | { ok: false; details: FieldError[] };

function typeError(label: string, expected: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? `${label}は必須です。` : `${label}は${expected}で指定してください。`;
}

/** Trimmed text; '' is "not given" (null) unless required. Counted in characters, as the modal counts. */
function text(label: string, options: { max: number; required?: boolean; multiline?: boolean }) {
  return z.string({ error: typeError(label, '文字列') }).transform((raw, ctx) => {
    const checked = checkText(raw, { label, ...options });
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: 'custom', message: checked.message });
    return z.NEVER;
  });
}

/** An option of a list in force, named by its id or its label; stored as its id. */
function choice(label: string, lists: OptionLists, list: OptionListKey) {
  const hint = () =>
    offeredOptions(lists, list)
      .map((option) => option.label)
      .join('、');
  return z
    .string({ error: () => `${label}は次のいずれかで指定してください: ${hint()}` })
    .transform((value, ctx) => {
      const id = findOfferedOption(lists, list, value);
      if (id !== null) return id;
      ctx.addIssue({ code: 'custom', message: `${label}は次のいずれかで指定してください: ${hint()}` });
      return z.NEVER;
    })
    .nullish();
}

/** 見込み金額: whole yen as a JSON integer, or a string the way people type it (1200万, 1.2億, 12,000,000, 未定). */
const amount = z
  .unknown()
  .transform((value, ctx): number | null => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message: `見込み金額: ${message}` });
      return z.NEVER;
    };
    if (value === null || value === '') return null;
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) return fail('円単位の整数で指定してください。');
      if (value < 0) return fail('マイナスは指定できません。');
      if (value > MAX_AMOUNT) return fail('金額が大きすぎます。1兆円未満で指定してください。');
      return value;
    }
    if (typeof value !== 'string') return fail('整数 (円) か、"1200万" のような文字列で指定してください。');
    const parsed = parseAmount(value);
    return parsed.ok ? parsed.value : fail(parsed.message);
  })
  .optional();

const expectedCloseDate = z
  .string({ error: typeError('受注予定時期', '"YYYY-MM-DD" 形式の文字列') })
  .refine(isDateInRange, {
    message: `受注予定時期は ${DATE_RANGE_LABEL} の実在する日付を "YYYY-MM-DD" 形式で指定してください。`,
  })
  .nullish();

const ownerHint = '担当営業 (owner) は {"slackUserId": "U…"} か {"email": "…"} で指定してください。';

const owner = z
  .strictObject(
    {
      slackUserId: z
        .string({ error: 'slackUserId は文字列で指定してください。' })
        .regex(SLACK_USER_ID, 'slackUserId は Slack のユーザーID (U… または W…) で指定してください。')
        .optional(),
      email: z
        .email({ error: 'email はメールアドレスの形式で指定してください。' })
        .max(254, 'email が長すぎます。')
        .optional(),
    },
    { error: (issue) => (issue.input === undefined ? `担当営業 (owner) は必須です。${ownerHint}` : ownerHint) },
  )
  .refine((value) => (value.slackUserId === undefined) !== (value.email === undefined), {
    message: `slackUserId と email のどちらか一方だけを指定してください。${ownerHint}`,
  })
  .transform(
    (value): OwnerRef =>
      value.email === undefined ? { slackUserId: value.slackUserId ?? '' } : { email: value.email },
  );

const externalId = z
  .string({ error: typeError('externalId', '文字列') })
  .min(1, 'externalId を空にはできません。省略するか、送信元での案件IDを指定してください。')
  .max(MAX_EXTERNAL_ID, `externalId は${MAX_EXTERNAL_ID}文字以内で指定してください。`)
  .refine((value) => !hasForbiddenChars(value, false), {
    message: 'externalId に使えない文字 (制御文字や改行など) が含まれています。',
  })
  .nullish();

const schemaFor = (lists: OptionLists) =>
  z.strictObject(
    {
      customer: text('顧客名 (customer)', { max: LIMITS.shortText, required: true }),
      title: text('案件名 (title)', { max: LIMITS.shortText, required: true }),
      industry: choice('業種 (industry)', lists, 'industry'),
      companySize: choice('会社規模 (companySize)', lists, 'companySize'),
      source: choice('案件発生経路 (source)', lists, 'source'),
      amount,
      expectedCloseDate,
      contactName: text('顧客担当者 (contactName)', { max: LIMITS.shortText }).nullish(),
      description: text('案件概要 (description)', { max: LIMITS.longText, multiline: true }).nullish(),
      owner,
      externalId,
    },
    { error: 'リクエストの本文は JSON オブジェクトにしてください。' },
  );

/** One entry per field, the first problem found in it; unknown fields are named one by one. */
function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const details: FieldError[] = [];
  const add = (field: string, message: string) => {
    if (!details.some((detail) => detail.field === field)) details.push({ field, message });
  };
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        add(path === '' ? key : `${path}.${key}`, '不明な項目です。項目名を確認してください。');
    } else {
      add(path === '' ? 'body' : path, issue.message);
    }
  }
  return details;
}

/** `lists`: the option lists in force (industry, companySize and source name one of their offered options). */
export function parseDealRequest(body: unknown, lists: OptionLists): DealRequestResult {
  const parsed = schemaFor(lists).safeParse(body);
  if (!parsed.success) return { ok: false, details: fieldErrors(parsed.error.issues) };
  const { owner, externalId, ...items } = parsed.data;
  return {
    ok: true,
    value: {
      report: {
        customer: items.customer ?? '',
        title: items.title ?? '',
        industry: items.industry ?? null,
        companySize: items.companySize ?? null,
        amount: items.amount ?? null,
        expectedCloseDate: items.expectedCloseDate ?? null,
        source: items.source ?? defaultSource(lists),
        contactName: items.contactName ?? null,
        description: items.description ?? null,
      },
      owner,
      externalId: externalId ?? null,
    },
  };
}
