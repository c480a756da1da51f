import fs from "node:fs";
import { dirname, join } from "node:path";
import { atomicWrite } from "./atomicWrite.js";

const NO_PATH = Object.assign(new Error("readFile needs a path"), { code: "ERR_INVALID_ARG_TYPE" });

/** A loose object's path: `<gitdir>/objects/ab/<38 hex>`. */
const LOOSE_OBJECT = /[\\/]objects[\\/][0-9a-f]{2}[\\/][0-9a-f]{38}$/;

/**
 * The file system isomorphic-git writes the workspace's repository through: node's, except that a
 * loose object is written whole or not at all (staged in `.git/dw-tmp`, then renamed, as refs are),
 * and an empty object file (what a writer killed mid-write with plain writeFile left) is reported
 * as absent. isomorphic-git never writes an object it believes exists, so without the second rule
 * such a file would stay corrupt, and the next commit holding the same content would name it.
 */
export const gitFs = {
  promises: {
    ...fs.promises,
    // isomorphic-git wraps the file system anew in every call and probes it twice by calling
    // readFile() with no path; node's rejection builds an error with a stack each time, which was
    // a few ms of every commit. The probe gets a ready rejection instead.
    readFile(path: fs.PathLike | fs.promises.FileHandle, options?: unknown): Promise<string | Buffer> {
      if (path === undefined) return Promise.reject(NO_PATH);
      return fs.promises.readFile(path, options as { encoding?: null });
    },
    async writeFile(path: string, data: string | Uint8Array, options?: unknown): Promise<void> {
      if (typeof path === "string" && LOOSE_OBJECT.test(path)) {
        const gitdir = dirname(dirname(dirname(path)));
        return atomicWrite(path, data, { tmpDir: join(gitdir, "dw-tmp") });
      }
      return fs.promises.writeFile(path, data, options as fs.WriteFileOptions);
    },
    async stat(path: string, options?: unknown): Promise<fs.Stats> {
      return emptyObjectIsAbsent(path, await fs.promises.stat(path, options as fs.StatOptions as { bigint?: false }));
    },
    async lstat(path: string, options?: unknown): Promise<fs.Stats> {
      return emptyObjectIsAbsent(path, await fs.promises.lstat(path, options as fs.StatOptions as { bigint?: false }));
    },
  },
};

function emptyObjectIsAbsent(path: string, st: fs.Stats): fs.Stats {
  if (st.isFile() && st.size === 0 && typeof path === "string" && LOOSE_OBJECT.test(path)) {
    throw Object.assign(new Error(`ENOENT: an empty object file is no object, '${path}'`), { code: "ENOENT" });
  }
  return st;
}
