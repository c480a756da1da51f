import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openWorkspace } from "../../../src/index.js";

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A repository holding the refs of models `temp` and `temperature`, loose or packed as `git gc` packs them. */
async function repoWithModels(packed: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dw-listrefs-"));
  dirs.push(dir);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, encoding: "utf8" });
  git("init", "-q", ".");
  git("commit", "-q", "--allow-empty", "-m", "c");
  for (const ref of [
    "refs/dw/models/temp/1",
    "refs/dw/models/temperature/1",
    "refs/dw/models/temperature/2",
    "refs/dw/aliases/temp/prod",
    "refs/dw/aliases/temperature/prod",
    "refs/dw/aliases/temperature/staging",
    "refs/dw/aliases/temperature_v2/prod",
  ])
    git("update-ref", ref, "HEAD");
  if (packed) git("pack-refs", "--all");
  return dir;
}

for (const packed of [false, true]) {
  test(`listRefs gives the names under a prefix and nothing of a name that only begins like it (${packed ? "packed refs, as after git gc" : "loose refs"})`, async () => {
    const ws = await openWorkspace(await repoWithModels(packed));
    // isomorphic-git matches packed refs by the prefix without its slash, and gave
    // "refs/dw/aliases/temperature/prod" (whole) among temp's aliases.
    assert.deepEqual(await ws.listRefs("refs/dw/aliases/temp"), ["prod"]);
    assert.deepEqual(await ws.listRefs("refs/dw/models/temp"), ["1"]);
    assert.deepEqual(await ws.listRefs("refs/dw/models/temperature"), ["1", "2"]);
    assert.deepEqual(await ws.listRefs("refs/dw/aliases/temperature"), ["prod", "staging"]);
    assert.deepEqual(await ws.listRefs("refs/dw/models"), ["temp/1", "temperature/1", "temperature/2"]);
    assert.deepEqual(await ws.listRefs("refs/dw/alias"), []);
  });
}

test("readRef and listRefs see each change git makes to packed-refs, though its parse is kept between reads", async () => {
  const dir = await repoWithModels(true);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, encoding: "utf8" }).trim();
  const ws = await openWorkspace(dir);
  const first = git("rev-parse", "HEAD");
  assert.equal(await ws.readRef("refs/dw/models/temperature/2"), first);
  assert.equal(await ws.readRef("refs/dw/models/temperature"), null, "a folder's name is no ref");
  // A packed ref moved: git writes it loose, and the loose file wins.
  git("commit", "-q", "--allow-empty", "-m", "second");
  const second = git("rev-parse", "HEAD");
  git("update-ref", "refs/dw/models/temperature/2", second);
  assert.equal(await ws.readRef("refs/dw/models/temperature/2"), second);
  // Packed again: the loose file is gone and packed-refs is a new file holding the new id.
  git("pack-refs", "--all");
  assert.equal(await ws.readRef("refs/dw/models/temperature/2"), second);
  // A packed ref deleted: git rewrites packed-refs without it.
  git("update-ref", "-d", "refs/dw/models/temperature/1");
  assert.equal(await ws.readRef("refs/dw/models/temperature/1"), null);
  assert.deepEqual(await ws.listRefs("refs/dw/models/temperature"), ["2"]);
  // A ref added and packed.
  git("update-ref", "refs/dw/models/temperature/3", first);
  git("pack-refs", "--all");
  assert.deepEqual(await ws.listRefs("refs/dw/models/temperature"), ["2", "3"]);
  assert.equal(await ws.readRef("refs/dw/models/temperature/3"), first);
  // packed-refs removed altogether (every ref loose or gone): nothing is answered from the old parse.
  git("update-ref", "-d", "refs/dw/models/temperature/3");
  git("update-ref", "-d", "refs/dw/models/temperature/2");
  assert.equal(await ws.readRef("refs/dw/models/temperature/2"), null);
});
