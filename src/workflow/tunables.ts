/**
 * The thresholds and schedules of reminders and digests that admins may change. Adding one is one
 * entry in TUNABLES (and its environment default where the app builds the settings' defaults).
 */
import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';

export const tunablesSchema = z.object({
  reminderSchedule: z.string(),
  progressIntervalDays: z.number().int(),
  adviceStaleHours: z.number().int(),
  staleDays: z.number().int(),
  escalateAfter: z.number().int(),
  digestSchedule: z.string(),
});

export type Tunables = z.infer<typeof tunablesSchema>;
export type TunableKey = keyof Tunables;

export type TunableSpec =
  | { key: TunableKey; kind: 'schedule'; label: string; hint: string }
  | { key: TunableKey; kind: 'integer'; label: string; hint: string; min: number; max: number; unit: string };

export const TUNABLES: readonly TunableSpec[] = [
  {
    key: 'reminderSchedule',
    kind: 'schedule',
    label: '期限切れタスクのリマインド',
    hint: 'cron 形式 (分 時 日 月 曜日)。例: 0 10 * * 1-5 は平日10時。',
  },
  {
    key: 'progressIntervalDays',
    kind: 'integer',
    label: '次の記録の期日 (日後)',
    hint: '次のアクションの期日が空欄のとき、進捗の記録がこの日数後に期日になります。',
    min: 1,
    max: 90,
    unit: '日',
  },
  {
    key: 'adviceStaleHours',
    kind: 'integer',
    label: '助言待ちが止まったとみなす時間',
    hint: '助言の依頼からこの営業時間 (土日祝を除く) が過ぎると、止まっている案件になります。',
    min: 1,
    max: 24 * 60,
    unit: '時間',
  },
  {
    key: 'staleDays',
    kind: 'integer',
    label: '記録なしで止まったとみなす営業日',
    hint: '商談中の案件にこの営業日数、記録がないと止まっている案件になります。',
    min: 1,
    max: 365,
    unit: '営業日',
  },
  {
    key: 'escalateAfter',
    kind: 'integer',
    label: 'リーダに知らせるまでのリマインド回数',
    hint: '止まっている案件のリマインドがこの回数に達しても動かないと、営業リーダに知らせます。',
    min: 1,
    max: 100,
    unit: '回',
  },
  {
    key: 'digestSchedule',
    kind: 'schedule',
    label: '週次ダイジェストの送信',
    hint: 'cron 形式 (分 時 日 月 曜日)。例: 0 9 * * 1 は毎週月曜9時。',
  },
];

export type TunableResult = { ok: true; value: string | number } | { ok: false; message: string };

/** Reads one typed value; the message says what is wrong in words a person can act on. */
export function readTunable(spec: TunableSpec, raw: string): TunableResult {
  const text = raw.normalize('NFKC').trim();
  if (text === '') return { ok: false, message: `${spec.label}を入力してください。` };
  if (spec.kind === 'schedule') {
    const expression = text.replace(/\s+/g, ' ');
    return isCronExpression(expression)
      ? { ok: true, value: expression }
      : { ok: false, message: `「${text}」は cron 形式として読めません。${spec.hint}` };
  }
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
    return { ok: false, message: `${spec.min}〜${spec.max}${spec.unit}の整数で入力してください。` };
  }
  return { ok: true, value };
}

export function formatTunable(spec: TunableSpec, value: string | number): string {
  return spec.kind === 'integer' ? `${value}${spec.unit}` : String(value);
}
