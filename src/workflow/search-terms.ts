import type { Deal, TimelineData } from './types.js';

/**
 * Turning text into search terms and typed words into a query, for the deal search index.
 *
 * SQLite's trigram tokenizer cannot find two-character words (保守, 価格), which are most Japanese
 * words, so text is normalised (NFKC, ASCII case folded as LIKE folds it) and cut into overlapping
 * pairs of characters. Each pair becomes one token the FTS5 `ascii` tokenizer keeps whole: the two
 * code points in fixed-width hex. A word of n ≥ 2 characters is the phrase of its n − 1 pairs, which
 * matches exactly where the word occurs. Every run of text ends with a pair (last character, end), so
 * every character starts a token: a one-character word is a prefix query, and no phrase runs across
 * two runs of text.
 */

const END = '000000';
const HEX_WIDTH = 6;

/** A word shorter than this is searched only among the newest deals (see ONE_CHARACTER_SCAN). */
export const SHORTEST_INDEXED_WORD = 2;

/** NFKC (full-width ＡＢＣ１２３ → ABC123, half-width ｶﾅ → カナ) and ASCII case folding, as LIKE folds case. */
export function normaliseForSearch(text: string): string {
  return text.normalize('NFKC').replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

function hex(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).padStart(HEX_WIDTH, '0');
}

/** Runs of characters between white space; characters that cannot be typed (controls) split runs too. */
function runs(normalised: string): string[][] {
  return normalised
    .split(/[\s\p{Cc}]+/u)
    .filter((run) => run.length > 0)
    .map((run) => Array.from(run));
}

function runTokens(chars: readonly string[]): string[] {
  return chars.map((char, index) => hex(char) + (index + 1 < chars.length ? hex(chars[index + 1] ?? '') : END));
}

/** The index document of some texts: space-separated tokens, for an FTS5 table with the `ascii` tokenizer. */
export function documentTerms(texts: readonly string[]): string {
  return texts
    .flatMap((text) => runs(normaliseForSearch(text)))
    .map((chars) => runTokens(chars).join(' '))
    .join(' ');
}

/** The words a person typed, normalised, without repeats; white space (full-width too) separates them. */
export function searchWords(typed: string): string[] {
  return [...new Set(runs(normaliseForSearch(typed)).map((chars) => chars.join('')))];
}

/** One word as an FTS5 query: a one-character word is a prefix, a longer one the phrase of its pairs. */
function wordQuery(word: string): string {
  const chars = Array.from(word);
  if (chars.length < SHORTEST_INDEXED_WORD) return `${hex(chars[0] ?? '')}*`;
  const pairs = chars.slice(0, -1).map((char, index) => hex(char) + hex(chars[index + 1] ?? ''));
  return `"${pairs.join(' ')}"`;
}

/** Every word must occur (AND). Null when there is nothing to search for. */
export function matchExpression(words: readonly string[]): string | null {
  return words.length === 0 ? null : words.map(wordQuery).join(' AND ');
}

export function hasShortWord(words: readonly string[]): boolean {
  return words.some((word) => Array.from(word).length < SHORTEST_INDEXED_WORD);
}

/**
 * The free texts キーワード searches in a deal: 顧客名, 案件名, 案件概要, each progress entry's 内容 and
 * 次のアクション, each advice, and each thread comment as last edited (deleted ones left out). The
 * loss note is left out: it is for the owner and the leaders only, and a hit would reveal it.
 */
export function searchableTexts(deal: Deal, entries: readonly TimelineData[]): string[] {
  const texts = [deal.customer, deal.title, deal.description ?? ''];
  const comments = new Map<string, string>();
  for (const entry of entries) {
    switch (entry.kind) {
      case 'advice':
        texts.push(entry.text);
        break;
      case 'progress':
        texts.push(entry.entry.content, entry.entry.nextAction ?? '');
        break;
      case 'comment':
      case 'comment_edited':
        comments.set(`${entry.message.channel}:${entry.message.ts}`, entry.text);
        break;
      case 'comment_deleted':
        comments.delete(`${entry.message.channel}:${entry.message.ts}`);
        break;
      case 'report':
        break;
    }
  }
  return [...texts, ...comments.values()].filter((text) => text.length > 0);
}
