import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import git from "isomorphic-git";
import { gitFs } from "../workspace/gitFs.js";

/** An object's type and content, as git stores it. */
export interface GitObject {
  type: "commit" | "tree" | "blob" | "tag";
  content: Buffer;
}

const LOOSE_HEADER = /^(commit|tree|blob|tag) (0|[1-9][0-9]*)$/;

/**
 * Object `oid` of the repository at `gitdir`, or null when it has none. A loose object (what dw's
 * own commits write) is read and inflated with node's zlib; anything else goes through
 * isomorphic-git's readObject (packs, deltas), sharing `cache`. The transport reads every object
 * it sends or receives once, and isomorphic-git inflates through a web DecompressionStream at
 * some 0.5 ms an object, where zlib takes microseconds.
 */
export async function readGitObject(gitdir: string, oid: string, cache: object, options: { packed?: boolean } = {}): Promise<GitObject | null> {
  let file: Buffer | null = null;
  // `packed`: the caller knows a pack holds it (a pack just received), so no loose file is tried:
  // checking a fetch's pack read every object that way, thousands of failed opens each building an error.
  if (!options.packed) {
    try {
      file = await readFile(join(gitdir, "objects", oid.slice(0, 2), oid.slice(2)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  // An empty file is what a writer killed mid-write left: no object (as gitFs says).
  if (file !== null && file.length > 0) {
    const raw = inflateSync(file);
    const nul = raw.indexOf(0);
    const m = nul < 0 ? null : LOOSE_HEADER.exec(raw.toString("latin1", 0, nul));
    if (!m || Number(m[2]) !== raw.length - nul - 1) throw new Error(`the loose object ${oid} is damaged: its header does not describe it`);
    return { type: m[1] as GitObject["type"], content: raw.subarray(nul + 1) };
  }
  try {
    const { type, object } = await git.readObject({ fs: gitFs, gitdir, oid, format: "content", cache });
    return { type: type as GitObject["type"], content: Buffer.from(object as Uint8Array) };
  } catch (e) {
    if ((e as { code?: string }).code === "NotFoundError") return null;
    throw e;
  }
}

/** What the transport needs of a commit: its tree, its parents and its committer time (seconds). */
export interface ParsedCommit {
  tree: string;
  parents: string[];
  time: number;
}

/** The header of a commit object: its `tree`, `parent` and `committer` lines (a damaged header throws). */
export function parseCommit(content: Buffer, oid: string): ParsedCommit {
  const end = content.indexOf("\n\n");
  const lines = content.toString("utf8", 0, end < 0 ? content.length : end).split("\n");
  let tree = "";
  const parents: string[] = [];
  let time = 0;
  for (const line of lines) {
    if (line.startsWith("tree ")) tree = line.slice(5);
    else if (line.startsWith("parent ")) parents.push(line.slice(7));
    else if (line.startsWith("committer ")) time = Number(/ (\d+) [+-]\d{4}$/.exec(line)?.[1] ?? 0);
  }
  if (!/^[0-9a-f]{40}$/.test(tree) || parents.some((p) => !/^[0-9a-f]{40}$/.test(p)))
    throw new Error(`the commit ${oid} is damaged: no valid tree or parent line`);
  return { tree, parents, time };
}

/** One entry of a tree: its mode (as git writes it, e.g. "100644", "40000"), name and object id. */
export interface TreeEntry {
  mode: string;
  name: string;
  oid: string;
}

/** The entries of a tree object: `<mode> <name>\0<20-byte id>` each. */
export function parseTree(content: Buffer, oid: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let i = 0;
  while (i < content.length) {
    const space = content.indexOf(0x20, i);
    const nul = content.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > content.length) throw new Error(`the tree ${oid} is damaged at byte ${i}`);
    entries.push({
      mode: content.toString("latin1", i, space),
      name: content.toString("utf8", space + 1, nul),
      oid: content.toString("hex", nul + 1, nul + 21),
    });
    i = nul + 21;
  }
  return entries;
}

/** Whether a tree entry's mode is a directory (git writes "40000"). */
export const isTreeMode = (mode: string) => mode === "40000" || mode === "040000";
/** A gitlink: a commit of another repository (a submodule), not an object of this one. */
export const isGitlinkMode = (mode: string) => mode === "160000";
