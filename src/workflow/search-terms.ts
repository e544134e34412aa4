import type { Deal, TimelineData } from './types.js';

/**
 * Turning text into search terms and typed words into a query, for the deal search index.
 *
 * SQLite's trigram tokenizer cannot find two-character words (保守, 価格), which are most Japanese
 * words, so text is normalised (NFKC, ASCII case folded as LIKE folds it) and cut into overlapping
 * pairs of characters. Each pair becomes one token the FTS5 `ascii` tokenizer keeps whole: the two
 * code points in fixed-width hex. A word of n ≥ 2 characters is the phrase of its n − 1 pairs (in a
 * 顧客名, marked as a name's: nameTerms), which matches exactly where the word occurs. Every run of
 * text ends with a pair (last character, end), so no phrase runs across two runs of text. A
 * one-character word is not in the index: it is looked for in the texts of the newest deals (see
 * src/store/deal-search.ts).
 *
 * A run of printable ASCII (a product code, a number, a mail address) is also indexed by its suffixes,
 * each as one token (codeTerms): a word of MIN_CODE_CHARS or more such characters is found as the prefix
 * of one of them. Its pairs are each common (10, 00, -1), and FTS5 walks their long lists to find the
 * few places where they meet; a suffix's list holds only the texts where the word is.
 *
 * Each text a deal gathers (its own fields, a progress entry, an advice, a comment) is indexed on its
 * own, so a write adds, replaces or removes only its own text; the words of a search are tied together
 * per deal, not per text (see src/store/deal-search.ts).
 */

const END = '000000';
const HEX_WIDTH = 6;

/** A word shorter than this is not in the index. */
const SHORTEST_INDEXED_WORD = 2;

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
  const hexes = chars.map(hex);
  return hexes.map((code, index) => code + (hexes[index + 1] ?? END));
}

/** A code word has at least this many printable ASCII characters (a shorter one is found by its pairs). */
const MIN_CODE_CHARS = 4;
/**
 * A code's suffixes are cut to this many characters: a longer code word is found by its pairs (a URL, say),
 * and a long run of text costs the index a few tokens per character, not its length squared.
 */
const CODE_SUFFIX_CHARS = 20;
const CODE_MARK = 's';
const CODE_RUN = new RegExp(`[\\x21-\\x7e]{${MIN_CODE_CHARS},}`, 'g');
const CODE_WORD = new RegExp(`^[\\x21-\\x7e]{${MIN_CODE_CHARS},${CODE_SUFFIX_CHARS}}$`);

function codeToken(ascii: string): string {
  let token = CODE_MARK;
  for (let index = 0; index < ascii.length; index += 1) token += ascii.charCodeAt(index).toString(16).padStart(2, '0');
  return token;
}

/** The suffixes of the normalised text's runs of printable ASCII, as long as a code word can be. */
function codeTerms(normalised: string): string[] {
  const terms: string[] = [];
  for (const [run] of normalised.matchAll(CODE_RUN)) {
    for (let start = 0; start + MIN_CODE_CHARS <= run.length; start += 1) {
      terms.push(codeToken(run.slice(start, start + CODE_SUFFIX_CHARS)));
    }
  }
  return terms;
}

/**
 * The index document of some texts: space-separated tokens, for an FTS5 table with the `ascii` tokenizer.
 * The pairs of all the texts come first and the codes' suffixes after them, so no phrase of pairs meets a suffix.
 */
export function documentTerms(texts: readonly string[]): string {
  const normalised = texts.map(normaliseForSearch);
  const pairs = normalised.flatMap(runs).map((chars) => runTokens(chars).join(' '));
  return [...pairs, ...normalised.flatMap(codeTerms)].join(' ');
}

/** Whether a (normalised) word is found as a code: every character printable ASCII, neither short nor long. */
export function isCodeWord(word: string): boolean {
  return CODE_WORD.test(word);
}

/** The words a person typed, normalised, without repeats; white space (full-width too) separates them. */
export function searchWords(typed: string): string[] {
  return [...new Set(runs(normaliseForSearch(typed)).map((chars) => chars.join('')))];
}

/** A word's overlapping pairs of characters as index tokens (none for a one-character word). */
export function wordPairs(word: string): string[] {
  const chars = Array.from(word);
  return chars.slice(0, -1).map((char, index) => hex(char) + hex(chars[index + 1] ?? ''));
}

