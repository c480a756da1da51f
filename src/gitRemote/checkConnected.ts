import git, { type CommitObject, type TagObject, type TreeObject } from "isomorphic-git";
import { DwError } from "../errors/DwError.js";
import { gitFs } from "../workspace/gitFs.js";

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
    try {
      await git.readObject({ fs: gitFs, gitdir, oid, format: "deflated", cache });
    } catch (e) {
      if ((e as { code?: string }).code === "NotFoundError") throw missing(oid, from);
      throw e;
    }
    present.add(oid);
  };
  for (const oid of wants) await need(oid, "the fetch");
  for (const oid of received) {
    const object = await git.readObject({ fs: gitFs, gitdir, oid, format: "parsed", cache });
    if (object.type === "commit") {
      const commit = object.object as CommitObject;
      await need(commit.tree, `commit ${oid}`);
      for (const parent of commit.parent) await need(parent, `commit ${oid}`);
    } else if (object.type === "tree") {
      // A gitlink (mode 160000) names a commit of another repository.
      for (const entry of object.object as TreeObject) if (entry.mode !== "160000") await need(entry.oid, `tree ${oid}`);
    } else if (object.type === "tag") {
      await need((object.object as TagObject).object, `tag ${oid}`);
    }
  }
}
