import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, type ToolContext } from "../../../src/index.js";
import { isDwError, type DwErrorJSON } from "../../../src/errors/DwError.js";

/** git on a repository folder, its output trimmed. */
export const git = (gitdir: string, ...args: string[]) => execFileSync("git", ["--git-dir", gitdir, ...args], { encoding: "utf8" }).trim();

/** Two clones of one team registry, Ada's (A) and Bob's (B), each with `origin` at a bare repository in `dir`. */
export interface TwoClones {
  dir: string;
  bare: string;
  /** The shared data cache folder both clones name in `dw.cache`, when asked for. */
  shared: string;
  A: TempWorkspace;
  B: TempWorkspace;
  a: ToolContext;
  b: ToolContext;
  cleanup(): Promise<void>;
}

/**
 * Makes the two clones and their remote. Each clone gets its own author, set before dw opens it
 * (it reads who commits as it opens); with `sharedCache`, both name one team cache folder.
 */
export async function twoClones(prefix: string, options: { sharedCache?: boolean } = {}): Promise<TwoClones> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const bare = join(dir, "registry.git");
  const shared = join(dir, "team-cache");
  execFileSync("git", ["init", "--bare", "-q", bare]);
  if (options.sharedCache) await mkdir(shared);
  const A = await makeTempWorkspace(`${prefix}-a-`);
  const B = await makeTempWorkspace(`${prefix}-b-`);
  for (const [t, who] of [
    [A, "Ada"],
    [B, "Bob"],
  ] as const) {
    execFileSync("git", ["init", "-q", t.dir]);
    const gitdir = join(t.dir, ".git");
    git(gitdir, "remote", "add", "origin", bare);
    if (options.sharedCache) git(gitdir, "config", "dw.cache", shared);
    git(gitdir, "config", "user.name", who);
    git(gitdir, "config", "user.email", `${who.toLowerCase()}@example.com`);
  }
  const a = await createToolContext({ cwd: A.dir });
  const b = await createToolContext({ cwd: B.dir });
  return {
    dir,
    bare,
    shared,
    A,
    B,
    a,
    b,
    cleanup: async () => {
      await A.cleanup();
      await B.cleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The DwError a call ends with; `expected` is the failure message when it does not fail. */
export async function dwErrorOf(p: Promise<unknown>, expected: string): Promise<DwErrorJSON> {
  try {
    await p;
  } catch (e) {
    assert.ok(isDwError(e), String(e));
    return e.toJSON();
  }
  return assert.fail(expected);
}
