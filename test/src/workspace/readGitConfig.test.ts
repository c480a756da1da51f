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
  // A bare key has no value: git prints it as true when asked for a boolean, and as nothing otherwise.
  assert.equal(config.get("user.flag"), null);
  assert.equal(gitGet("user.flag"), "");
  assert.equal(gitGet("user.flag", "bool"), "true");
  assert.equal(config.get("user.name"), "Dana   Q. Reviewer");
  assert.equal(config.get("user.missing"), undefined);
});

// What the line-by-line reading missed: a variable on its header's line (and a header after
// another), a backslash-newline continuation in and out of quotes, a tab between words (git writes
// a space), CRLF line ends, a byte-order mark, a variable before any header, a bare key then a blank.
const FORMS = [
  "\uFEFFtop = 1",
  "[user] name = Head Line ; a comment",
  "\temail = dana\\",
  "   @example.com",
  "[core][Alias]Co = commit",
  '\tq = "one \\',
  'two" three\\',
  "",
  "\tz = a\tb \t c",
  "\tbare   ",
  "\tcrlf = x y\r",
  '[sec "Sub"] k = v ; [not] a header',
  "[Old.Style]Key = w",
  "",
].join("\n");

test("readGitConfig reads a variable on its header's line, continued lines and the rest of git's forms as git config --get does", async () => {
  await writeFile(join(gitdir(), "config"), FORMS);
  const config = await readGitConfig(gitdir());
  const keys = ["user.name", "user.email", "alias.co", "alias.q", "alias.z", "alias.crlf", "sec.Sub.k", "old.style.key"];
  for (const key of keys) {
    assert.notEqual(gitGet(key), undefined, `git reads ${key}`);
    assert.equal(config.get(key), gitGet(key), key);
  }
  // git lists a variable before any header by its name alone (though --get refuses a key without a section).
  const listed = execFileSync("git", ["config", "--file", join(gitdir(), "config"), "--list"], { encoding: "utf8" }).split("\n");
  assert.ok(listed.includes("top=1"), listed.join("\n"));
  assert.equal(config.get("top"), "1");
  assert.equal(config.get("user.name"), "Head Line");
  assert.equal(config.get("user.email"), "dana   @example.com");
  assert.equal(config.get("alias.q"), "one two three");
  assert.equal(config.get("alias.z"), "a b   c");
  assert.equal(config.get("alias.bare"), null);
  assert.equal(gitGet("alias.bare", "bool"), "true");
  assert.equal(config.size, keys.length + 2);
});

test("readGitConfig stops where git refuses the file (an unknown escape, an open quote) and keeps what came before", async () => {
  for (const bad of ["\tname = a\\q b", '\tname = "open', "\t= value", "\tname value"]) {
    await writeFile(join(gitdir(), "config"), `[user]\n\temail = e@x.com\n${bad}\n\tafter = 1\n`);
    assert.equal(gitGet("user.email"), undefined, `git refuses ${JSON.stringify(bad)}`);
    const config = await readGitConfig(gitdir());
    assert.deepEqual([...config], [["user.email", "e@x.com"]], bad);
  }
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
  // Cleaned as a commit's author is: the reviewer goes into a commit message's trailer line.
  await writeFile(join(gitdir(), "config"), '[user]\n\tname = "Dana\\nQ <Reviewer>"\n\temail = " <dana@example.com>."\n');
  assert.equal(await defaultReviewer(ws, {}), "DanaQ Reviewer <dana@example.com>");
});
