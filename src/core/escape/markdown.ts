import { MAX_SHOWN, plainLine } from './plain';

/**
 * User strings inside Markdown we build (hovers, the CLI's markdown table). Every ASCII
 * punctuation character that can mean something to CommonMark or GFM is backslash-escaped
 * (CommonMark allows that for all of them), so no link, image, autolink (`https\://`, `www\.`,
 * `a\@b`), emphasis, code, heading, list, HTML tag, entity or table pipe can start inside one.
 * Left as they are, for readability, the ones that mean nothing anywhere: `( ) , ; ' " ? % ^ /`
 * (a link needs `](`, and `]` is escaped) and `:` unless `//` follows (an autolink's scheme).
 * The text is one inert line first (see plain.ts).
 */
export function markdownText(s: string, max = MAX_SHOWN): string {
  return plainLine(s, max)
    .replace(/[!#$&*+\-.<=>@[\\\]_`{|}~]/g, '\\$&')
    .replace(/:(?=\/)/g, '\\:')
    .replace(/^(\d+)\)/, '$1\\)'); // `1)` would start an ordered list where the text starts a line
}

/**
 * A code span that can't be broken out of: fenced with one more backtick than the longest run
 * inside, padded when the text starts or ends with a backtick. In a GFM table (`table`), a `|`
 * splits the cell even inside code, so it is escaped there.
 */
export function markdownCode(s: string, max = MAX_SHOWN, table = false): string {
  let text = plainLine(s, max);
  if (table) text = text.replace(/\|/g, '\\|');
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
