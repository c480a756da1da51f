import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The repository's own `.git/config`, read as git's config parser reads it, character by character:
 * each variable's last value by its lower-case `section.name` (`section.subsection.name` under
 * `[section "subsection"]`, the subsection kept as written with `\` escaping the next character;
 * `[section.sub]`, git's old form, lower-cased whole). What it handles, each as git does:
 * - a header followed on its line by a variable, a comment or another header (`[user] name = X`);
 * - a value unquoted and unescaped (\t \b \n \\ \"), a `#` or `;` outside quotes starting a comment,
 *   leading and trailing whitespace dropped and each whitespace character between words written as
 *   one space (a tab too);
 * - a backslash at the end of a line, which continues the value on the next line, in quotes or not;
 * - a variable without `=` (`[core] bare`): git's value-less variable, answered as null — a boolean
 *   true to git, but no value for a string such as user.name (git refuses to commit with one);
 * - a carriage return before a newline, and a UTF-8 byte-order mark.
 * Where git would refuse the file (an unknown escape, a quote left open at the end of a line, a
 * character that cannot start a name), git stops with "bad config line"; this stops there too and
 * answers what it read before that line, since dw only reads a name and an address from it. An
 * unreadable or absent file is empty. No include.path, no conditional includes, no global or system
 * config: only the repository's own file, which is what a commit's author is read from first.
 *
 * It spares every training that records who it was from loading isomorphic-git (1.2 MB of source)
 * for two keys of one small file.
 *
 * @example
 * ```ts
 * const config = await readGitConfig(ws.gitdir);
 * config.get("user.name"); // "Dana Reviewer"
 * ```
 */
export async function readGitConfig(gitdir: string): Promise<ReadonlyMap<string, string | null>> {
  const text = await readFile(join(gitdir, "config"), "utf8").catch(() => "");
  return parseGitConfig(text);
}

/** The variables of a config file's text (see readGitConfig), up to the first line git would refuse. */
function parseGitConfig(text: string): Map<string, string | null> {
  const values = new Map<string, string | null>();
  // git reads "\r\n" as "\n"; a file ending without a newline ends as if it had one.
  const src = `${text.startsWith("\uFEFF") ? text.slice(1) : text}\n`.replaceAll("\r\n", "\n");
  let i = 0;
  let section: string | undefined;
  while (i < src.length) {
    const c = src[i];
    if (c === "\n" || isSpace(c)) i++;
    else if (c === "#" || c === ";") i = lineEnd(src, i) + 1;
    else if (c === "[") {
      const header = readHeader(src, i + 1);
      if (header === undefined) break;
      section = header.section;
      i = header.next;
    } else if (isAlpha(c)) {
      const variable = readVariable(src, i);
      if (variable === undefined) break;
      // Before any header git keys a variable by its name alone.
      values.set(section === undefined ? variable.name : `${section}.${variable.name}`, variable.value);
      i = variable.next;
    } else break;
  }
  return values;
}

/** `[section]` or `[section "sub"]` from after its `[`: the key prefix and where reading goes on, or undefined when git would refuse it. */
function readHeader(src: string, from: number): { section: string; next: number } | undefined {
  let i = from;
  let name = "";
  while (isKeyChar(src[i]) || src[i] === ".") name += src[i++].toLowerCase();
  if (name === "") return undefined;
  if (src[i] === "]") return { section: name, next: i + 1 };
  if (!isSpace(src[i])) return undefined;
  while (isSpace(src[i])) i++;
  if (src[i] !== '"') return undefined;
  let sub = "";
  for (i++; src[i] !== '"'; i++) {
    if (src[i] === "\n" || i >= src.length) return undefined;
    if (src[i] === "\\") i++;
    if (src[i] === "\n") return undefined;
    sub += src[i];
  }
  // git wants the closing bracket right after the closing quote.
  return src[i + 1] === "]" ? { section: `${name}.${sub}`, next: i + 2 } : undefined;
}

/** `name`, `name = value` from its first letter: the lower-case name, its value (null without `=`) and where the next line starts. */
function readVariable(src: string, from: number): { name: string; value: string | null; next: number } | undefined {
  let i = from;
  let name = "";
  while (isKeyChar(src[i])) name += src[i++].toLowerCase();
  while (src[i] === " " || src[i] === "\t") i++;
  if (src[i] === "\n") return { name, value: null, next: i + 1 };
  if (src[i] !== "=") return undefined;
  return readValue(src, i + 1, name);
}

/** A value from after its `=` to the end of its (continued) line, as git's parse_value reads it. */
function readValue(src: string, from: number, name: string): { name: string; value: string; next: number } | undefined {
  let value = "";
  let spaces = 0;
  let quoted = false;
  let comment = false;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === "\n") return quoted ? undefined : { name, value, next: i + 1 };
    if (comment) continue;
    if (!quoted && isSpace(c)) {
      if (value !== "") spaces++;
      continue;
    }
    if (!quoted && (c === "#" || c === ";")) {
      comment = true;
      continue;
    }
    value += " ".repeat(spaces);
    spaces = 0;
    if (c === "\\") {
      const next = src[++i];
      if (next === "\n") continue;
      const escaped = ESCAPES[next];
      if (escaped === undefined) return undefined;
      value += escaped;
    } else if (c === '"') quoted = !quoted;
    else value += c;
  }
  return undefined;
}

const ESCAPES: Readonly<Record<string, string>> = { t: "\t", b: "\b", n: "\n", "\\": "\\", '"': '"' };

function lineEnd(src: string, from: number): number {
  const end = src.indexOf("\n", from);
  return end < 0 ? src.length : end;
}
/** C's isspace, without the newline, which ends a line. */
const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\v" || c === "\f";
const isAlpha = (c: string | undefined) => c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
const isKeyChar = (c: string | undefined) => isAlpha(c) || (c !== undefined && ((c >= "0" && c <= "9") || c === "-"));
