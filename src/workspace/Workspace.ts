import { gitFs } from "./gitFs.js";
import { stat, readFile, readdir, unlink } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join, resolve, dirname, isAbsolute } from "node:path";
import { createRequire } from "node:module";
import type * as IsoGit from "isomorphic-git";
import { atomicWrite } from "./atomicWrite.js";
import { createWorkspaceLock } from "./lock.js";
import { DwError } from "../errors/DwError.js";
import type { z } from "zod";
import { committedDocument, parseDocument } from "./parseDocument.js";
import { isRefPart } from "./refNames.js";
import { blobSize } from "./blobSize.js";
import { gitObject, type GitObject } from "./gitObject.js";
import { treeObjects, type TreeFileEntry } from "./treeObjects.js";
import { commitObject } from "./commitObject.js";
import { readGitConfig } from "./readGitConfig.js";
import { writeLooseObjects } from "./writeLooseObjects.js";
import { listLooseRefs } from "./listLooseRefs.js";
import { packedRefs } from "./packedRefs.js";
import { identPart } from "./identPart.js";

/** A file to put in a commit's tree: text (written as UTF-8) or bytes. */
export type TreeFiles = Record<string, string | Uint8Array>;

/** What a commit holds besides its message: `files` over the tree of `base` (when given), its parents and time. */
export interface CommitContent {
  files: TreeFiles;
  parents?: string[];
  base?: string;
  now?: Date;
}

export interface CommitInfo {
  oid: string;
  message: string;
  parents: string[];
  /** Seconds since the epoch, as git stores it. */
  timestamp: number;
}

/**
 * The project's git repository seen as dw's store. Runs, model versions, aliases and
 * deployments are commits and refs under refs/dw/*, written straight into the object database
 * (encoded here, as git and isomorphic-git encode them; read with isomorphic-git): the user's
 * branch, index and working tree are never touched. Objects are written (fsynced) before the ref
 * that names them, and refs are replaced by rename, so a crash leaves at worst an unreferenced
 * object. Callers take `withLock` around read-modify-write.
 */
export interface Workspace {
  /** The folder that holds `.git` and `.dw`. */
  root: string;
  gitdir: string;
  /** `.dw/`: the data cache, dataset records, server state. Ignored by git. */
  dwDir: string;
  /**
   * isomorphic-git's cache for this repository (each pack's parsed index and its bytes once read),
   * to pass as `cache` to any isomorphic-git call on it. A call without one parses every pack's
   * index and reads the whole pack again: a pull's report read one commit per ref that way, 250
   * times the 3 MB pack it had just received.
   */
  gitCache: object;
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Writes a commit holding `files` (over the tree of `base`, when given) and points `ref` at it. */
  commit(options: { ref: string; message: string } & CommitContent): Promise<string>;
  /**
   * Writes a commit's objects (durably) and answers its id, without pointing any ref at it: until a
   * ref is written the commit is garbage git may prune, so this may run outside the lock, beside
   * taking it, and the ref be written under it.
   */
  writeCommit(content: { message: string } & CommitContent): Promise<string>;
  /**
   * The object id `ref` holds, or null when there is no such ref. Only the exact name is looked
   * up (loose file, then packed-refs): no symbolic ref is followed and no other prefix is tried,
   * and a ref that holds anything but an object id is a DATA_ERROR.
   */
  readRef(ref: string): Promise<string | null>;
  /** Points `ref` at `oid` (an existing object), atomically. */
  writeRef(ref: string, oid: string): Promise<void>;
  deleteRef(ref: string): Promise<void>;
  /** Names under `prefix`, relative to it, e.g. listRefs("refs/dw/models") → ["temp/1", "temp/2"]. */
  listRefs(prefix: string): Promise<string[]>;
  readCommit(oid: string): Promise<CommitInfo>;
  /**
   * A file of a commit's tree, or null when the commit has no such path. The blob's size is read
   * from the object's header first (`blobSize`), so a pushed file over `maxBytes` (default
   * READ_LIMIT_BYTES, 1 GiB) is a DATA_ERROR before any of it is inflated: 10 GB of spaces is
   * 10 MB in git and would otherwise exhaust memory. Callers that know a file's bound pass less.
   */
  readText(commitOid: string, path: string, options?: { maxBytes?: number }): Promise<string | null>;
  /**
   * A JSON document of a commit's tree checked against `schema` (its output, typed), or null when
   * the commit has no such file. A file that is not JSON or fails the schema is a DATA_ERROR naming
   * `refName` (else the commit), the file and the first failing field, with how to inspect it.
   *
   * @example
   * const run = await ws.readDocument(RunRecord, oid, "run.json", runRef(runId));
   */
  readDocument<S extends z.ZodType>(schema: S, commitOid: string, path: string, refName?: string): Promise<z.output<S> | null>;
}

