import git from "isomorphic-git";
import type { Workspace } from "../workspace/Workspace.js";
import { gitFs } from "../workspace/gitFs.js";

/** One file of a commit's tree, as a rewrite sees it: its text, or null for a file it must not touch (binary, a link, a submodule). */
export interface TreeFile {
  mode: string;
  oid: string;
}

/** What to do with one file: keep it, or give a new path and/or text (null: keep as it is). */
export type FileEdit = (path: string, read: () => Promise<string>) => Promise<{ path: string; text?: string } | null>;

/**
 * Writes a copy of commit `oid` with new parents, files edited by `edit` and the message by
 * `message`, keeping its author and committer (who, when) as they were, and returns the copy's id
 * (no ref moves). The same commit, parents and edits always give the same id, so a rewrite that a
 * crash interrupted and that runs again writes the very same commits.
 */
export async function rewriteCommit(
  ws: Workspace,
  oid: string,
  args: { parents: string[]; edit: FileEdit; message: (text: string) => string },
): Promise<{ oid: string; changed: boolean }> {
  const { commit } = await git.readCommit({ fs: gitFs, dir: ws.root, gitdir: ws.gitdir, oid, cache: ws.gitCache });
  const files = new Map<string, TreeFile>();
  await flatten(ws, commit.tree, "", files);
  let changed = false;
  const out = new Map<string, TreeFile>();
  for (const [path, f] of files) {
    const edited =
      f.mode === "100644" || f.mode === "100755"
        ? await args.edit(path, async () =>
            new TextDecoder().decode((await git.readBlob({ fs: gitFs, dir: ws.root, gitdir: ws.gitdir, oid: f.oid, cache: ws.gitCache })).blob),
          )
        : null;
    if (!edited) {
      out.set(path, f);
      continue;
    }
    const blob =
      edited.text === undefined ? f.oid : await git.writeBlob({ fs: gitFs, dir: ws.root, gitdir: ws.gitdir, blob: new TextEncoder().encode(edited.text) });
    if (edited.path !== path || blob !== f.oid) changed = true;
    out.set(edited.path, { mode: f.mode, oid: blob });
  }
  const message = args.message(commit.message);
  const sameParents = args.parents.length === commit.parent.length && args.parents.every((p, i) => p === commit.parent[i]);
  if (!changed && sameParents && message === commit.message) return { oid, changed: false };
  const tree = changed ? await writeTree(ws, out) : commit.tree;
  const copy = await git.writeCommit({
    fs: gitFs,
    dir: ws.root,
    gitdir: ws.gitdir,
    commit: { message, tree, parent: args.parents, author: commit.author, committer: commit.committer },
  });
  return { oid: copy, changed: true };
}

async function flatten(ws: Workspace, tree: string, prefix: string, out: Map<string, TreeFile>): Promise<void> {
  const { tree: entries } = await git.readTree({ fs: gitFs, dir: ws.root, gitdir: ws.gitdir, oid: tree, cache: ws.gitCache });
  for (const e of entries) {
    if (e.type === "tree") await flatten(ws, e.oid, `${prefix}${e.path}/`, out);
    else out.set(`${prefix}${e.path}`, { mode: e.mode, oid: e.oid });
  }
}

/** The tree of `files` (path → mode and blob), subtrees written first. */
async function writeTree(ws: Workspace, files: Map<string, TreeFile>): Promise<string> {
  type Dir = { files: Map<string, TreeFile>; dirs: Map<string, Dir> };
  const root: Dir = { files: new Map(), dirs: new Map() };
  for (const [path, f] of files) {
    const parts = path.split("/");
    let d = root;
    for (const part of parts.slice(0, -1)) {
      let next = d.dirs.get(part);
      if (!next) {
        next = { files: new Map(), dirs: new Map() };
        d.dirs.set(part, next);
      }
      d = next;
    }
    d.files.set(parts[parts.length - 1], f);
  }
  const write = async (d: Dir): Promise<string> => {
    const tree: { mode: string; path: string; oid: string; type: "blob" | "tree" | "commit" }[] = [];
    for (const [name, f] of d.files) tree.push({ mode: f.mode, path: name, oid: f.oid, type: f.mode === "160000" ? "commit" : "blob" });
    for (const [name, sub] of d.dirs) tree.push({ mode: "040000", path: name, oid: await write(sub), type: "tree" });
    return git.writeTree({ fs: gitFs, dir: ws.root, gitdir: ws.gitdir, tree });
  };
  return write(root);
}
