import { bench, describe } from 'vitest';
import { parseAmount } from '../src/workflow/amount.js';

/**
 * Reading an amount runs inside a view submission's ack, so it must cost next to nothing whatever is typed.
 * Baseline: the plainest input. vitest prints how many times slower each case is.
 */

describe('reading an amount', () => {
  bench('baseline: 12000000', () => {
    parseAmount('12000000');
  });

  bench('約 ¥1、200万円 (every normalisation)', () => {
    parseAmount('約 ¥1、200万円');
  });

  bench('the longest kanji amount: 九千九百九十九億九千九百九十九万九千九百九十九', () => {
    parseAmount('九千九百九十九億九千九百九十九万九千九百九十九');
  });

  bench('a refusal with a proposed reading: 2億5千', () => {
    parseAmount('2億5千');
  });

  bench('30 characters of misplaced commas: 1,000,000,000,000,000,000,00', () => {
    parseAmount('1,000,000,000,000,000,000,00');
  });

  bench('a 100,000-character paste', () => {
    parseAmount('1,'.repeat(50_000));
  });
});
