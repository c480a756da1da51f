/** What JSON text may hold at most: characters in all, nesting of arrays and objects, characters of one string as written. */
export interface JsonTextLimits {
  maxChars: number;
  maxDepth: number;
  maxStringChars: number;
}

/**
 * The first way `text` is larger than `limits` allow, in words naming where (line and column),
 * or undefined. One pass, before JSON.parse: JSON.parse itself copes with a million nested
 * brackets, but the value it gives would overflow the stack of every recursive reader after it
 * (JSON.stringify, structuredClone); a string is measured as written (escapes count as their
 * characters). Text that is not JSON passes here and is refused by JSON.parse. Never echoes text.
 *
 * @example
 * jsonTextIssue('{"a": [[1]]}', { maxChars: 100, maxDepth: 2, maxStringChars: 10 });
 * // "arrays and objects nest deeper than 2 levels at line 1, column 8"
 */
export function jsonTextIssue(text: string, limits: JsonTextLimits): string | undefined {
  if (text.length > limits.maxChars) return `the text has ${text.length} characters, more than the ${limits.maxChars} allowed`;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      if (end - i - 1 > limits.maxStringChars) return `a string longer than ${limits.maxStringChars} characters starts at ${position(text, i)}`;
      i = end;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limits.maxDepth) return `arrays and objects nest deeper than ${limits.maxDepth} levels at ${position(text, i)}`;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Index of the quote that closes the string opened at `start`, or −1 when it is not closed. */
function stringEnd(text: string, start: number): number {
  for (let from = start + 1; ; ) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    // The quote is escaped when an odd number of backslashes stand right before it.
    let b = q - 1;
    while (b > start && text.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    from = q + 1;
  }
}

/** "line L, column C" (from 1) of index `at`; counted only when an issue is reported. */
function position(text: string, at: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < at; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${at - lineStart + 1}`;
}
