import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from '../../src/workflow/amount.js';

function refusal(input: string): string {
  const result = parseAmount(input);
  if (result.ok) throw new Error(`${input} was read as ${result.value}`);
  return result.message;
}

describe('parseAmount', () => {
  it.each([
    ['12000000', 12_000_000],
    ['12,000,000', 12_000_000],
    ['1200万', 12_000_000],
    ['1.2億', 120_000_000],
    ['¥1,200万', 12_000_000],
    ['１２００万円', 12_000_000],
    ['１，２００万', 12_000_000],
    ['￥１２，０００，０００', 12_000_000],
    ['1億2000万', 120_000_000],
    ['2億5千万', 250_000_000],
    ['3千万', 30_000_000],
    ['１.２億', 120_000_000],
    [' 500 万円 ', 5_000_000],
    ['0', 0],
    ['999999999999', 999_999_999_999],
    ['12345', 12_345],
    ['1億2000万5000', 120_005_000],
    ['2万5千', 25_000],
    ['12百万円', 12_000_000],
    ['1.5百万', 1_500_000],
    ['１２百万', 12_000_000],
    ['1.5千万', 15_000_000],
    ['三千万', 30_000_000],
    ['一億二千万', 120_000_000],
    ['百万', 1_000_000],
    ['三百五十万円', 3_500_000],
    ['1億二千万', 120_000_000],
    ['約1200万', 12_000_000],
    ['約 ¥1,200万円', 12_000_000],
    ['約一億', 100_000_000],
    ['1、200万', 12_000_000],
    ['12、000、000円', 12_000_000],
    ['9999億9999万9999', 999_999_999_999],
  ])('reads %s as %d yen', (input, expected) => {
    expect(parseAmount(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['-', '－', 'ー', '−', '未定', ' 未定 '])('reads a lone %s as an amount not decided yet', (input) => {
    expect(parseAmount(input)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['2億5千', '「2億5千」は 200,005,000円 ではなく 2億5千万円のことですか？'],
    ['1億5000', '「1億5000」は 100,005,000円 ではなく 1億5000万円のことですか？'],
    ['一億二千', '一億二千万円のことですか？'],
    ['約2億5千円', '2億5千万円のことですか？'],
    ['1億12000', '億の次に万がなく'],
  ])('asks what %s means instead of guessing', (input, message) => {
    expect(refusal(input)).toContain(message);
  });

  it.each([
    ['1億12000万', '「1億」と「12000万」の位が重なっています'],
    ['1.2億5000万', '「1.2億」と「5000万」の位が重なっています'],
    ['1万10千', '「1万」と「10千」の位が重なっています'],
    ['1200万500万', '「1200万」と「500万」'],
    ['1万2億', '「1万」と「2億」'],
    ['1億1億', '「1億」と「1億」'],
    ['1千1000', '「1千」と「1000」'],
  ])('refuses the overlapping units in %s', (input, message) => {
    expect(refusal(input)).toContain(message);
  });

  it.each([
    ['-5', 'マイナス'],
    ['−1200万', 'マイナス'],
    ['▲100', 'マイナス'],
    ['ー500万', 'マイナス'],
    ['abc', '1,200万'],
    ['12,00', '1,200万'],
    ['1,2345', '1,200万'],
    ['', '1,200万'],
    ['万', '1,200万'],
    ['約', '1,200万'],
    ['未定です', '1,200万'],
    ['1200万、1500万', '1,200万'],
    ['1.5', '1円未満'],
    ['1.23456万', '1円未満'],
    ['1000000000000', '1兆円未満'],
    ['10000億', '1兆円未満'],
    ['10000億5千', '1兆円未満'],
    ['1兆', '1,200万'],
    ['100ドル', '1,200万'],
    ['1'.repeat(31), '30文字以内'],
  ])('refuses %s with a message mentioning %s', (input, fragment) => {
    expect(refusal(input)).toContain(fragment);
  });

  it('refuses long input before reading it', () => {
    const inputs = ['9'.repeat(10_000), '1,'.repeat(5_000), '千'.repeat(10_000), '一'.repeat(10_000)];
    for (const input of inputs) expect(refusal(input)).toContain('30文字以内');
  });
});

/**
 * The cases of public Japanese-numeral parsers that fall within an amount (under 1兆円), run through ours:
 * - twada/japanese-numerals-to-number, test/test.js
 * - nagataaaas/Kanjize, tests/test_kanjize.py (kanji2number)
 * Where we differ on purpose, the row says so.
 */
describe('parseAmount on public Japanese-numeral test suites', () => {
  it.each([
    // twada/japanese-numerals-to-number
    ['一', 1],
    ['二', 2],
    ['三〇', 30],
    ['六八', 68],
    ['一六〇〇', 1_600],
    ['二〇一七', 2_017],
    ['二十', 20],
    ['五十九', 59],
    ['三百二', 302],
    ['四千五百', 4_500],
    ['十五', 15],
    ['百八', 108],
    ['千六', 1_006],
    ['千十', 1_010],
    ['千百十', 1_110],
    ['百万', 1_000_000],
    ['一万五千八百', 15_800],
    ['二億五千万', 250_000_000],
    // nagataaaas/Kanjize
    ['十', 10],
    ['十一', 11],
    ['百十一', 111],
    ['二百十一', 211],
    ['百二十一', 121],
    ['千', 1_000],
    ['千一', 1_001],
    ['二千二十五', 2_025],
    ['五千八百七万六千九十九', 58_076_099],
    ['1', 1],
    ['10', 10],
    ['121', 121],
    ['1千', 1_000],
    ['1001', 1_001],
    ['2025', 2_025],
    ['5807万6099', 58_076_099],
    ['千1', 1_001],
    ['2千2十5', 2_025],
    ['4百万', 4_000_000],
    ['58百7万6千99', 58_076_099],
    ['1.5億', 150_000_000],
    ['250.32千', 250_320],
    ['一千二百三十四', 1_234],
    ['千二百三十四', 1_234],
    ['零', 0],
    ['12千345', 12_345],
    ['〇', 0],
    ['四〇四', 404],
  ])('reads %s as %d', (input, expected) => {
    expect(parseAmount(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    // Kanjize refuses these too
    ['1千1000', '位が重なって'],
    ['1万10千', '位が重なって'],
    ['万1千234', '1,200万'],
    ['1万0万', '位が重なって'],
    ['1万.00009億', '1,200万'],
    ['1億-2万', '1,200万'],
    ['1万+2', '1,200万'],
    ['千2e1', '1,200万'],
    ['inf', '1,200万'],
    ['七十二百一', '位が重なって'],
    // Kanjize reads these; we refuse on purpose
    ['1.5億250.32千', '億の次に万がなく'], // 億 without 万: the rep most likely left out the 万
    ['-1.5億', 'マイナス'], // an amount is never negative
    ['阡二百三拾四', '1,200万'], // 大字 (阡, 拾) are for cheques, not typed in Slack
    // twada reads these; 兆 is beyond any amount we store
    ['十兆百億七百万', '1,200万'],
    ['九千七兆千九百九十二億五千四百七十四万九百九十一', '1,200万'],
  ])('refuses %s (%s)', (input, fragment) => {
    expect(refusal(input)).toContain(fragment);
  });
});

describe('formatAmount', () => {
  it.each([
    [12_000_000, '1,200万円'],
    [120_000_000, '1億2,000万円'],
    [100_000_000, '1億円'],
    [12_345, '12,345円'],
    [0, '0円'],
  ])('writes %d as %s', (value, expected) => {
    expect(formatAmount(value)).toBe(expected);
  });
});
