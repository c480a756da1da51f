import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGitConfig } from "../../../src/workspace/readGitConfig.js";
import { defaultReviewer } from "../../../src/governance/review/recordReview.js";
import { openWorkspace } from "../../../src/workspace/Workspace.js";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "dw-gitconfig-"));
  execFileSync("git", ["init", "-q", dir]);
});
after(async () => rm(dir, { recursive: true, force: true }));

const gitdir = () => join(dir, ".git");
/** What git itself answers for a key of the repository's config (its last value), or undefined when it has none. */
function gitGet(key: string, type?: "bool"): string | undefined {
  try {
    const args = ["config", "--file", join(gitdir(), "config"), ...(type ? [`--type=${type}`] : []), "--get", key];
    return execFileSync("git", args, { encoding: "utf8" }).replace(/\n$/, "");
  } catch {
    return undefined;
  }
}

// Quotes, escapes, comments after values and headers, case in section and key names, a subsection,
// a key given twice (the last wins), a bare key (a boolean), whitespace kept between words.
const TRICKY = [
  "[core]",
  "\trepositoryformatversion = 0",
  "[User]  ; a comment after the header",
  '\tName = "Dana  Reviewer" # the display name',
  "\tname = Dana   Q. Reviewer   ; the second value wins",
  '\temail = "dana@example.com"',
  '\tsignature = tab\\there and a \\"quote\\" and a \\\\ slash',
  "\tflag",
  '[remote "origin"]',
  "\turl = https://example.com/repo.git",
  '[remote "Sub\\"Sec"]',
  "\turl = x",
  "",
].join("\n");

test("readGitConfig reads each key as git itself does: last value, quotes and escapes, comments, case, subsections, bare keys", async () => {
  await writeFile(join(gitdir(), "config"), TRICKY);
  const config = await readGitConfig(gitdir());
  for (const key of ["core.repositoryformatversion", "user.name", "user.email", "user.signature", "remote.origin.url", 'remote.Sub"Sec.url'])
    assert.equal(config.get(key), gitGet(key), key);
  // A bare key is a boolean: git prints it as true when asked for one (and as nothing otherwise).
  assert.equal(config.get("user.flag"), gitGet("user.flag", "bool"));
  assert.equal(config.get("user.name"), "Dana   Q. Reviewer");
  assert.equal(config.get("user.flag"), "true");
  assert.equal(config.get("user.missing"), undefined);
});

test("readGitConfig of a repository without a config file is empty", async () => {
  assert.equal((await readGitConfig(join(dir, "no-such-gitdir"))).size, 0);
});

test("defaultReviewer reads a changed config at once (nothing kept between calls) and falls back to the OS user without one", async () => {
  const ws = await openWorkspace(dir);
  await writeFile(join(gitdir(), "config"), TRICKY);
  assert.equal(await defaultReviewer(ws, {}), "Dana   Q. Reviewer <dana@example.com>");
  await writeFile(join(gitdir(), "config"), "[user]\n\tname = Lee\n");
  assert.equal(await defaultReviewer(ws, {}), "Lee");
  assert.equal(await defaultReviewer(ws, { GIT_AUTHOR_NAME: "Env Name", GIT_AUTHOR_EMAIL: "env@example.com" }), "Env Name <env@example.com>");
  await writeFile(join(gitdir(), "config"), "[core]\n\tbare = false\n");
  assert.equal(await defaultReviewer(ws, { USER: "os-user" }), "os-user");
});
