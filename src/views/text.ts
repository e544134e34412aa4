/**
 * Escaping and truncation, once for every view. Slack counts characters, not bytes, so Japanese text
 * is cut by code points and always fits: a view never fails because a rep wrote a long note.
 */

const ELLIPSIS = '…';

export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return chars.slice(0, Math.max(max - 1, 0)).join('') + ELLIPSIS;
}

/** User text inside mrkdwn: no `<!channel>` pings, no `<@U…>` mentions, no `<url|label>` links. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped, then cut to `max` characters (counted after escaping, as Slack counts them). */
export function userText(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if ([...escaped].length <= max) return escaped;
  // Cut the raw text so an entity such as &amp; is never split in half.
  let raw = [...text].slice(0, max).join('');
  while ([...escapeMrkdwn(raw)].length > max - 1) raw = [...raw].slice(0, -1).join('');
  return `${escapeMrkdwn(raw)}${ELLIPSIS}`;
}

/** Quotes multi-line user text as a mrkdwn block quote. */
export function quote(text: string, max: number): string {
  return userText(text, max - 8)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

export function mention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** 2026-12-25 → 2026/12/25 */
export function formatDate(date: string): string {
  return date.replace(/-/g, '/');
}

/** An ISO instant as the team reads it: 2026/11/27 18:05 */
export function formatInstant(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('ja-JP', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
  return parts;
}

export function plain(text: string, max = 3_000) {
  return { type: 'plain_text' as const, text: truncate(text, max), emoji: true };
}

export function mrkdwn(text: string, max = 3_000) {
  return { type: 'mrkdwn' as const, text: truncate(text, max) };
}
