import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** packed-refs by git dir, parsed once per version of the file (its inode, size and change times). */
const packedByGitdir = new Map<string, { stamp: string; refs: Map<string, string> }>();
const NO_REFS: ReadonlyMap<string, string> = new Map();
const OBJECT_ID = /^[0-9a-f]{40}$/;

/**
 * The refs of `<gitdir>/packed-refs` (none when it is absent), as full name → object id: the one
 * reading of that file for readRef, listRefs and listRunIds. The parse is kept while the file's
 * stamp is unchanged, since the sidebar's poll reads hundreds of refs every few seconds; git
 * rewrites packed-refs by renaming a new file over it (a new inode, so a new stamp), and a loose
 * ref, which wins over a packed one, is the caller's to read first. Read synchronously: one stat
 * per call, and the file is read only when it changed.
 *
 * @example
 * ```ts
 * const oid = packedRefs(ws.gitdir).get("refs/dw/runs/20261204-000000-abcdef") ?? null;
 * ```
 */
export function packedRefs(gitdir: string): ReadonlyMap<string, string> {
  const path = join(gitdir, "packed-refs");
  const st = statSync(path, { throwIfNoEntry: false, bigint: true });
  if (!st) return NO_REFS;
  const stamp = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  const kept = packedByGitdir.get(gitdir);
  if (kept?.stamp === stamp) return kept.refs;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return NO_REFS;
    throw e;
  }
  const refs = new Map<string, string>();
  for (const line of text.split("\n")) {
    // "<40 hex> <name>"; peeled lines (^…) and the header comment do not match.
    if (line[40] === " " && OBJECT_ID.test(line.slice(0, 40))) refs.set(line.slice(41), line.slice(0, 40));
  }
  packedByGitdir.set(gitdir, { stamp, refs });
  return refs;
}
