/** Parses yen amounts the way people type them: 12000000, 12,000,000, 1200万, 1.2億, ¥1,200万, １２００万円. */

export const MAX_AMOUNT = 999_999_999_999;

export type AmountResult = { ok: true; value: number } | { ok: false; message: string };

const units: Record<string, number> = { 億: 8, 万: 4, 千: 3 };
const numberPart = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?`;
const grammar = new RegExp(`^(?:${numberPart}億)?(?:${numberPart}(千)?万)?(?:${numberPart}(千)?)?$`);

const formatHint = '金額は 12000000、1,200万、1.2億 のように入力してください。';

export function parseAmount(input: string): AmountResult {
  const text = input
    .normalize('NFKC')
    .replace(/[\s　]/g, '')
    .replace(/^[¥\\]/, '')
    .replace(/円$/, '');
  if (text === '') return { ok: false, message: formatHint };
  if (/^[-−ー▲△]/.test(text)) return { ok: false, message: '金額にマイナスは入力できません。' };
  const match = grammar.exec(text);
  if (!match || match.slice(1).every((part) => part === undefined)) return { ok: false, message: formatHint };

  const [, okuInt, okuFrac, manInt, manFrac, manThousand, restInt, restFrac, restThousand] = match;
  const parts = [
    scaled(okuInt, okuFrac, units.億 ?? 8),
    scaled(manInt, manFrac, (units.万 ?? 4) + (manThousand ? 3 : 0)),
    scaled(restInt, restFrac, restThousand ? 3 : 0),
  ];
  if (parts.some((part) => part === 'fraction')) return { ok: false, message: '1円未満の金額は入力できません。' };
  const value = (parts as number[]).reduce((sum, part) => sum + part, 0);
  if (!Number.isSafeInteger(value) || value > MAX_AMOUNT) {
    return { ok: false, message: '金額が大きすぎます。1兆円未満で入力してください。' };
  }
  return { ok: true, value };
}

/** `int.frac × 10^exponent` as whole yen, or 'fraction' when it leaves sen behind. */
function scaled(int: string | undefined, frac: string | undefined, exponent: number): number | 'fraction' {
  if (int === undefined) return 0;
  const digits = `${int.replace(/,/g, '')}${frac ?? ''}`.replace(/^0+(?=\d)/, '');
  const shift = exponent - (frac?.length ?? 0);
  if (shift >= 0) return Number(digits) * 10 ** shift;
  const cut = digits.length + shift;
  const tail = digits.slice(Math.max(cut, 0));
  if (/[1-9]/.test(tail)) return 'fraction';
  return cut <= 0 ? 0 : Number(digits.slice(0, cut));
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
