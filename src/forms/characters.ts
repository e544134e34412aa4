/** Characters no form or API field accepts. Tab and newline are fine in multi-line text only. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
// Half a surrogate pair is not text: SQLite and Slack would turn it into U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasForbiddenChars(value: string, multiline: boolean): boolean {
  CONTROL_CHARS.lastIndex = 0;
  return CONTROL_CHARS.test(value) || LONE_SURROGATE.test(value) || (!multiline && value.includes('\n'));
}

/** Drops control characters (for text copied from elsewhere into a form's initial value). */
export function stripControlChars(value: string): string {
  return value.replace(CONTROL_CHARS, '');
}
