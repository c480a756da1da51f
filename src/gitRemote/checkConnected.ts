import { DwError } from "../errors/DwError.js";
import { isGitlinkMode, parseCommit, parseTree, readGitObject } from "./readGitObject.js";

/**
 * Checks that a received pack completes the repository for `wants`, as git's own fetch does
 * before it writes refs: every want is in the pack or already here, and every object the pack's
 * objects name (a commit's tree and parents, a tree's entries, a tag's target) is in the pack or
 * already here. Objects already here are taken as complete (nothing but a whole fetch or dw's own
 * writes put them there), so the work is linear in the pack: each received object is read once, and
 * each object it names outside the pack is looked up once. A DATA_ERROR names the remote (`where`)
 * and the first missing object.
 */
export async function checkConnected(gitdir: string, received: readonly string[], wants: readonly string[], where: string): Promise<void> {
  const cache = {};
  const inPack = new Set(received);
  const present = new Set<string>();
  const missing = (oid: string, from: string) =>
    new DwError("DATA_ERROR", `The git remote ${where} sent an incomplete pack: ${oid}, named by ${from}, is neither in it nor here.`, {
      hint: "Nothing was kept. Try again; if it keeps failing, run git fsck in the remote repository.",
      details: { remote: where, missing: oid },
    });
  const need = async (oid: string, from: string) => {
    if (inPack.has(oid) || present.has(oid)) return;
    if ((await readGitObject(gitdir, oid, cache)) === null) throw missing(oid, from);
    present.add(oid);
  };
  for (const oid of wants) await need(oid, "the fetch");
  for (const oid of received) {
    const object = await readGitObject(gitdir, oid, cache, { packed: true });
    if (object === null) throw missing(oid, "the pack's index");
    if (object.type === "commit") {
      const commit = parseCommit(object.content, oid);
      await need(commit.tree, `commit ${oid}`);
      for (const parent of commit.parents) await need(parent, `commit ${oid}`);
    } else if (object.type === "tree") {
      // A gitlink names a commit of another repository.
      for (const entry of parseTree(object.content, oid)) if (!isGitlinkMode(entry.mode)) await need(entry.oid, `tree ${oid}`);
    } else if (object.type === "tag") {
      const target = /^object ([0-9a-f]{40})$/m.exec(object.content.toString("utf8", 0, Math.min(object.content.length, 200)));
      if (!target) throw new DwError("DATA_ERROR", `The git remote ${where} sent a damaged tag ${oid}.`, { details: { remote: where, tag: oid } });
      await need(target[1], `tag ${oid}`);
    }
  }
}
