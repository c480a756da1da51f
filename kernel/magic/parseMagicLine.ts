import { MAGIC_LINE } from "../../src/execution/magicLine.js";
import { MagicError } from "../../src/adapters/MagicError.js";
import { readFlags, type ParsedFlags, type Word } from "../../src/adapters/parseFlags.js";

/** `%dw <tool> [<positional>] [--key value | --flag]... [--as NAME]`, split into its parts. */
export interface ParsedMagic extends ParsedFlags {
  tool: string;
  /** The variable `--as NAME` stores the result in. */
  as?: string;
}

/** A `%dw` line; the rule lives in src/execution, which renders these lines in a run's history. */
export const MAGIC_PREFIX = MAGIC_LINE;
const TOOL_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with let static yield await any"
  ).split(" "),
);

/**
 * Parses one `%dw` line (the `%dw` prefix is optional). Throws a MagicError that says what is
 * wrong and what was expected: an unclosed quote, `--` with no name, `--as` with no name.
 */
export function parseMagicLine(line: string): ParsedMagic {
  const words = tokenize(line.replace(MAGIC_PREFIX, ""));
  const first = words.shift();
  if (!first || first.quoted || !TOOL_NAME.test(first.text)) {
    throw new MagicError(
      first
        ? `'${first.text}' is not a tool name; expected %dw <tool> [<value>] [--flag value]...`
        : "expected a tool name: %dw <tool> [<value>] [--flag value]..., or %dw help",
    );
  }
  const parsed: ParsedMagic = { tool: first.text, positionals: [], flags: [] };
  for (const item of readFlags(words)) {
    if ("positional" in item) {
      parsed.positionals.push(item.positional);
      continue;
    }
    const { name, value } = item.flag;
    if (name === "as") {
      if (!value || value.quoted || !IDENTIFIER.test(value.text) || RESERVED.has(value.text)) {
        throw new MagicError(`--as needs a variable name, e.g. --as result${value ? `; '${value.text}' is not a valid name` : ""}`);
      }
      if (parsed.as !== undefined) throw new MagicError(`--as is given twice ('${parsed.as}' and '${value.text}')`);
      parsed.as = value.text;
      continue;
    }
    parsed.flags.push(item.flag);
  }
  return parsed;
}

/** Splits on blanks; '...' and "..." group words, and "\"" escapes a quote inside double quotes. */
export function tokenize(text: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    let word = "";
    let quotedParts = 0;
    let bareParts = 0;
    while (i < text.length && !/\s/.test(text[i])) {
      const c = text[i];
      if (c === "'" || c === '"') {
        const start = i;
        i++;
        let part = "";
        while (i < text.length && text[i] !== c) {
          if (c === '"' && text[i] === "\\" && i + 1 < text.length) i++;
          part += text[i++];
        }
        if (i >= text.length) throw new MagicError(`unclosed ${c === "'" ? "single" : "double"} quote starting at column ${start + 1}: ${text.slice(start)}`);
        i++;
        word += part;
        quotedParts++;
      } else {
        word += c;
        i++;
        bareParts++;
      }
    }
    words.push({ text: word, quoted: quotedParts > 0 && bareParts === 0, partlyQuoted: quotedParts > 0 });
  }
  return words;
}
