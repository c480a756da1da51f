import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { pushToRemote } from "../../../src/sync/pushToRemote.js";
import { pullFromRemote } from "../../../src/sync/pullFromRemote.js";
import { startMotoS3, type MotoS3 } from "../data/sharedCache/motoS3.js";

// A pull asks the shared cache (here a real S3 server, moto) about the data of what it takes over
// the network; while that server does not answer, the workspace stays free for every other tool:
// the pull takes the lock only to decide and write.

let dir: string;
let bare: string;
let moto: MotoS3;
let A: TempWorkspace;
let C: TempWorkspace;
let a: ToolContext;
let c: ToolContext;

const git = (gitdir: string, ...args: string[]) => execFileSync("git", ["--git-dir", gitdir, ...args], { encoding: "utf8" }).trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid of moto_server: this process's child whose command line names its port. */
async function motoPid(endpoint: string): Promise<number> {
  const port = new URL(endpoint).port;
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const cmd = await readFile(`/proc/${name}/cmdline`, "utf8").catch(() => "");
    if (ppid === process.pid && cmd.includes("moto_server") && cmd.split("\0").includes(port)) return Number(name);
  }
  throw new Error(`no moto_server child on port ${port}`);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "dw-pull-lock-"));
  bare = join(dir, "registry.git");
  execFileSync("git", ["init", "--bare", "-q", bare]);
  moto = await startMotoS3();
  process.env.AWS_ACCESS_KEY_ID = moto.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = moto.secretAccessKey;
  A = await makeTempWorkspace("dw-pull-lock-a-");
  C = await makeTempWorkspace("dw-pull-lock-c-");
  for (const t of [A, C]) {
    execFileSync("git", ["init", "-q", t.dir]);
    const gitdir = join(t.dir, ".git");
    git(gitdir, "remote", "add", "origin", bare);
    git(gitdir, "config", "dw.cache", `s3://${moto.bucket}/data`);
    git(gitdir, "config", "dw.cacheEndpoint", moto.endpoint);
  }
  a = await createToolContext({ cwd: A.dir });
  c = await createToolContext({ cwd: C.dir });
});
after(async () => {
  await moto?.stop();
  await A?.cleanup();
  await C?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

test("while the shared cache does not answer, a pull holds no workspace lock; once it answers, the pull completes with the data found there", {
  timeout: 60_000,
}, async () => {
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, a));
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, a)).run_id;
  ok(await runTool("register_model", { model_id: run, model_name: "temp" }, a));
  const pushed = await pushToRemote(a, { remote: "origin" });
  assert.equal(pushed.data.uploaded.length, 1);

  const pid = await motoPid(moto.endpoint);
  process.kill(pid, "SIGSTOP");
  let settled = false;
  let pulling: Promise<Awaited<ReturnType<typeof pullFromRemote>>>;
  try {
    pulling = pullFromRemote(c, { remote: "origin" });
    pulling.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    // The remote is a local path: listing and fetching take well under this; then the pull waits on S3.
    await sleep(2500);
    assert.equal(settled, false, "the pull waits on the stopped shared cache");
    const free = await Promise.race([c.workspace.withLock(async () => true), sleep(4000).then(() => false)]);
    assert.equal(free, true, "no other writer could take the workspace lock while the pull waited on the network");
    assert.equal(settled, false);
  } finally {
    process.kill(pid, "SIGCONT");
  }
  const r = await pulling;
  assert.deepEqual(r.versions, ["temp/1"]);
  assert.deepEqual(r.data.missing, [], "the data is in the shared cache");
  assert.equal(r.data.shared_cache, `s3://${moto.bucket}/data`);
});
