import { statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { deflate, deflateSync } from "node:zlib";
import { atomicWrite } from "./atomicWrite.js";
import type { GitObject } from "./gitObject.js";

const deflateAsync = promisify(deflate);

/** Objects up to this size are deflated inline (microseconds); larger ones on the thread pool, so a big model file does not stall the process. */
const INLINE_DEFLATE_BYTES = 256 * 1024;

/** At most this many objects are being written at once: enough to overlap their fsyncs, few enough for any file-descriptor limit. */
const IN_FLIGHT = 16;

/**
 * Stores `objects` in the repository's object database as loose objects, each one whole or not at
 * all (staged in `.git/dw-tmp`, fsynced, renamed in, as gitFs writes isomorphic-git's), and
 * returns once every one is durable: the caller points a ref at them only then, so a crash leaves
 * at worst unreferenced objects. An object already there is not written again, unless its file is
 * empty (what a writer killed mid-write by older code left). The objects are written side by side
 * rather than one after another, so a commit's dozen fsyncs overlap instead of adding up.
 *
 * The deflated bytes are zlib's at its default level, as isomorphic-git (CompressionStream) wrote them.
 *
 * @example
 * ```ts
 * await writeLooseObjects(ws.gitdir, [blob, tree, commit]);
 * await ws.writeRef(ref, commit.oid);
 * ```
 */
export async function writeLooseObjects(gitdir: string, objects: readonly GitObject[]): Promise<void> {
  const tmpDir = join(gitdir, "dw-tmp");
  const pending = [...new Map(objects.map((o) => [o.oid, o])).values()];
  const write = async (o: GitObject) => {
    const path = join(gitdir, "objects", o.oid.slice(0, 2), o.oid.slice(2));
    // Synchronous, and no exception for a missing file (most are): microseconds each, where through
    // fs/promises each stat queued in the thread pool behind the other objects' fsyncs and a
    // missing one built an error with a stack trace (20 of them ~0.5-1.5 ms a commit).
    let present = false;
    try {
      const s = statSync(path, { throwIfNoEntry: false });
      present = s?.isFile() === true && s.size > 0;
    } catch {
      // Unreadable (a file where objects/xx/ should be): written, as before, and the write reports it.
    }
    if (present) return;
    const deflated = o.wrapped.byteLength <= INLINE_DEFLATE_BYTES ? deflateSync(o.wrapped) : await deflateAsync(o.wrapped);
    await atomicWrite(path, deflated, { tmpDir });
  };
  // Each worker takes the next object until none is left; every write is awaited (settled) before
  // this returns, so a failure never leaves a write running behind the caller's back.
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < pending.length && failures.length === 0) {
      const o = pending[next++];
      await write(o).catch((e: unknown) => void failures.push(e));
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, pending.length) }, worker));
  if (failures.length) throw failures[0];
}
