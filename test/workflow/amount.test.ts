import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from '../../src/workflow/amount.js';

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
  ])('reads %s as %d yen', (input, expected) => {
    expect(parseAmount(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['-5', 'マイナス'],
    ['−1200万', 'マイナス'],
    ['▲100', 'マイナス'],
    ['abc', '1,200万'],
    ['12,00', '1,200万'],
    ['', '1,200万'],
    ['万', '1,200万'],
    ['1.5', '1円未満'],
    ['1.23456万', '1円未満'],
    ['1000000000000', '1兆円未満'],
    ['1兆', '1,200万'],
    ['100ドル', '1,200万'],
  ])('refuses %s with a message mentioning %s', (input, fragment) => {
    const result = parseAmount(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(fragment);
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