/**
 * The workspace for a folder: DW_WORKSPACE when set, else the nearest folder at or above `cwd`
 * that has `.dw/` or `.git`, else `cwd` itself (where a repository is created on first write).
 */
export async function findWorkspaceRoot(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.DW_WORKSPACE) return resolve(cwd, env.DW_WORKSPACE);
  let dir = resolve(cwd);
  for (;;) {
    if ((await exists(join(dir, ".dw"))) || (await exists(join(dir, ".git")))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

const requireCjs = createRequire(import.meta.url);
let isoGit: typeof IsoGit | undefined;

/**
 * isomorphic-git, loaded when the workspace first reads or writes an object, not when it opens:
 * refs are read without it, so a tool that only lists runs (or answers from a ref and the .dw
 * cache) never pays for it. Required as CommonJS (its build for node) rather than imported: node
 * then compiles it without first scanning it for ESM exports, half the cost of loading it.
 */
function git(): typeof IsoGit {
  isoGit ??= requireCjs("isomorphic-git") as typeof IsoGit;
  return isoGit;
}

const openWorkspaces = new Map<string, Promise<Workspace>>();

/** Opens (creating `.git` and `.dw` if absent) the workspace rooted at `root`. One instance per root per process. */
export function openWorkspace(root: string): Promise<Workspace> {
  const key = resolve(root);
  let ws = openWorkspaces.get(key);
  if (!ws) {
    ws = createWorkspace(key);
    openWorkspaces.set(key, ws);
    ws.catch(() => openWorkspaces.delete(key));
  }
  return ws;
}

async function createWorkspace(root: string): Promise<Workspace> {
  const dwDir = join(root, ".dw");
  const lock = createWorkspaceLock(dwDir);
  let gitdir = join(root, ".git");
  const gitStat = await stat(gitdir).catch(() => null);
  if (!gitStat) {
    await lock.withLock(async () => {
      if (!(await exists(gitdir))) await git().init({ fs: gitFs, dir: root, defaultBranch: "main" });
    });
  } else if (gitStat.isFile()) {
    // A worktree or submodule: `.git` is a file naming the real git dir.
    const text = await readFile(gitdir, "utf8");
    const m = /^gitdir:\s*(.+)\s*$/m.exec(text);
    if (!m) throw new DwError("INVALID_INPUT", `${gitdir} is a file but not a gitdir pointer.`);
    gitdir = isAbsolute(m[1]) ? m[1] : resolve(root, m[1]);
  }
  await ensureIgnored(root, gitdir);
  await sweepRefTemps(gitdir);
  const cache = {};
  const smallFiles = new Map<string, { text: string | null; bytes: number }>();
  const keep = (key: string, file: { text: string | null; bytes: number }) => {
    if (smallFiles.size >= SMALL_FILES_KEPT) smallFiles.delete(smallFiles.keys().next().value!);
    smallFiles.set(key, file);
  };
  // Read from the git config on the first commit, as only commits need it.
  let author: Promise<{ name: string; email: string }> | undefined;

  async function flattenTree(treeOid: string, prefix: string, out: Map<string, TreeFileEntry>): Promise<void> {
    const { tree } = await git().readTree({ fs: gitFs, dir: root, gitdir, oid: treeOid, cache });
    for (const e of tree) {
      const p = prefix ? `${prefix}/${e.path}` : e.path;
      if (e.type === "tree") await flattenTree(e.oid, p, out);
      else out.set(p, { oid: e.oid, mode: e.mode });
    }
  }

  /** The entry `path` names in a commit's tree, read from the trees only (no blob), or null when there is none. */
  async function treeEntry(commitOid: string, path: string): Promise<{ oid: string; type: string } | null> {
    const slash = path.lastIndexOf("/");
    const dir = slash < 0 ? undefined : path.slice(0, slash);
    const { tree } = await git().readTree({ fs: gitFs, dir: root, gitdir, oid: commitOid, filepath: dir, cache });
    const name = path.slice(slash + 1);
    return tree.find((e) => e.path === name) ?? null;
  }

  const ws: Workspace = {
    root,
    gitdir,
    dwDir,
    gitCache: cache,
    withLock: (fn) => lock.withLock(fn),

    async commit({ ref, ...content }) {
      const oid = await ws.writeCommit(content);
      await ws.writeRef(ref, oid);
      return oid;
    },

    async writeCommit({ message, files, parents = [], base, now = new Date() }) {
      const entries = new Map<string, TreeFileEntry>();
      if (base) {
        const { commit } = await git().readCommit({ fs: gitFs, dir: root, gitdir, oid: base, cache });
        await flattenTree(commit.tree, "", entries);
      }
      // Every object is made (and hashed) in memory first, then written side by side; a ref, which
      // makes the commit visible, can only name it once they all are on disk.
      const objects: GitObject[] = [];
      const written: [string, Uint8Array][] = [];
      for (const [path, content] of Object.entries(files)) {
        const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
        const blob = gitObject("blob", bytes);
        objects.push(blob);
        entries.set(path, { oid: blob.oid, mode: "100644" });
        written.push([path, bytes]);
      }
      const tree = treeObjects(entries);
      objects.push(...tree.objects);
      author ??= readAuthor(gitdir);
      const who = { ...(await author), timestamp: Math.floor(now.getTime() / 1000), timezoneOffset: now.getTimezoneOffset() };
      const commit = commitObject({ tree: tree.root, parents, author: who, committer: who, message });
      objects.push(commit);
      await writeLooseObjects(gitdir, objects);
      // What was just written is what a read of this commit would find: its small files are kept,
      // so reading them back (the last training's snapshot, read by the next training) reads no object.
      for (const [path, bytes] of written)
        if (bytes.byteLength <= SMALL_FILE_CHARS) keep(`${commit.oid}:${path}`, { text: new TextDecoder().decode(bytes), bytes: bytes.byteLength });
      return commit.oid;
    },

    async readRef(ref) {
      checkRefName(ref);
      return readDirectRef(gitdir, ref);
    },

    async writeRef(ref, oid) {
      checkRefName(ref);
      // The temp file lives outside refs/, so a writer killed before its rename leaves nothing
      // that git (whose fsck checks ref names) would read as a ref.
      await atomicWrite(join(gitdir, ref), oid + "\n", { tmpDir: join(gitdir, REF_TMP_DIR) });
    },

    async deleteRef(ref) {
      checkRefName(ref);
      await git().deleteRef({ fs: gitFs, dir: root, gitdir, ref });
    },

    async listRefs(prefix) {
      // Read straight from the ref store: one listing per folder and one pass over packed-refs.
      // isomorphic-git's listing stats every ref (every training lists the runs) and took a packed
      // ref whose name merely began with the prefix (no slash), so that once `git gc` had packed
      // them, the aliases of model "temp" included "refs/dw/aliases/temperature/prod".
      const names = new Set<string>();
      await listLooseRefs(join(gitdir, prefix), "", names);
      const under = `${prefix}/`;
      for (const name of packedRefs(gitdir).keys()) if (name.startsWith(under)) names.add(name.slice(under.length));
      return [...names].filter((n) => !n.split("/").some((part) => part.startsWith("."))).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    },

    async readCommit(oid) {
      const { commit } = await git().readCommit({ fs: gitFs, dir: root, gitdir, oid, cache });
      return { oid, message: commit.message, parents: commit.parent, timestamp: commit.committer.timestamp };
    },

    async readText(commitOid, path, options = {}) {
      const maxBytes = options.maxBytes ?? READ_LIMIT_BYTES;
      // A commit's files never change, so small ones (registration.json, deployment.json, read on
      // every scoring request to resolve an alias) are kept by commit and path once read.
      const key = `${commitOid}:${path}`;
      const kept = smallFiles.get(key);
      if (kept !== undefined) {
        if (kept.bytes > maxBytes) throw tooLarge(commitOid, path, kept.bytes, maxBytes);
        return kept.text;
      }
      let text: string | null;
      let bytes = 0;
      try {
        const entry = await treeEntry(commitOid, path);
        if (entry === null) text = null;
        else {
          // The size from the object's header, before anything is inflated; null (a file this
          // cannot read with certainty) leaves the check to the length read below.
          const size = entry.type === "blob" ? blobSize(gitdir, entry.oid) : null;
          if (size !== null && size > maxBytes) throw tooLarge(commitOid, path, size, maxBytes);
          const { blob } =
            entry.type === "blob"
              ? await git().readBlob({ fs: gitFs, dir: root, gitdir, oid: entry.oid, cache })
              : await git().readBlob({ fs: gitFs, dir: root, gitdir, oid: commitOid, filepath: path, cache });
          bytes = blob.length;
          if (bytes > maxBytes) throw tooLarge(commitOid, path, bytes, maxBytes);
          text = new TextDecoder().decode(blob);
        }
      } catch (e) {
        if ((e as { code?: string }).code !== "NotFoundError") throw e;
        // The commit or an object of it is not in this repository (yet: dw pull may fetch it), so
        // the answer is not a fact about the commit and is not kept.
        return null;
      }
      if (text === null || text.length <= SMALL_FILE_CHARS) keep(key, { text, bytes });
      return text;
    },

    async readDocument(schema, commitOid, path, refName) {
      // dw's documents (records, registrations, deployments, gate reports) are small: a larger one
      // is refused before it is inflated, as the server reads them to resolve every alias.
      const text = await ws.readText(commitOid, path, { maxBytes: DOCUMENT_LIMIT_BYTES });
      if (text === null) return null;
      return parseDocument(schema, text, committedDocument(commitOid, path, refName));
    },
  };
  return ws;
}

const OBJECT_ID = /^[0-9a-f]{40}$/;

/** Files of commits up to this many characters are kept once read, at most SMALL_FILES_KEPT of them (oldest dropped first). */
const SMALL_FILE_CHARS = 4 * 1024;
const SMALL_FILES_KEPT = 4096;

/**
 * The most readText reads of one file unless the caller passes less: 1 GiB, twice V8's longest
 * string (2^29 − 24 characters), so no file a caller could turn into text is refused by default,
 * while a pushed file beyond it is refused from its header, before it is inflated.
 */
export const READ_LIMIT_BYTES = 2 ** 30;
/** The most readDocument reads of one JSON document (64 MiB; dw's own are kilobytes). */
export const DOCUMENT_LIMIT_BYTES = 64 * 2 ** 20;

function tooLarge(commitOid: string, path: string, size: number, limit: number): DwError {
  return new DwError("DATA_ERROR", `${path} in commit ${commitOid.slice(0, 10)} is ${size} bytes, more than the ${limit} bytes dw reads of it.`, {
    hint: `See its size with: git cat-file -s ${commitOid}:${path}. A file this large did not come from dw's tools: if it was pushed, register or deploy a good version again.`,
    details: { commit: commitOid, path, bytes: size, limit },
  });
}

/** Where writeRef stages a ref before renaming it into refs/ (inside the git dir, so on the same file system). */
const REF_TMP_DIR = "dw-tmp";

/** Removes temp files that writers which are no longer running left in REF_TMP_DIR. */
async function sweepRefTemps(gitdir: string): Promise<void> {
  const dir = join(gitdir, REF_TMP_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const m = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = pid === process.pid;
    if (!alive) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === "EPERM";
      }
    }
    if (!alive) await unlink(join(dir, name)).catch(() => undefined);
  }
}

