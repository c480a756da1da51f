import { DwError } from "../errors/DwError.js";
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
 * would write (`isGitRefName`); anything else is a DATA_ERROR naming the remote (`where`): no git
 * server sends it. Names git accepts but dw does not write (refs/dw/scratch/_wip) are listed as
 * they are, as `git ls-remote` lists them: src/sync refuses them one by one (`dwRefKind`), so one
 * odd ref never blocks a whole push or pull.
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
      if (!isGitRefName(name))
        throw bad(`line ${index + 1} names ${quote(name)}, which is not a ref name git writes (git check-ref-format, at most ${MAX_REF_NAME_BYTES} bytes)`);
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

/** The longest ref name taken from a remote, in bytes: git keeps a ref as a file, whose path cannot be longer (PATH_MAX). */
export const MAX_REF_NAME_BYTES = 4096;

/**
 * A ref name as git itself writes and reads it: HEAD, or refs/… passing git's check-ref-format
 * (Documentation/git-check-ref-format.txt): no empty part (so no leading, trailing or double '/'),
 * none starting with '.' or ending in '.lock', no '..', '@{', control characters, space,
 * ~ ^ : ? * [ \ and no trailing '.'; and at most MAX_REF_NAME_BYTES. This is the rule for names
 * from a remote and names pushed to one; which of them dw reads or writes is dw's stricter rule
 * (src/workspace/refNames.ts, and src/sync's dwRefKind per ref).
 *
 * @example
 * isGitRefName("refs/dw/scratch/_wip"); // true: git accepts it (dw does not write it)
 * isGitRefName("refs/dw/runs/a..b"); // false
 */
export function isGitRefName(name: string): boolean {
  if (name === "HEAD") return true;
  if (!name.startsWith("refs/") || Buffer.byteLength(name, "utf8") > MAX_REF_NAME_BYTES) return false;
  return (
    name.split("/").every((p) => p.length > 0 && !p.startsWith(".") && !p.endsWith(".lock")) &&
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
