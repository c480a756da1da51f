import git from "isomorphic-git";
import type { Workspace } from "../workspace/Workspace.js";
import { gitFs } from "../workspace/gitFs.js";
import { readRegistration } from "../registry/readRegistry.js";
import type { RefSide } from "./SyncReport.js";

/**
 * One side of a ref as a conflict shows it: for a version or an alias, the version, its run and
 * who registered it when; for every ref, the commit's subject, author and date. An object this
 * clone does not have (never fetched) shows its id alone.
 */
export async function describeSide(ws: Workspace, oid: string | null, kind: "chain" | "version" | "alias"): Promise<RefSide> {
  if (oid === null) return { oid: null };
  try {
    const { commit } = await git.readCommit({ fs: gitFs, dir: ws.root, gitdir: ws.gitdir, oid, cache: ws.gitCache });
    const side: RefSide = {
      oid,
      subject: commit.message.split("\n")[0].slice(0, 300),
      by: `${commit.author.name} <${commit.author.email}>`.slice(0, 300),
      at: new Date(commit.author.timestamp * 1000).toISOString(),
    };
    if (kind !== "chain") {
      const reg = await readRegistration(ws, oid);
      if (reg) {
        side.version = reg.version;
        side.run_id = reg.run_id;
      }
    }
    return side;
  } catch {
    return { oid };
  }
}

/** `Name <email>` of the commit's author, or "unknown" when it cannot be read. */
export async function commitAuthor(ws: Workspace, oid: string): Promise<string> {
  const side = await describeSide(ws, oid, "chain");
  return side.by ?? "unknown";
}
