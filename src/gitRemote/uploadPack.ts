import { DwError } from "../errors/DwError.js";
import type { Workspace } from "../workspace/Workspace.js";
import { CommitQueue } from "./CommitQueue.js";
import { checkConnected } from "./checkConnected.js";
import type { GitHttp } from "./gitHttp.js";
import { installPack, removePack, sweepIncoming } from "./installPack.js";
import { FLUSH_PKT, PktLineError, PktLineLimitError, pktLine, sideBand } from "./pktLine.js";
import { packTooLargeError } from "./maxPackBytes.js";
import { quote } from "./readAdvertisement.js";
import { parseCommit, readGitObject } from "./readGitObject.js";

/** Commits beyond the local refs/dw/* tips offered as `have`s: enough for the server to find where a tip it has moved on from lies. */
export const HAVE_ANCESTORS = 256;

/**
 * Fetches every object reachable from `wants` that the workspace's repository lacks, in one
 * `POST git-upload-pack` (Documentation/gitprotocol-pack.txt, "Packfile Negotiation", stateless
 * as over HTTP): the wants with the capabilities asked for, a flush, the haves, and `done`. The
 * haves are the local refs/dw/* tips and up to HAVE_ANCESTORS of their ancestors (newest first),
 * so the server sends only what is missing. The pack arrives on side-band channel 1 and is
 * installed (`installPack`) and checked (`checkConnected`) before this returns; a pack that fails
 * the check is taken out again; a pack past `maxPackBytes` is refused as it arrives. Returns the
 * number of objects and bytes received.
 */
export async function uploadPack(
  ws: Workspace,
  session: GitHttp,
  capabilities: Map<string, string>,
  wants: readonly string[],
  maxPackBytes: number,
): Promise<{ objects: number; bytes: number }> {
  const cache = {};
  const missing: string[] = [];
  for (const oid of new Set(wants)) if ((await readGitObject(ws.gitdir, oid, cache)) === null) missing.push(oid);
  if (missing.length === 0) return { objects: 0, bytes: 0 };
  const band = capabilities.has("side-band-64k") ? "side-band-64k" : capabilities.has("side-band") ? "side-band" : null;
  if (band === null) {
    throw new DwError("DATA_ERROR", `The git remote ${session.where} does not offer side-band, which every git server since 2008 does.`, {
      hint: "Use a git server that speaks the smart protocol in full, or the remote's ssh:// URL.",
      details: { remote: session.where },
    });
  }
  const asked = [band, "ofs-delta", "no-progress"].filter((c) => capabilities.has(c));
  if (capabilities.has("agent")) asked.push("agent=git/dw");
  const body: Uint8Array[] = missing.map((oid, i) => pktLine(i === 0 ? `want ${oid} ${asked.join(" ")}\n` : `want ${oid}\n`));
  body.push(FLUSH_PKT);
  for (const oid of await localHaves(ws, cache)) body.push(pktLine(`have ${oid}\n`));
  body.push(pktLine("done\n"));

  await sweepIncoming(ws.gitdir);
  // The pack itself is bounded by installPack; the answer around it (side-band framing, 5 bytes a
  // packet, and the ACK/NAK lines) by this, so no remote can stream forever.
  const answer = await session.post("git-upload-pack", body, maxPackBytes + Math.ceil(maxPackBytes / 64) + 2 ** 20);
  const bad = (what: string) =>
    new DwError("DATA_ERROR", `The git remote ${session.where} answered the fetch with ${what}.`, {
      hint: "The server does not answer as git does: check the URL (git remote -v) and the server's git version.",
      details: { remote: session.where },
    });
  try {
    for (;;) {
      const packet = await answer.reader.next();
      if (packet.kind !== "data") throw bad(packet.kind === "end" ? "no pack" : `a ${packet.kind} packet before the pack`);
      const text = packet.payload.toString("utf8");
      if (text.startsWith("ACK ") || text.startsWith("NAK") || text.startsWith("shallow ") || text.startsWith("unshallow ")) continue;
      if (text.startsWith("ERR ")) {
        const message = text.slice(4).trim();
        throw new DwError(
          message.includes("not our ref") ? "CONFLICT" : "DATA_ERROR",
          `The git remote ${session.where} refused the fetch: ${quote(message)}.`,
          {
            hint: "A ref may have moved since it was listed: list the remote's refs again and fetch what they hold now.",
            details: { remote: session.where },
          },
        );
      }
      const pack = await installPack(ws.gitdir, sideBand(answer.reader, packet.payload), session.where, maxPackBytes);
      try {
        await checkConnected(ws.gitdir, pack.oids, missing, session.where);
      } catch (e) {
        if (pack.base !== null) await removePack(pack.base);
        throw e;
      }
      return { objects: pack.oids.length, bytes: pack.bytes };
    }
  } catch (e) {
    if (e instanceof PktLineLimitError) throw packTooLargeError(session.where, maxPackBytes);
    if (e instanceof PktLineError) {
      if (e.message.startsWith("remote error:")) {
        throw new DwError("DATA_ERROR", `The git remote ${session.where} failed while sending the pack: ${quote(e.message.slice(14))}.`, {
          hint: "Try again; if it keeps failing, check the server's logs.",
          details: { remote: session.where },
        });
      }
      throw bad(`bytes that are not git's protocol (${e.message})`);
    }
    throw e;
  } finally {
    answer.close();
  }
}

/**
 * The local refs/dw/* tips, then their ancestors newest first up to HAVE_ANCESTORS more: the
 * `have` lines. A ref whose commit cannot be read is left out (a have is only a hint).
 */
async function localHaves(ws: Workspace, cache: object): Promise<string[]> {
  const haves = new Set<string>();
  const queue = new CommitQueue<{ oid: string; time: number; parents: string[] }>();
  for (const name of await ws.listRefs("refs/dw")) {
    const oid = await ws.readRef(`refs/dw/${name}`).catch(() => null);
    if (oid === null || haves.has(oid)) continue;
    haves.add(oid);
    const commit = await readCommit(ws.gitdir, oid, cache);
    if (commit) queue.push(commit);
  }
  const limit = haves.size + HAVE_ANCESTORS;
  const seen = new Set(haves);
  while (queue.size > 0 && haves.size < limit) {
    const commit = queue.pop()!;
    haves.add(commit.oid);
    for (const parent of commit.parents) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      const p = await readCommit(ws.gitdir, parent, cache);
      if (p) queue.push(p);
    }
  }
  return [...haves];
}

async function readCommit(gitdir: string, oid: string, cache: object): Promise<{ oid: string; time: number; parents: string[] } | null> {
  try {
    const object = await readGitObject(gitdir, oid, cache);
    return object?.type === "commit" ? { oid, ...parseCommit(object.content, oid) } : null;
  } catch {
    return null;
  }
}
