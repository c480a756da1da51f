import { MagicError } from "./MagicError.js";

/** A word of a call; quoted words are always literal text, never variable references. */
export interface FlagValue {
  text: string;
  quoted: boolean;
}

/** A word as a tokenizer gives it: `partlyQuoted` when part of it was quoted, e.g. --name="a b". */
export interface Word extends FlagValue {
  partlyQuoted: boolean;
}

export interface Flag {
  /** As typed, without the dashes: `data`, `dataset-id`. */
  name: string;
  /** null for a bare flag (`--overwrite`). */
  value: FlagValue | null;
}

/** The words after a tool's name: bare values and flags, in order. */
export interface ParsedFlags {
  positionals: FlagValue[];
  flags: Flag[];
}

const FLAG_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * The flag syntax, `[<value>] [--key value | --key=value | --flag]...`, one word at a time: a word
 * starting with `--` is a flag, which takes the next word as its value unless that one is a flag
 * too; any other word (and any quoted word) is a bare value. Lazy, so an adapter that reads some
 * flags itself (the kernel's `--as`) meets errors in the order the words come. Throws a
 * MagicError on a malformed flag name.
 */
export function* readFlags(words: readonly Word[]): Generator<{ positional: Word } | { flag: Flag }> {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.quoted || !w.text.startsWith("--")) {
      yield { positional: w };
      continue;
    }
    const body = w.text.slice(2);
    const eq = body.indexOf("=");
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (!FLAG_NAME.test(name)) {
      throw new MagicError(`malformed flag '${w.text}': expected --name value or --name (letters, digits, '_' or '-')`);
    }
    let value: FlagValue | null = null;
    if (eq >= 0) {
      value = { text: body.slice(eq + 1), quoted: w.quoted || w.partlyQuoted };
    } else {
      const next = words[i + 1];
      if (next && (next.quoted || !next.text.startsWith("--"))) {
        value = next;
        i++;
      }
    }
    yield { flag: { name, value } };
  }
}

/**
 * Command-line arguments after the tool's name, as the shell split them. The shell has taken the
 * quotes off, and there are no variables to refer to, so every value is literal text.
 */
export function parseArgs(args: readonly string[]): ParsedFlags {
  const parsed: ParsedFlags = { positionals: [], flags: [] };
  for (const item of readFlags(args.map((text) => ({ text, quoted: false, partlyQuoted: false })))) {
    if ("flag" in item) parsed.flags.push(item.flag);
    else parsed.positionals.push({ text: item.positional.text, quoted: false });
  }
  return parsed;
}
