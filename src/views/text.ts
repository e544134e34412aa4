/**
 * Escaping and truncation, once for every view. Slack counts characters, not bytes, so Japanese text
 * is cut by code points and always fits: a view never fails because a rep wrote a long note.
 */

const ELLIPSIS = '…';

const ENTITY = /^&(?:amp|lt|gt);/;

/**
 * At most `max` characters, cut with an ellipsis. The cut never splits an escaped entity (&amp; &lt;
 * &gt;): Slack would show the half (`&am…`). In plain text it only drops a few characters more.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  if (chars.length <= max) return text;
  return cutBeforeEntity(chars, Math.max(max - 1, 0)).join('') + ELLIPSIS;
}

/** The first `end` characters, less an entity that the cut would split (one starts at most 4 before it). */
function cutBeforeEntity(chars: readonly string[], end: number): readonly string[] {
  for (let start = end - 1; start >= Math.max(end - 4, 0); start -= 1) {
    if (chars[start] !== '&') continue;
    const entity = ENTITY.exec(chars.slice(start, start + 5).join(''));
    return chars.slice(0, entity && start + entity[0].length > end ? start : end);
  }
  return chars.slice(0, end);
}

/** User text inside mrkdwn: no `<!channel>` pings, no `<@U…>` mentions, no `<url|label>` links. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escaped, then cut to `max` characters (counted after escaping, as Slack counts them). One pass, and
 * an entity such as &amp; is never split in half.
 */
export function userText(text: string, max: number): string {
  let out = '';
  let length = 0;
  for (const char of text) {
    const entity = ENTITIES[char];
    out += entity ?? char;
    length += entity ? entity.length : 1;
    if (length > max) return truncate(out, max);
  }
  return out;
}

/** Quotes multi-line user text as a mrkdwn block quote, `max` characters in all. */
export function quote(text: string, max: number): string {
  const quoted = userText(text, max)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
  return truncate(quoted, max);
}

/**
 * Escaped user text in which the user mentions Slack put there (<@U…>) show as names again: for views
 * such as modals, where a mention notifies nobody.
 */
export function userTextWithMentions(text: string, max: number): string {
  return userText(text, max).replace(/&lt;@([UW][A-Z0-9]+)(?:\|[^&<>]*)?&gt;/g, '<@$1>');
}

export function mention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** 2026-12-25 → 2026/12/25 */
export function formatDate(date: string): string {
  return date.replace(/-/g, '/');
}

const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** An ISO instant as the team reads it: 2026/11/27 18:05 */
export function formatInstant(iso: string, timeZone: string): string {
  let format = instantFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('ja-JP', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    instantFormats.set(timeZone, format);
  }
  return format.format(new Date(iso));
}

export function plain(text: string, max = 3_000) {
  return { type: 'plain_text' as const, text: truncate(text, max), emoji: true };
}

export function mrkdwn(text: string, max = 3_000) {
  return { type: 'mrkdwn' as const, text: truncate(text, max) };
}