/**
 * Reads one ref by its exact name, as dw wrote it: the loose file `<gitdir>/<ref>`, else its line
 * in packed-refs. isomorphic-git's resolveRef would follow `ref: …` files and try other prefixes,
 * which lets a ref that a teammate pushed (or a hand edit) point anywhere. Read synchronously: a
 * ref is 41 bytes of a local file, and the sidebar's poll reads some 700 of them; through
 * fs/promises each read was four trips to the thread pool (about 40 µs of CPU), read directly it
 * is a few µs, less than the promise machinery alone.
 */
function readDirectRef(gitdir: string, ref: string): string | null {
  let text: string | null;
  try {
    text = readFileSync(join(gitdir, ref), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR" && code !== "EISDIR") throw e;
    text = null;
  }
  if (text !== null) {
    const oid = text.trim();
    if (OBJECT_ID.test(oid)) return oid;
    throw new DwError("DATA_ERROR", `The ref ${ref} is damaged: it does not hold an object id.`, {
      hint: `Inspect it with: git show-ref ${ref}; write it again with dw (register or deploy once more), or delete it with: git update-ref -d ${ref}`,
      details: { ref },
    });
  }
  return packedRefs(gitdir).get(ref) ?? null;
}

/** Ref names dw writes: refs/dw/<kind>/<name>[/<more>], each part a safe git ref component. */
function checkRefName(ref: string): void {
  const parts = ref.split("/");
  const ok = parts.length >= 3 && parts[0] === "refs" && parts[1] === "dw" && parts.every(isRefPart);
  if (!ok)
    throw new DwError("INVALID_INPUT", `'${ref}' is not a ref name dw can write.`, {
      hint: "Names may use letters, digits, '.', '_', '-' and must start with a letter or digit.",
    });
}

async function readAuthor(gitdir: string): Promise<{ name: string; email: string }> {
  // The repository's own config, read directly: loading isomorphic-git for two keys cost a process's
  // first commit its 1.2 MB of source (see readGitConfig). A value git would refuse to commit with
  // (none, as from a bare `name`, or only characters it strips) falls back to dw's own.
  const config = await readGitConfig(gitdir);
  const name = identPart(config.get("user.name") ?? "");
  const email = identPart(config.get("user.email") ?? "");
  return { name: name || "dw", email: email || "dw@localhost" };
}

/** `.dw/` holds caches and server state that must never be committed to the user's branch. */
async function ensureIgnored(root: string, gitdir: string): Promise<void> {
  const exclude = join(gitdir, "info", "exclude");
  const text = await readFile(exclude, "utf8").catch(() => "");
  if (!/^\/?\.dw\/?$/m.test(text)) await atomicWrite(exclude, (text && !text.endsWith("\n") ? text + "\n" : text) + ".dw/\n");
  void root;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
