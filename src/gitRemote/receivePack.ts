import { DwError } from "../errors/DwError.js";
import type { RefUpdate, RefUpdateResult } from "./GitTransport.js";
import type { GitHttp } from "./gitHttp.js";
import { objectsToSend } from "./objectsToSend.js";
import { writePack } from "./writePack.js";
import { FLUSH_PKT, PktLineError, type PktLineReader, bytesReader, pktLine, sideBand } from "./pktLine.js";
import { ADVERTISEMENT_LIMIT, type Advertisement, ZERO_ID, isGitRefName, quote, readAdvertisement } from "./readAdvertisement.js";

/** The most bytes of a push's status report read (a line per ref; 16 MiB is some 200,000 refs). */
const REPORT_LIMIT = 16 * 2 ** 20;
const OBJECT_ID = /^[0-9a-f]{40}$/;

/**
 * Applies `updates` on the remote in one `POST git-receive-pack` (Documentation/gitprotocol-pack.txt,
 * "Pushing Data To a Server"): after the advertisement, one `<old> <new> <ref>` command per ref
 * that must move, the first carrying the capabilities (report-status, side-band-64k, and atomic
 * and quiet where offered), a flush, then a pack of exactly the objects the remote lacks
 * (`objectsToSend`; none when every command deletes). An update whose ref on the remote no longer
 * holds `old` is refused before anything is sent ("stale: …"), and when the remote offers atomic
 * pushes then nothing is sent at all; the remote checks `old` again as it applies the commands, so
 * a ref moved in between is refused too ("the remote refused it: <git's reason>", e.g. "atomic
 * transaction failed" for every ref of an atomic push). The answer is git's report-status, one
 * line per ref.
 */
export async function receivePack(ws: { gitdir: string }, session: GitHttp, updates: readonly RefUpdate[]): Promise<RefUpdateResult[]> {
  checkUpdates(updates);
  if (updates.length === 0) return [];
  const advertised = await advertisement(session);
  const caps = advertised.capabilities;
  const atomic = caps.has("atomic");
  const results = new Map<string, RefUpdateResult>();
  const commands: RefUpdate[] = [];
  for (const u of updates) {
    const now = advertised.refs.get(u.ref) ?? null;
    if (now !== u.old) results.set(u.ref, { ref: u.ref, ok: false, reason: stale(now) });
    else if (u.new === now) results.set(u.ref, { ref: u.ref, ok: true });
    else if (u.new === null && !caps.has("delete-refs")) {
      results.set(u.ref, { ref: u.ref, ok: false, reason: "the remote does not allow deleting refs (no delete-refs capability)" });
    } else commands.push(u);
  }
  const refused = [...results.values()].filter((r) => !r.ok);
  if (atomic && refused.length > 0 && commands.length > 0) {
    const first = refused[0].ref;
    for (const c of commands) results.set(c.ref, { ref: c.ref, ok: false, reason: `not applied: the push is atomic and ${first} was refused` });
    commands.length = 0;
  }
  if (commands.length > 0) {
    if (!caps.has("report-status")) {
      throw new DwError("DATA_ERROR", `The git remote ${session.where} does not offer report-status, so a push could not learn what it did.`, {
        hint: "Use a git server that speaks the smart protocol in full, or the remote's ssh:// URL.",
        details: { remote: session.where },
      });
    }
    for (const r of await send(ws.gitdir, session, advertised, commands, atomic)) results.set(r.ref, r);
  }
  return updates.map((u) => results.get(u.ref)!);
}

async function advertisement(session: GitHttp): Promise<Advertisement> {
  const answer = await session.advertise("git-receive-pack", ADVERTISEMENT_LIMIT);
  try {
    return await readAdvertisement(answer.reader, "git-receive-pack", session.where);
  } finally {
    answer.close();
  }
}

