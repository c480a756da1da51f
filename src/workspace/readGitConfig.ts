import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The repository's own `.git/config` as git's documented syntax reads it: each variable's last
 * value by its lower-case `section.name` (`section.subsection.name` under `[section "subsection"]`,
 * the subsection kept as written). A value is unquoted and unescaped (\t \b \n \\ \"), a `#` or `;`
 * outside quotes starts a comment, whitespace is kept between words and trimmed around; a name
 * without `=` is a boolean, "true". The same answers isomorphic-git's getConfig gave for these
 * keys, without loading isomorphic-git (1.2 MB of source) into every training that records who it
 * was: `defaultReviewer` reads two keys of one small file. An unreadable or absent file is empty.
 *
 * @example
 * ```ts
 * const config = await readGitConfig(ws.gitdir);
 * config.get("user.name"); // "Dana Reviewer"
 * ```
 */
export async function readGitConfig(gitdir: string): Promise<ReadonlyMap<string, string>> {
  const text = await readFile(join(gitdir, "config"), "utf8").catch(() => "");
  const values = new Map<string, string>();
  let section: string | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const header = SECTION_LINE.exec(line);
    if (header) {
      const sub = header[2]?.replace(/\\(.)/g, "$1");
      section = sub === undefined ? header[1].toLowerCase() : `${header[1].toLowerCase()}.${sub}`;
      continue;
    }
    const variable = VARIABLE_LINE.exec(line);
    if (variable && section !== undefined) values.set(`${section}.${variable[1].toLowerCase()}`, unquote(variable[2] ?? "true"));
  }
  return values;
}

// [section] or [section "sub sec\"tion"], then an optional comment.
const SECTION_LINE = /^\[([A-Za-z0-9.-]+)(?:[ \t]+"((?:[^"\\]|\\.)*)")?\][ \t]*(?:[#;].*)?$/;
// name, or name = value; a name starts with a letter and holds letters, digits and '-'.
const VARIABLE_LINE = /^([A-Za-z][A-Za-z0-9-]*)(?:\s*=\s*(.*))?$/;
const ESCAPES: Readonly<Record<string, string>> = { t: "\t", b: "\b", n: "\n", "\\": "\\", '"': '"' };

/** A raw value as git reads it: quotes removed, escapes resolved, comments cut, outer whitespace trimmed. */
function unquote(raw: string): string {
  let out = "";
  let gap = "";
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (!quoted && (c === " " || c === "\t" || c === "\r" || c === "\v" || c === "\f")) {
      // Whitespace between words is kept, leading and trailing whitespace is not.
      if (out !== "") gap += c;
      continue;
    }
    if (!quoted && (c === "#" || c === ";")) break;
    out += gap;
    gap = "";
    const escaped = c === "\\" ? ESCAPES[raw[i + 1]] : undefined;
    if (escaped !== undefined) {
      out += escaped;
      i++;
    } else if (c === '"') quoted = !quoted;
    else out += c;
  }
  return out;
}
