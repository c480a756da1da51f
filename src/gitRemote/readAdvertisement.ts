import { DwError } from "../errors/DwError.js";
import { isRefPart } from "../workspace/refNames.js";
import type { GitService } from "./gitHttp.js";
import { type PktLineReader, PktLineError } from "./pktLine.js";

/** What a remote advertised for one service: its refs and what its side of the protocol can do. */
export interface Advertisement {
  /** Every ref the remote named, full name → object id (peeled tags `^{}` and `.have` lines left out). */
  refs: Map<string, string>;
  /** Capability names, and the value of those given as `name=value` (`agent=git/2.39.5` → "git/2.39.5"; others ""). */
  capabilities: Map<string, string>;
}

/** The id git writes for "no object": a ref that does not exist, as an old or a new value. */
export const ZERO_ID = "0".repeat(40);
const OBJECT_ID = /^[0-9a-f]{40}$/;

/** The most bytes an advertisement may have: 64 MiB, some 800,000 refs. */
export const ADVERTISEMENT_LIMIT = 64 * 2 ** 20;

/**
 * Reads a smart HTTP advertisement (Documentation/gitprotocol-http.txt, "Smart Clients"): the
 * `# service=<service>` line and a flush, then one `<id> <ref>` line a ref, the first carrying the
 * capabilities after a NUL, then a flush. A repository without refs advertises
 * `<zero id> capabilities^{}`. Every id must be 40 lowercase hex digits and every ref a name git
 * would write; anything else is a DATA_ERROR naming the remote (`where`), as the refs become local
 * ref names and the ids objects to fetch.
 */
export async function readAdvertisement(reader: PktLineReader, service: GitService, where: string): Promise<Advertisement> {
  const bad = (what: string) =>
    new DwError("DATA_ERROR", `The git remote ${where} sent a malformed ref advertisement: ${what}.`, {
      hint: "The server does not answer as git does: check the URL (git remote -v) and the server's git version.",
      details: { remote: where, service },
    });
  const refs = new Map<string, string>();
  const capabilities = new Map<string, string>();
  try {
    const first = await reader.next();
    if (first.kind !== "data" || first.payload.toString("utf8").replace(/\n$/, "") !== `# service=${service}`) {
      throw bad(`it does not start with "# service=${service}"`);
    }
    let packet = await reader.next();
    if (packet.kind === "flush") packet = await reader.next();
    let index = 0;
    for (; packet.kind === "data"; packet = await reader.next(), index++) {
      let line = packet.payload.toString("utf8").replace(/\n$/, "");
      if (index === 0) {
        const nul = line.indexOf("\0");
        if (nul < 0) throw bad("its first line has no capabilities");
        for (const word of line.slice(nul + 1).split(" ")) {
          if (!word) continue;
          const eq = word.indexOf("=");
          capabilities.set(eq < 0 ? word : word.slice(0, eq), eq < 0 ? "" : word.slice(eq + 1));
        }
        line = line.slice(0, nul);
      }
      if (line.startsWith("shallow ")) continue;
      const space = line.indexOf(" ");
      const oid = line.slice(0, space);
      const name = line.slice(space + 1);
      if (space !== 40 || !OBJECT_ID.test(oid)) throw bad(`line ${index + 1} does not start with an object id (${quote(line)})`);
      if (index === 0 && name === "capabilities^{}" && oid === ZERO_ID) continue;
      if (name === ".have" || name.endsWith("^{}")) continue;
      if (!isGitRefName(name)) throw bad(`line ${index + 1} names ${quote(name)}, which is not a ref name`);
      refs.set(name, oid);
    }
    if (packet.kind !== "flush") throw bad(packet.kind === "end" ? "it ends without a flush packet" : "it holds a delimiter packet");
  } catch (e) {
    if (e instanceof PktLineError) throw bad(e.message);
    throw e;
  }
  const format = capabilities.get("object-format");
  if (format !== undefined && format !== "sha1") {
    throw new DwError("DATA_ERROR", `The git remote ${where} stores ${format} object ids; dw's repositories use sha1.`, {
      hint: "Use a repository created with git's default object format (sha1).",
      details: { remote: where, object_format: format },
    });
  }
  return { refs, capabilities };
}

/**
 * A ref name as an advertisement may hold it: HEAD, or refs/… whose parts are each a part dw could
 * write (`isRefPart`, the rule of src/workspace/refNames.ts) or, outside refs/dw, any part git's
 * check-ref-format allows. refs/dw/* names must pass dw's own rule because they become local refs.
 */
export function isGitRefName(name: string): boolean {
  if (name === "HEAD") return true;
  const parts = name.split("/");
  if (parts.length < 2 || parts[0] !== "refs") return false;
  if (parts[1] === "dw") return parts.length >= 3 && parts.every(isRefPart);
  // git's rule (git-check-ref-format): no empty part, none starting with '.' or ending in '.lock',
  // no '..', '@{', control characters, space, ~ ^ : ? * [ \ and no trailing '.'.
  return (
    parts.every((p) => p.length > 0 && !p.startsWith(".") && !p.endsWith(".lock")) &&
    !name.includes("..") &&
    !name.includes("@{") &&
    !name.endsWith(".") &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the rule refuses
    !/[\x00-\x20\x7f~^:?*[\\]/.test(name)
  );
}

/** A value from the remote, quoted and cut for a message. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 100)}…` : text);
}