async function send(gitdir: string, session: GitHttp, advertised: Advertisement, commands: RefUpdate[], atomic: boolean): Promise<RefUpdateResult[]> {
  const caps = advertised.capabilities;
  const band = caps.has("side-band-64k") ? "side-band-64k" : null;
  const asked = ["report-status", ...(band ? [band] : []), ...(atomic ? ["atomic"] : []), ...(caps.has("quiet") ? ["quiet"] : [])];
  if (caps.has("agent")) asked.push("agent=git/dw");
  const body: Uint8Array[] = commands.map((c, i) => pktLine(`${c.old ?? ZERO_ID} ${c.new ?? ZERO_ID} ${c.ref}${i === 0 ? `\0${asked.join(" ")}` : ""}\n`));
  body.push(FLUSH_PKT);
  const tips = commands.flatMap((c) => (c.new === null ? [] : [c.new]));
  if (tips.length > 0) {
    const oids = await objectsToSend(gitdir, tips, [...new Set(advertised.refs.values())]);
    body.push(...(await writePack(gitdir, oids, {})));
  }
  const answer = await session.post("git-receive-pack", body, REPORT_LIMIT + 65536);
  const bad = (what: string) =>
    new DwError("DATA_ERROR", `The git remote ${session.where} answered the push with ${what}; whether refs moved is unknown.`, {
      hint: "List the remote's refs to see what it holds now (git ls-remote <remote> 'refs/dw/*'), then push again.",
      details: { remote: session.where },
    });
  try {
    let report = answer.reader;
    if (band) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of sideBand(answer.reader)) chunks.push(chunk);
      report = bytesReader(Buffer.concat(chunks), REPORT_LIMIT);
    }
    return await readReport(report, commands, bad);
  } catch (e) {
    if (e instanceof PktLineError) {
      if (e.message.startsWith("remote error:")) throw bad(`an error: ${quote(e.message.slice(14))}`);
      throw bad(`bytes that are not git's protocol (${e.message})`);
    }
    throw e;
  } finally {
    answer.close();
  }
}

/** git's report-status: `unpack ok` (or the unpack error), then `ok <ref>` or `ng <ref> <reason>` per command, then a flush. */
async function readReport(reader: PktLineReader, commands: RefUpdate[], bad: (what: string) => DwError): Promise<RefUpdateResult[]> {
  const first = await reader.next();
  if (first.kind !== "data") throw bad("no status report");
  const unpack = first.payload.toString("utf8").replace(/\n$/, "");
  if (!unpack.startsWith("unpack ")) throw bad(`a status report that starts with ${quote(unpack)}`);
  const unpacked = unpack === "unpack ok";
  const reported = new Map<string, RefUpdateResult>();
  for (;;) {
    const packet = await reader.next();
    if (packet.kind === "flush" || packet.kind === "end") break;
    if (packet.kind !== "data") throw bad("a delimiter packet in the status report");
    const line = packet.payload.toString("utf8").replace(/\n$/, "");
    const m = /^(ok|ng) (\S+)(?: (.*))?$/.exec(line);
    if (!m) continue; // report-status-v2's "option" lines and anything newer are not ours to read
    reported.set(m[2], m[1] === "ok" ? { ref: m[2], ok: true } : { ref: m[2], ok: false, reason: `the remote refused it: ${m[3] ?? "no reason given"}` });
  }
  return commands.map((c) => {
    const r = reported.get(c.ref);
    if (r) return r;
    const reason = unpacked ? "the remote did not report on it" : `the remote could not unpack the pack: ${unpack.slice(7)}`;
    return { ref: c.ref, ok: false, reason };
  });
}

function stale(now: string | null): string {
  return now === null ? "stale: the remote has no such ref now" : `stale: the remote holds ${now.slice(0, 7)} now`;
}

/** Each update names a ref git could write and ids of 40 lowercase hex digits (or null), each ref once. */
function checkUpdates(updates: readonly RefUpdate[]): void {
  const refs = new Set<string>();
  for (const u of updates) {
    const problem =
      !isGitRefName(u.ref) || u.ref === "HEAD"
        ? `'${u.ref}' is not a ref name`
        : refs.has(u.ref)
          ? `${u.ref} is updated twice`
          : [u.old, u.new].some((v) => v !== null && !OBJECT_ID.test(v))
            ? `the ids for ${u.ref} are not 40 lowercase hex digits or null`
            : null;
    if (problem) throw new DwError("INVALID_INPUT", `Cannot push: ${problem}.`, { details: { ref: u.ref } });
    refs.add(u.ref);
  }
}
