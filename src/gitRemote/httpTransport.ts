import { DwError } from "../errors/DwError.js";
import type { Workspace } from "../workspace/Workspace.js";
import type { GitTransport } from "./GitTransport.js";
import { createGitHttp, type GitHttpOptions } from "./gitHttp.js";
import { ADVERTISEMENT_LIMIT, type Advertisement, quote, readAdvertisement } from "./readAdvertisement.js";
import { maxPackBytes } from "./maxPackBytes.js";
import { receivePack } from "./receivePack.js";
import { uploadPack } from "./uploadPack.js";

/**
 * A GitTransport over git's smart HTTP protocol (Documentation/gitprotocol-http.txt, protocol
 * version 0 as every git server speaks it), written on isomorphic-git's HTTP client, pack indexer
 * and object reader (with node's zlib for loose objects and the pack sent, `readGitObject`,
 * `writePack`): many refs move in one request each way, which isomorphic-git's own fetch and push
 * (one branch per call, remote-tracking refs written) do not offer.
 *
 * - `listRefs(prefix)`: one `GET info/refs?service=git-upload-pack`; names and ids are checked.
 * - `fetch(wants)`: one `POST git-upload-pack` for all wants (after the advertisement, reused from
 *   listRefs when it came first); the pack lands in `.git/objects/pack` whole or not at all.
 * - `push(updates)`: `GET info/refs?service=git-receive-pack`, then one `POST git-receive-pack`
 *   with every command and one pack of what the remote lacks; atomic where the remote offers it.
 *
 * Credentials: `https://USER:TOKEN@host/path` in the remote's URL, or the environment variables
 * `DW_GIT_USERNAME` and `DW_GIT_PASSWORD` (the password alone is sent with the user name `git`),
 * sent as HTTP Basic auth. Neither ever appears in a message: the URL is shown with `***` in their
 * place (`redactUrl`). A remote silent for `options.timeoutMs` (60 s) fails the call, and a pack
 * larger than `DW_GIT_MAX_PACK_MB` (256 MB by default, see `maxPackBytes`) fails the fetch.
 *
 * @example
 * const transport = createHttpTransport(ws, "origin", "https://git.example.com/team/models.git");
 * const refs = await transport.listRefs("refs/dw/");
 * await transport.fetch([...refs.values()]);
 */
export function createHttpTransport(ws: Workspace, remote: string, url: string, options: GitHttpOptions = {}): GitTransport {
  const session = createGitHttp(remote, url, options);
  /** The last upload-pack advertisement, whose capabilities a fetch right after listRefs reuses. */
  let uploadAdvertisement: Advertisement | null = null;

  async function advertiseUploadPack(): Promise<Advertisement> {
    const answer = await session.advertise("git-upload-pack", ADVERTISEMENT_LIMIT);
    try {
      uploadAdvertisement = await readAdvertisement(answer.reader, "git-upload-pack", session.where);
      return uploadAdvertisement;
    } finally {
      answer.close();
    }
  }

  return {
    remote: session.remote,
    url: session.url,
    async listRefs(prefix) {
      const { refs } = await advertiseUploadPack();
      const out = new Map<string, string>();
      for (const [name, oid] of refs) if (name.startsWith(prefix)) out.set(name, oid);
      return out;
    },
    async fetch(wants) {
      if (wants.length === 0) return;
      // Wants become protocol lines: anything but an object id is refused before a byte is sent.
      const bad = wants.find((oid) => !/^[0-9a-f]{40}$/.test(oid));
      if (bad !== undefined) {
        throw new DwError("INVALID_INPUT", `Cannot fetch ${quote(bad)} from ${session.where}: a want is an object id of 40 lowercase hex digits.`, {
          hint: "Fetch the ids listRefs returned.",
          details: { remote: session.where },
        });
      }
      const { capabilities } = uploadAdvertisement ?? (await advertiseUploadPack());
      await uploadPack(ws, session, capabilities, wants, maxPackBytes(options.env ?? process.env));
    },
    async push(updates) {
      return receivePack(ws, session, updates);
    },
  };
}
