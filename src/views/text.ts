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
    const size = entity ? entity.length : 1;
    if (length + size > max) return `${cutToFit(out, length, max - 1)}${ELLIPSIS}`;
    out += entity ?? char;
    length += size;
  }
  return out;
}

/** Drops whole trailing characters (or entities) from escaped text until it is at most `max` long. */
function cutToFit(escaped: string, length: number, max: number): string {
  let out = escaped;
  let size = length;
  while (size > max) {
    const entity = /&(amp|lt|gt);$/.exec(out);
    const drop = entity ? entity[0] : ([...out].at(-1) ?? '');
    out = out.slice(0, out.length - drop.length);
    size -= entity ? drop.length : 1;
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
