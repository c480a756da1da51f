import { gitObject, type GitObject } from "./gitObject.js";
import { identPart } from "./identPart.js";

/** An author or committer line's parts, as git stores them. */
export interface GitSignature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** Minutes west of UTC, as Date#getTimezoneOffset gives them (so UTC+2 is -120). */
  timezoneOffset: number;
}

/**
 * A commit object, encoded byte for byte as isomorphic-git's writeCommit encodes it (the commits dw
 * wrote before this function keep their ids when written again): `tree`, `parent`s, `author` and
 * `committer` lines, a blank line and the message with carriage returns removed, no leading blank
 * lines and exactly one final newline. Names and emails are written as git writes them (identPart: the
 * crud at their ends cut, any newline, `<` or `>` in them dropped), so no value from a config or a
 * caller can break the author line; a name or email without such characters is written unchanged.
 *
 * @example
 * ```ts
 * const who = { name: "dw", email: "dw@localhost", timestamp: 1764806400, timezoneOffset: 0 };
 * commitObject({ tree, parents: [], author: who, committer: who, message: "dw run 20261204-000000-abcdef" }).oid;
 * ```
 */
export function commitObject(commit: { tree: string; parents: readonly string[]; author: GitSignature; committer: GitSignature; message: string }): GitObject {
  let text = `tree ${commit.tree}\n`;
  for (const p of commit.parents) text += `parent ${p}\n`;
  text += `author ${signature(commit.author)}\ncommitter ${signature(commit.committer)}\n\n${normalizeMessage(commit.message)}`;
  return gitObject("commit", Buffer.from(text, "utf8"));
}

function signature(s: GitSignature): string {
  return `${identPart(s.name)} <${identPart(s.email)}> ${s.timestamp} ${timezone(s.timezoneOffset)}`;
}

/** "+0100" for -60 minutes (east of UTC); zero is "+0000" and -0 "-0000", as isomorphic-git writes them. */
function timezone(minutesWest: number): string {
  const east = minutesWest === 0 ? minutesWest : -minutesWest;
  const negative = Math.sign(east) === -1 || (Math.sign(east) === 0 && Object.is(east, -0));
  const abs = Math.abs(minutesWest);
  const hours = Math.floor(abs / 60);
  const minutes = abs - hours * 60;
  return `${negative ? "-" : "+"}${String(hours).padStart(2, "0")}${String(minutes).padStart(2, "0")}`;
}

function normalizeMessage(message: string): string {
  const text = message.replaceAll("\r", "");
  // Scanned rather than /\n+$/, which retries every run of newlines from each of its starts.
  let start = 0;
  while (start < text.length && text[start] === "\n") start++;
  let end = text.length;
  while (end > start && text[end - 1] === "\n") end--;
  return `${text.slice(start, end)}\n`;
}