/**
 * A 顧客名's pairs (and its codes' suffixes) are tokens of their own, marked with an m: the AND of a rare
 * word's pairs then finds the texts that hold them, not the deals of every name that does (株式会社X
 * and 有限会社X each have hundreds). The deals whose names hold a word are found by the names' numbers
 * (nameToken).
 */
const NAME_MARK = 'm';

/** The terms of a deal's 顧客名 in its own text's document: its terms, marked as a name's, and the name's number. */
export function nameTerms(customer: string, nameId: number): string {
  const terms = documentTerms([customer]);
  const marked = terms === '' ? [] : terms.split(' ').map((term) => NAME_MARK + term);
  return [...marked, nameToken(nameId)].join(' ');
}

/**
 * What a text's document holds where the word is, and what a name's does, as the index's documents are
 * written (space-separated; a document is read with a space added at each end): the phrase of the word's
 * pairs, whole, or the start of a code's suffix.
 */
export function wordNeedles(word: string): { text: string; name: string } {
  if (isCodeWord(word)) {
    const token = codeToken(word);
    return { text: ` ${token}`, name: ` ${NAME_MARK}${token}` };
  }
  const pairs = wordPairs(word);
  return { text: ` ${pairs.join(' ')} `, name: ` ${pairs.map((pair) => NAME_MARK + pair).join(' ')} ` };
}

/** The FTS5 query of a word: the phrase of its pairs, or the prefix of a code's suffixes; in a text or in a 顧客名. */
export function wordQuery(word: string): string {
  if (isCodeWord(word)) {
    const token = codeToken(word);
    return `${token}* OR ${NAME_MARK}${token}*`;
  }
  const pairs = wordPairs(word);
  return `"${pairs.join(' ')}" OR "${pairs.map((pair) => NAME_MARK + pair).join(' ')}"`;
}

/** Whether a word is long enough for the index; a shorter one is looked for in the texts themselves. */
export function isIndexedWord(word: string): boolean {
  return Array.from(word).length >= SHORTEST_INDEXED_WORD;
}

/** Words as typed, longest first: the longest is likely the rarest, and the first word's hits are read in order. */
export function longestFirst(words: readonly string[]): string[] {
  return [...words].sort((a, b) => Array.from(b).length - Array.from(a).length);
}

/** Whether one of the texts holds the (normalised) word: what the index finds, read from the texts themselves. */
export function textsHold(texts: readonly string[], word: string): boolean {
  return texts.some((text) => normaliseForSearch(text).includes(word));
}

/** Whether the texts hold every one of the words (each somewhere). */
export function textsHoldAll(texts: readonly string[], words: readonly string[]): boolean {
  return words.every((word) => textsHold(texts, word));
}

/** The deal's own texts キーワード searches: 顧客名, 案件名, 案件概要. */
export function dealTexts(deal: Pick<Deal, 'customer' | 'title' | 'description'>): string[] {
  return [deal.customer, ...fieldTexts(deal)];
}

/** The deal's 案件名 and 案件概要: its own text in the index beside its 顧客名 (nameTerms). */
export function fieldTexts(deal: Pick<Deal, 'title' | 'description'>): string[] {
  return [deal.title, deal.description ?? ''].filter((text) => text.length > 0);
}

/** The token of a 顧客名's number (customer-names.ts) in the text of each deal with that name. */
export function nameToken(nameId: number): string {
  return `n${nameId}`;
}

/**
 * The texts one timeline entry adds: a progress entry's 内容 and 次のアクション, an advice, a thread
 * comment (an edit's text replaces its comment's). The loss note is left out: it is for the owner and
 * the leaders only, and a hit would reveal it.
 */
export function entryTexts(data: TimelineData): string[] {
  switch (data.kind) {
    case 'advice':
    case 'comment':
    case 'comment_edited':
      return data.text.length > 0 ? [data.text] : [];
    case 'progress':
      return [data.entry.content, data.entry.nextAction ?? ''].filter((text) => text.length > 0);
    default:
      return [];
  }
}

/** A searchable text of a deal: `place` is where it sits in the deal (0: the deal's own fields; n: its n-th entry). */
export interface SearchText {
  place: number;
  texts: string[];
}
