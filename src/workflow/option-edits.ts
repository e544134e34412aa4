/**
 * An option list as admins edit it: one option per line, in the order offered. A line keeps the
 * option of that name (and its id); 「旧 → 新」 renames; a new name adds; a missing name retires;
 * the name of a retired option brings it back.
 */
import { type ListOption, OPTION_LABEL_MAX, OPTIONS_MAX } from './options.js';

export type ListEdit =
  | { ok: true; options: ListOption[]; changes: string[] }
  | { ok: false; message: string; line: number | null };

const RENAME = /\s*(?:→|->)\s*/;
const CONTROL = /\p{Cc}/u;

interface Line {
  number: number;
  from: string | null;
  label: string;
}

/** The text a list is edited as: its offered options, one a line. */
export function optionLines(options: readonly ListOption[]): string {
  return options
    .filter((option) => !option.retired)
    .map((option) => option.label)
    .join('\n');
}

function fail(line: number | null, message: string): ListEdit {
  return { ok: false, line, message: line === null ? message : `${line}行目: ${message}` };
}

function readLines(text: string): Line[] | ListEdit {
  const lines: Line[] = [];
  const rows = text.replace(/\r\n?/g, '\n').split('\n');
  for (const [index, raw] of rows.entries()) {
    const number = index + 1;
    const row = raw.trim();
    if (row === '') continue;
    if (CONTROL.test(row)) return fail(number, '使えない文字 (制御文字) が含まれています。');
    const parts = row.split(RENAME);
    if (parts.length > 2) return fail(number, '「→」は1行に1つだけ書いてください (例: 旧い名前 → 新しい名前)。');
    const [from, label] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : [null, row];
    if (from === '' || label === '') {
      return fail(number, '名前を変えるときは「今の名前 → 新しい名前」と書いてください。');
    }
    const length = [...label].length;
    if (length > OPTION_LABEL_MAX) {
      return fail(number, `選択肢は${OPTION_LABEL_MAX}文字以内にしてください (いま${length}文字)。`);
    }
    lines.push({ number, from, label });
  }
  return lines;
}

function newId(label: string, taken: Set<string>): string {
  if (!taken.has(label)) return label;
  let n = 2;
  while (taken.has(`${label}#${n}`)) n += 1;
  return `${label}#${n}`;
}

/** Applies the edited lines to `current`; refuses the whole edit, naming the line, at the first problem. */
export function applyOptionLines(current: readonly ListOption[], text: string): ListEdit {
  const lines = readLines(text);
  if (!Array.isArray(lines)) return lines;
  if (lines.length === 0) return fail(null, '選択肢を1つ以上入力してください (1行に1つ)。');
  if (lines.length > OPTIONS_MAX) {
    const extra = lines[OPTIONS_MAX];
    return fail(extra?.number ?? null, `選択肢は${OPTIONS_MAX}個までです (いま${lines.length}個)。`);
  }
  const byLabel = new Map(current.map((option) => [option.label, option]));
  const taken = new Set(current.map((option) => option.id));
  const claimed = new Set<string>();
  const seenLabels = new Map<string, number>();
  const offered: ListOption[] = [];
  for (const line of lines) {
    const before = seenLabels.get(line.label);
    if (before !== undefined) return fail(line.number, `「${line.label}」が重複しています (${before}行目と同じ)。`);
    seenLabels.set(line.label, line.number);
    const existing = byLabel.get(line.from ?? line.label);
    if (line.from !== null && !existing) return fail(line.number, `「${line.from}」という選択肢はありません。`);
    if (existing && claimed.has(existing.id)) {
      return fail(line.number, `「${existing.label}」は別の行でも使われています。`);
    }
    if (line.from !== null) {
      const other = byLabel.get(line.label);
      if (other && other.id !== existing?.id && !lines.some((l) => l.from === other.label)) {
        return fail(line.number, `「${line.label}」はすでに別の選択肢の名前です${other.retired ? ' (廃止中)' : ''}。`);
      }
    }
    if (existing) {
      claimed.add(existing.id);
      offered.push({ id: existing.id, label: line.label, retired: false });
    } else {
      const id = newId(line.label, taken);
      taken.add(id);
      offered.push({ id, label: line.label, retired: false });
    }
  }
  const retired = current.filter((option) => !claimed.has(option.id)).map((option) => ({ ...option, retired: true }));
  const options = [...offered, ...retired];
  return { ok: true, options, changes: describeChanges(current, options) };
}

/** What an edit changed, in words for the audit list; empty when nothing changed. */
export function describeChanges(before: readonly ListOption[], after: readonly ListOption[]): string[] {
  const old = new Map(before.map((option) => [option.id, option]));
  const changes: string[] = [];
  const added = after.filter((option) => !old.has(option.id)).map((option) => option.label);
  const renamed = after.flatMap((option) => {
    const was = old.get(option.id);
    return was && was.label !== option.label ? [`${was.label} → ${option.label}`] : [];
  });
  const retired = after.filter((o) => o.retired && old.get(o.id)?.retired === false).map((o) => o.label);
  const restored = after.filter((o) => !o.retired && old.get(o.id)?.retired === true).map((o) => o.label);
  if (added.length > 0) changes.push(`追加: ${added.join('、')}`);
  if (renamed.length > 0) changes.push(`名前の変更: ${renamed.join('、')}`);
  if (retired.length > 0) changes.push(`廃止: ${retired.join('、')}`);
  if (restored.length > 0) changes.push(`再開: ${restored.join('、')}`);
  const order = (options: readonly ListOption[]) =>
    options
      .filter((option) => !option.retired && old.has(option.id) && !old.get(option.id)?.retired)
      .map((option) => option.id);
  const keptOrderBefore = before.filter((o) => !o.retired && after.some((a) => a.id === o.id && !a.retired));
  if (order(after).join('\n') !== keptOrderBefore.map((o) => o.id).join('\n')) changes.push('並べ替え');
  return changes;
}
