/**
 * Reads yen amounts the way Japanese business people type them: 12000000, 12,000,000, 1200万, 1.2億,
 * ¥1,200万, 2億5千万, 12百万, 一億二千万, 約3000万, 1、200万, full-width digits.
 * Input that could mean two different amounts (2億5千, 1億12000万) is refused with a question, never guessed.
 */

export const MAX_AMOUNT = 999_999_999_999;
const MAX_LENGTH = 30;

/** `value: null` is an amount not decided yet (a lone `-` or `未定`). */
export type AmountResult = { ok: true; value: number | null } | { ok: false; message: string };

/** One coefficient with its place, as typed: `1.2億` is digits 12, one fraction digit, exponent 8. */
type Term = { text: string; digits: string; fractionDigits: number; exponent: number; bigUnit: string };

const formatHint = '金額は 12000000、1,200万、1.2億 のように入力してください。';
const orderHint = '1億2000万 のように、大きい位から順に入力してください。';
const kanjiDigits = '〇一二三四五六七八九';
const smallUnits: Record<string, number> = { 十: 1, 百: 2, 千: 3 };
const bigUnits: Record<string, number> = { 万: 4, 億: 8 };
/** A coefficient (1,200 / 1.5 / 三) and/or a small unit (千百十). Sticky, and every part optional: it always matches. */
const termPattern = /(?:(\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:\.(\d+))?|([〇一二三四五六七八九]+))?([十百千])?/y;

export function parseAmount(input: string): AmountResult {
  // Checks the length in UTF-16 units first, so that a long paste costs nothing to refuse.
  if (input.length > 2 * MAX_LENGTH || [...input].length > MAX_LENGTH)
    return fail(`金額は${MAX_LENGTH}文字以内で入力してください。`);
  return readAmount(normalize(input));
}

function readAmount(text: string): AmountResult {
  if (/^(?:[-‐―−–—ー]|未定)$/.test(text)) return { ok: true, value: null };
  if (/^[-‐―−–—ー▲△]/.test(text)) return fail('金額にマイナスは入力できません。');
  const terms = readTerms(text);
  if (!terms || terms.length === 0) return fail(formatHint);
  const values = terms.map(wholeYen).filter((value): value is bigint => value !== null);
  if (values.length < terms.length) return fail('1円未満の金額は入力できません。');
  const overlap = firstOverlap(terms, values);
  if (overlap) return fail(`「${text}」は「${overlap[0]}」と「${overlap[1]}」の位が重なっています。${orderHint}`);
  const total = values.reduce((sum, value) => sum + value, 0n);
  if (total > BigInt(MAX_AMOUNT)) return fail('金額が大きすぎます。1兆円未満で入力してください。');
  if (lacksMan(terms)) return fail(askForMan(text, Number(total)));
  return { ok: true, value: Number(total) };
}

function fail(message: string): AmountResult {
  return { ok: false, message };
}

/** Full-width to ASCII, IME's 、 as a comma, 零 as 〇, and the 約 / ¥ / 円 around the number dropped. */
function normalize(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/\s/g, '')
    .replace(/、/g, ',')
    .replace(/零/g, '〇')
    .replace(/^約/, '')
    .replace(/^[¥\\]/, '')
    .replace(/円$/, '');
}

/** Splits the text into terms, each carrying the 万/億 that closes its group; null when something is not a number. */
function readTerms(text: string): Term[] | null {
  const terms: Term[] = [];
  let group: Term[] = [];
  let position = 0;
  while (position < text.length) {
    termPattern.lastIndex = position;
    const match = termPattern.exec(text) as RegExpExecArray;
    if (match[0] !== '') {
      group.push(termFrom(match));
      position += match[0].length;
      continue;
    }
    const unit = text.charAt(position);
    const exponent = bigUnits[unit];
    if (exponent === undefined || group.length === 0) return null;
    for (const term of group) {
      terms.push({ ...term, text: term.text + unit, exponent: term.exponent + exponent, bigUnit: unit });
    }
    group = [];
    position += 1;
  }
  return [...terms, ...group];
}

function termFrom(match: RegExpExecArray): Term {
  const [text, arabic, fraction, kanji, unit] = match;
  const integer = arabic?.replace(/,/g, '') ?? [...(kanji ?? '')].map((digit) => kanjiDigits.indexOf(digit)).join('');
  return {
    text,
    digits: `${integer === '' ? '1' : integer}${fraction ?? ''}`,
    fractionDigits: fraction?.length ?? 0,
    exponent: unit ? (smallUnits[unit] ?? 0) : 0,
    bigUnit: '',
  };
}

/** The term in whole yen, or null when it leaves sen behind (1.5, 1.23456万). */
function wholeYen(term: Term): bigint | null {
  const shift = term.exponent - term.fractionDigits;
  const digits = BigInt(term.digits);
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  return digits % divisor === 0n ? digits / divisor : null;
}

/** The smallest place a term writes: 1万 → 10^4, 1.2億 → 10^7. */
function lowestPlace(term: Term): bigint {
  return 10n ** BigInt(Math.max(term.exponent - term.fractionDigits, 0));
}

/**
 * Each term must sit wholly below the lowest place of the one before it. 1億12000万 (12000万 reaches 億),
 * 1.2億5000万 (1.2億 already wrote the 千万 place) and 1万10千 all break this; 2億5千万 and 12千345 don't.
 */
function firstOverlap(terms: Term[], values: bigint[]): [string, string] | null {
  for (let i = 1; i < terms.length; i++) {
    const [previous, term, value] = [terms[i - 1] as Term, terms[i] as Term, values[i] as bigint];
    const floor = lowestPlace(previous);
    if (value >= floor || lowestPlace(term) >= floor) return [previous.text, term.text];
  }
  return null;
}

/** 2億5千 or 1億5000: strictly 200,005,000, but people who write 億 mean 2億5千万. */
function lacksMan(terms: Term[]): boolean {
  const units = terms.map((term) => term.bigUnit);
  return units.at(-1) === '' && units.includes('億') && !units.includes('万');
}

/** Proposes the reading with 万 when that reading is itself a valid amount. */
function askForMan(text: string, literal: number): string {
  const reading = `${text}万`;
  if (!readAmount(reading).ok) return `「${text}」は億の次に万がなく、金額が定まりません。${orderHint}`;
  return `「${text}」は ${formatAmount(literal)} ではなく ${reading}円のことですか？万まで入力してください。`;
}

/** 12000000 → "1,200万円"; small or uneven amounts keep every yen: 12345 → "12,345円". */
export function formatAmount(value: number): string {
  if (value >= 100_000_000 && value % 1_000_000 === 0) {
    const oku = Math.floor(value / 100_000_000);
    const man = (value % 100_000_000) / 10_000;
    return man === 0
      ? `${oku.toLocaleString('ja-JP')}億円`
      : `${oku.toLocaleString('ja-JP')}億${man.toLocaleString('ja-JP')}万円`;
  }
  if (value >= 10_000 && value % 10_000 === 0) return `${(value / 10_000).toLocaleString('ja-JP')}万円`;
  return `${value.toLocaleString('ja-JP')}円`;
}
