import { test, before, after, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, watch } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { makeTempWorkspace, repoRoot } from "../../helpers/tempWorkspace.js";
import { lockHolder as lockHolderOf } from "../../helpers/workspaceLock.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool } from "../../../src/index.js";
import { createRandom } from "../../../src/models/random.js";

/**
 * Crash safety of the registry, seeded and bounded: real `dw` processes registering and deploying
 * one model are killed with SIGKILL at random points, several at once in some rounds, and afterwards
 * the repository must be sound, no version a caller was told about lost, the lock free, and the
 * alias the server follows must serve the version the registry and the deployment record name.
 *
 * A kill is timed from one of four instants, each plus a seeded random delay: the spawn (start-up,
 * opening the workspace, waiting for the lock, the answer), the lock's temp file appearing (the lock
 * being created), `.dw/lock` naming the process (version numbering, gates, loading the model), and
 * the n-th change under refs/dw/{models,aliases,deployments}/m while it holds the lock (between the
 * ref writes). On a loaded machine start-up alone varies by more than the whole locked section, so
 * only the later anchors land kills there reliably; inotify wakes the test within a millisecond.
 *
 * A failure names the seed and round; run it again with DW_CRASH_SEED=<seed> (and
 * DW_CRASH_ROUNDS=<n>). The seed fixes the plan; where a kill lands still depends on timing.
 *
 * `npm test` runs 12 rounds (about 25 processes, every kind of instant; 3 s a round on a loaded
 * 2-core machine); the soak in `npm run bench` (bench/soak.mjs) runs the same test for many more
 * rounds and several seeds.
 */

const SEED = Number(process.env.DW_CRASH_SEED ?? 0x0d1e5eed) >>> 0;
const ROUNDS = Number(process.env.DW_CRASH_ROUNDS ?? 12);
/** src/workspace/lock.ts: a lock that cannot be read is stale once this old; a dead owner's at once. */
const LOCK_STALE_AGE_MS = 2_000;
const MODEL = "m";
const ROW = { dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: [[0, 5, 4.7]] } };

const tw = await makeTempWorkspace("dw-crash-");
after(() => tw.cleanup());
const bin = join(repoRoot, "bin", "dw.js");
const lockPath = join(tw.dir, ".dw", "lock");

type Call =
  | { tool: "register_model"; input: { model_id: string; model_name: string; alias?: string } }
  | { tool: "deploy_model"; input: { model_name: string; alias: string; version?: number } };

/** When to kill a process: `ms` after an instant (see the file's comment); null to let it finish. */
type Kill = { after: "spawn" | "acquire" | "lock"; ms: number } | { after: "ref"; nth: number; ms: number } | null;

interface Outcome {
  round: number;
  pid: number;
  call: Call;
  kill: Kill;
  /** True when the planned SIGKILL ended it; false when it exited first (its instant never came, or came too late) or hung. */
  killed: boolean;
  /** Whether `.dw/lock` named this process at the instant it was killed. */
  killedHolding: boolean;
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
}

/** The pid `.dw/lock` names right now, or null (no lock, or one that cannot be read). */
const lockHolder = () => lockHolderOf(tw.dir);

interface Armed {
  kill: Exclude<NonNullable<Kill>, { after: "spawn" }>;
  fire(): void;
  refChanges: number;
}

/**
 * Watches `.dw/` and the model's ref folders, and fires each armed process's kill at its instant:
 * its lock temp file appearing (createLockFile names it `.lock.<pid>.<hex>.tmp`), `.dw/lock` naming
 * it, or the n-th ref change while it holds the lock (refs are only written under the lock, so the
 * holder is the writer). Also records how long each process held the lock.
 */
function watchWorkspace() {
  const armed = new Map<number, Armed>();
  const held = new Map<number, { from: number; to?: number }>();
  let holder: number | null = null;
  const fire = (pid: number, a: Armed) => {
    armed.delete(pid);
    a.fire();
  };
  const onDw = (_event: string, name: string | null) => {
    const creating = name ? /^\.lock\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name) : null;
    const a = creating ? armed.get(Number(creating[1])) : undefined;
    if (a?.kill.after === "acquire") fire(Number(creating![1]), a);
    const now = lockHolder();
    if (now === holder) return;
    const t = Date.now();
    if (holder !== null) held.get(holder)!.to = t;
    holder = now;
    if (now === null) return;
    held.set(now, { from: t });
    const b = armed.get(now);
    if (b?.kill.after === "lock") fire(now, b);
  };
  const onRef = () => {
    const pid = lockHolder();
    const a = pid === null ? undefined : armed.get(pid);
    if (a?.kill.after === "ref" && ++a.refChanges === a.kill.nth) fire(pid!, a);
  };
  // Refs are staged in .git/dw-tmp and renamed into place: both count as ref changes, so a kill can
  // land between a staged ref and its rename.
  mkdirSync(join(tw.dir, ".git", "dw-tmp"), { recursive: true });
  const refDirs = [...["models", "aliases", "deployments"].map((kind) => join(tw.dir, ".git", "refs", "dw", kind, MODEL)), join(tw.dir, ".git", "dw-tmp")];
  const watchers = [watch(join(tw.dir, ".dw"), onDw), ...refDirs.map((d) => watch(d, onRef))];
  return {
    arm: (pid: number, a: Armed) => armed.set(pid, a),
    disarm: (pid: number) => armed.delete(pid),
    /** How long `pid` held the lock, as seen from here; undefined when it was never seen holding it. */
    heldMs: (pid: number): number | undefined => {
      const h = held.get(pid);
      return h?.to === undefined ? undefined : h.to - h.from;
    },
    close: () => watchers.forEach((w) => w.close()),
  };
}

let watcher: ReturnType<typeof watchWorkspace> | undefined;

/** Runs one CLI call and kills it as `kill` says, unless it has exited by then. */
function dw(round: number, call: Call, kill: Kill): Promise<Outcome> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, call.tool, "--json", JSON.stringify(call.input), "--workspace", tw.dir], {
    cwd: tw.dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid!;
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  let killedHolding = false;
  const sigkill = () => {
    killedHolding = lockHolder() === pid;
    child.kill("SIGKILL");
  };
  let timer: NodeJS.Timeout | undefined;
  const fireIn = (ms: number) => (ms === 0 ? sigkill() : (timer = setTimeout(sigkill, ms)));
  if (kill?.after === "spawn") fireIn(kill.ms);
  else if (kill) watcher!.arm(pid, { kill, fire: () => fireIn(kill.ms), refChanges: 0 });
  // A survivor waits at most the lock's 30 s timeout; past that it is hung, which the test reports.
  let hung = false;
  const hang = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, 60_000);
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(hang);
      watcher?.disarm(pid);
      const killed = signal === "SIGKILL" && !hung;
      resolve({ round, pid, call, kill, killed, killedHolding: killed && killedHolding, code, ms: Date.now() - started, stdout, stderr });
    }),
  );
}

function describe(o: Outcome): string {
  const k = o.kill;
  const when = !k
    ? ""
    : k.after === "ref"
      ? `${k.ms} ms after its ref change #${k.nth}`
      : `${k.ms} ms after ${k.after === "spawn" ? "spawn" : k.after === "acquire" ? "its lock temp file appeared" : "taking the lock"}`;
  const how = o.killed ? `killed ${when}${o.killedHolding ? " (holding the lock)" : ""}` : `exited ${o.code}${k ? ` before its kill (${when})` : ""}`;
  return `${o.call.tool} ${JSON.stringify(o.call.input)}: ${how}`;
}

function git(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("git", args, { cwd: tw.dir, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The `version` in a JSON file of the commit `ref` names, or null when the ref or file is absent. */
function versionAt(ref: string, file: string): number | null {
  const r = git("show", `${ref}:${file}`);
  return r.status === 0 ? (JSON.parse(r.stdout) as { version: number }).version : null;
}

/** `refs/dw/models/m/<n>` → commit, from git itself. */
function modelVersionRefs(): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of git("for-each-ref", "--format=%(objectname) %(refname)", `refs/dw/models/${MODEL}`).stdout.split("\n").filter(Boolean)) {
    const [oid, ref] = line.split(" ");
    out.set(Number(ref.split("/").pop()), oid);
  }
  return out;
}

/** Files under `dir`, as paths relative to `base`. */
async function walk(dir: string, base: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name), base) : Promise.resolve([relative(base, join(dir, e.name))]))),
  );
  return nested.flat();
}

const outcomes: Outcome[] = [];
/** The version the workspace's dw serve answers for at m@production, or null when it does not answer 200. */
async function servedVersion(): Promise<number | null> {
  const { url } = JSON.parse(await readFile(join(tw.dir, ".dw", "server.json"), "utf8")) as { url: string };
  const res = await fetch(`${url}/models/${MODEL}@production`);
  return res.status === 200 ? ((await res.json()) as { version: number }).version : null;
}

/** Rounds after which the version the server serves and the last deployment record named different versions. */
const disagreements: Array<{ round: number; alias: number | null; deployment: number | null; calls: string[] }> = [];
/** Rounds after which a killed holder had left `.dw/lock` behind. */
const locksLeft: number[] = [];
let runId = "";
let registerMs = 0;

/**
 * The checks of what the kill rounds left behind. They read the workspace those rounds made, so they
 * run as subtests at the end of that test (see checkAfterTheKills) rather than as tests of their own,
 * which would pass for nothing, or fail, when run without it.
 */
const afterTheKills: [string, (t: TestContext) => void | Promise<void>][] = [];
const checkAfterTheKills = (name: string, check: (t: TestContext) => void | Promise<void>) => void afterTheKills.push([name, check]);

// One linear model registered as m v1 and deployed to production behind a real dw serve.
before(async () => {
  const ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const run = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"], algorithm: "linear_regression" },
      ctx,
    ),
  );
  runId = run.run_id;
  assert.equal(ok(await runTool("register_model", { model_id: runId, model_name: MODEL }, ctx)).version, 1);
  assert.equal(ok(await runTool("deploy_model", { model_name: MODEL, alias: "production" }, ctx)).version, 1);
});

test(`processes killed at random points of lock acquisition, registration and deployment (seed ${SEED}, ${ROUNDS} rounds)`, {
  timeout: Math.max(300_000, ROUNDS * 10_000),
}, async (t) => {
  assert.ok(runId, "setup did not train a run");
  const rng = createRandom(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  watcher = watchWorkspace();
  try {
    // Measured unkilled, so that kills timed from spawn fall inside the call: each call's whole
    // duration, and how long it holds the lock. The first spawn reads every module from disk, so
    // each runs twice and the second counts.
    const measure = async (call: Call) => {
      for (const o of [await dw(0, call, null), await dw(0, call, null)]) {
        outcomes.push(o);
        assert.equal(o.code, 0, o.stdout + o.stderr);
      }
      return outcomes[outcomes.length - 1];
    };
    const register = await measure({ tool: "register_model", input: { model_id: runId, model_name: MODEL } });
    const deploy = await measure({ tool: "deploy_model", input: { model_name: MODEL, alias: "production" } });
    registerMs = register.ms;
    const fullMs = { register_model: register.ms, deploy_model: deploy.ms };
    // What the watch sees is the hold plus inotify's delay; a hold it missed is taken to be short.
    const holdMs = { register_model: watcher.heldMs(register.pid) ?? 50, deploy_model: watcher.heldMs(deploy.pid) ?? 100 };
    t.diagnostic(
      `register_model ${register.ms} ms (lock held ${holdMs.register_model} ms), deploy_model ${deploy.ms} ms (lock held ${holdMs.deploy_model} ms)`,
    );

    const known = [1, ...outcomes.filter((o) => o.call.tool === "register_model").map((o) => JSON.parse(o.stdout).version as number)];
    for (let round = 1; round <= ROUNDS; round++) {
      const u = rng();
      const concurrent = u < 0.45 ? 1 : u < 0.8 ? 2 : 3;
      const plans: Array<{ call: Call; kill: Kill; offsetMs: number }> = [];
      for (let i = 0; i < concurrent; i++) {
        const call: Call =
          rng() < 0.55
            ? { tool: "register_model", input: { model_id: runId, model_name: MODEL, ...(rng() < 0.35 ? { alias: "staging" } : {}) } }
            : { tool: "deploy_model", input: { model_name: MODEL, alias: "production", ...(rng() < 0.5 ? { version: pick(known) } : {}) } };
        // One in ten is left to finish: survivors must cope with what the killed left behind.
        const v = rng();
        const kill: Kill =
          v < 0.1
            ? null
            : v < 0.35
              ? { after: "spawn", ms: Math.round(rng() * fullMs[call.tool] * 1.1) }
              : v < 0.5
                ? { after: "acquire", ms: Math.floor(rng() * 3) }
                : v < 0.75
                  ? { after: "lock", ms: Math.round(rng() * holdMs[call.tool] * 1.2) }
                  : { after: "ref", nth: 1 + Math.floor(rng() * 6), ms: Math.floor(rng() * 3) };
        plans.push({ call, kill, offsetMs: Math.round(rng() * 150) });
      }
      const results = await Promise.all(plans.map((p) => new Promise((r) => setTimeout(r, p.offsetMs)).then(() => dw(round, p.call, p.kill))));
      outcomes.push(...results);
      for (const o of results) if (!o.killed && o.code === 0 && o.call.tool === "register_model") known.push(JSON.parse(o.stdout).version);

      if (existsSync(lockPath)) locksLeft.push(round);
      const served = await servedVersion();
      const deployment = versionAt(`refs/dw/deployments/${MODEL}/production`, "deployment.json");
      if (served !== deployment) disagreements.push({ round, alias: served, deployment, calls: results.map(describe) });
    }
  } finally {
    watcher.close();
    watcher = undefined;
  }

  const killed = outcomes.filter((o) => o.killed);
  const anchors = (["spawn", "acquire", "lock", "ref"] as const).map((a) => {
    const planned = outcomes.filter((o) => o.kill?.after === a);
    return `${a} ${planned.filter((o) => o.killed).length}/${planned.length}`;
  });
  t.diagnostic(
    `${outcomes.length} processes, ${killed.length} killed (${killed.filter((o) => o.call.tool === "register_model").length} registering, ` +
      `${killed.filter((o) => o.call.tool === "deploy_model").length} deploying; ${killed.filter((o) => o.killedHolding).length} holding the lock); ` +
      `kills landed by instant: ${anchors.join(", ")}; a lock left behind after ${locksLeft.length} of ${ROUNDS} rounds`,
  );

  // Every process not killed finished its call: nothing the killed left behind (a lock, a half-written
  // object, a temp file beside a ref) may make another caller fail or hang.
  const failed = outcomes.filter((o) => !o.killed && o.code !== 0);
  assert.deepEqual(
    failed.map((o) => `seed ${SEED} round ${o.round}: ${describe(o)} after ${o.ms} ms: ${o.stdout.trim()} ${o.stderr.trim()}`),
    [],
  );
  for (const [name, check] of afterTheKills) await t.test(name, check);
});

checkAfterTheKills("no stuck lock: a new register_model succeeds within the lock's stale age, and leaves no lock", async () => {
  const bound = LOCK_STALE_AGE_MS + 2 * registerMs + 3_000;
  const r = await dw(ROUNDS + 1, { tool: "register_model", input: { model_id: runId, model_name: MODEL } }, null);
  assert.equal(r.code, 0, `seed ${SEED}: register_model after the kills exited ${r.code} after ${r.ms} ms: ${r.stdout} ${r.stderr}`);
  outcomes.push(r);
  assert.ok(
    r.ms <= bound,
    `seed ${SEED}: register_model after the kills took ${r.ms} ms, more than ${bound} ms: the lock a killed process left was not taken over`,
  );
  assert.ok(!existsSync(lockPath), `seed ${SEED}: ${lockPath} remains after the last call returned`);
});

checkAfterTheKills("git fsck --full is clean (unreferenced objects from killed writers are allowed)", () => {
  const fsck = git("fsck", "--full");
  const output = fsck.stdout + fsck.stderr;
  assert.equal(fsck.status, 0, `seed ${SEED}: git fsck exited ${fsck.status}:\n${output}`);
  assert.deepEqual(
    output.split("\n").filter((l) => /error|broken|missing/i.test(l)),
    [],
    `seed ${SEED}`,
  );
});

checkAfterTheKills("every ref under refs/dw holds the object id of an existing commit", async (t) => {
  const gitdir = join(tw.dir, ".git");
  const files = await walk(join(gitdir, "refs", "dw"), gitdir);
  // Refs are staged outside refs/ (.git/dw-tmp), so a writer killed before its rename leaves nothing
  // under refs/ that is not a ref (git's newer `git refs verify`, which its fsck runs, calls such a
  // file a badRefName).
  const litter = files.filter((f) => f.split("/").some((p) => p.startsWith(".")));
  assert.deepEqual(litter, [], `seed ${SEED}: files under refs/dw that are not refs`);
  const refs = files;
  const packed = (await readFile(join(gitdir, "packed-refs"), "utf8").catch(() => ""))
    .split("\n")
    .filter((l) => / refs\/dw\//.test(l))
    .map((l) => ({ ref: l.slice(41), text: l.slice(0, 40) }));
  const all = [...(await Promise.all(refs.map(async (ref) => ({ ref, text: (await readFile(join(gitdir, ref), "utf8")).trim() })))), ...packed];
  const bad = all.filter((r) => !/^[0-9a-f]{40}$/.test(r.text)).map((r) => `${r.ref}: ${JSON.stringify(r.text.slice(0, 60))}`);
  assert.deepEqual(bad, [], `seed ${SEED}: refs that do not hold an object id`);
  const types = spawnSync("git", ["cat-file", "--batch-check=%(objecttype)"], {
    cwd: tw.dir,
    input: all.map((r) => r.text).join("\n") + "\n",
    encoding: "utf8",
  })
    .stdout.trim()
    .split("\n");
  const notCommits = all.map((r, i) => `${r.ref}: ${types[i]}`).filter((_, i) => types[i] !== "commit");
  assert.deepEqual(notCommits, [], `seed ${SEED}: refs that do not name an existing commit`);
  const staged = await readdir(join(gitdir, "dw-tmp")).catch(() => [] as string[]);
  t.diagnostic(`${all.length} refs; ${staged.length} staged refs left in .git/dw-tmp by killed writers (swept when a workspace is next opened)`);
});

checkAfterTheKills("no lost version: versions are exactly 1..N, and each one a caller was told about is there as reported", (t) => {
  const versions = modelVersionRefs();
  const numbers = [...versions.keys()].sort((a, b) => a - b);
  assert.deepEqual(
    numbers,
    numbers.map((_, i) => i + 1),
    `seed ${SEED}: versions have a gap`,
  );
  const reported = outcomes
    .filter((o) => !o.killed && o.code === 0 && o.call.tool === "register_model")
    .map((o) => JSON.parse(o.stdout) as { version: number; commit: string });
  const seen = new Set<number>();
  for (const r of reported) {
    assert.ok(!seen.has(r.version), `seed ${SEED}: version ${r.version} was reported to two callers`);
    seen.add(r.version);
    assert.equal(
      versions.get(r.version),
      r.commit,
      `seed ${SEED}: version ${r.version} was reported as ${r.commit} but refs/dw/models/${MODEL}/${r.version} holds ${versions.get(r.version)}`,
    );
  }
  for (const [version, oid] of versions) {
    const reg = JSON.parse(git("show", `${oid}:registration.json`).stdout) as { model_name: string; version: number; run_id: string };
    assert.deepEqual(
      [reg.model_name, reg.version, reg.run_id],
      [MODEL, version, runId],
      `seed ${SEED}: refs/dw/models/${MODEL}/${version} holds another registration`,
    );
  }
  t.diagnostic(`${versions.size} versions, ${versions.size - reported.length - 1} of them registered by a process killed before it could answer`);
  // Every deploy a caller was told about deployed a version that exists.
  for (const o of outcomes.filter((x) => !x.killed && x.code === 0 && x.call.tool === "deploy_model")) {
    assert.ok(versions.has(JSON.parse(o.stdout).version), `seed ${SEED} round ${o.round}: deployed a version that is not registered: ${o.stdout}`);
  }
});

checkAfterTheKills("what production serves is what the registry and the last deployment record name, and the alias ref catches up", async () => {
  const versions = modelVersionRefs();
  for (const alias of ["production", "staging"]) {
    const oid = git("rev-parse", "--verify", "--quiet", `refs/dw/aliases/${MODEL}/${alias}`).stdout.trim();
    if (!oid) continue;
    const v = versionAt(oid, "registration.json");
    assert.ok(v !== null && versions.get(v) === oid, `seed ${SEED}: ${alias} → ${oid}, which is not the commit of refs/dw/models/${MODEL}/${v}`);
  }

  // The deployment record is written before the alias ref and decides what a deployed alias serves
  // (src/registry/readRegistry.ts resolveAlias): a kill between the two writes leaves the record one
  // move ahead, which is what passed the gate and loaded. The server, and the registry as the tools
  // read it, must agree with the record after every round.
  const deployment = versionAt(`refs/dw/deployments/${MODEL}/production`, "deployment.json");
  assert.ok(deployment !== null, `seed ${SEED}: refs/dw/deployments/${MODEL}/production is gone`);
  const { url } = JSON.parse(await readFile(join(tw.dir, ".dw", "server.json"), "utf8")) as { url: string };
  const meta = await fetch(`${url}/models/${MODEL}@production`);
  const metaBody = await meta.text();
  assert.equal(meta.status, 200, metaBody);
  assert.equal(
    (JSON.parse(metaBody) as { version: number }).version,
    deployment,
    `seed ${SEED}: the server answers for another version than the last deployment record names: ${metaBody}`,
  );
  const scored = await fetch(`${url}/models/${MODEL}@production/invocations`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(ROW),
  });
  const scoredBody = await scored.text();
  assert.equal(scored.status, 200, scoredBody);
  assert.equal(typeof (JSON.parse(scoredBody) as { predictions: number[] }).predictions[0], "number", scoredBody);
  const listed = ok(await runTool("get_model_versions", { model_name: MODEL }, await createToolContext({ cwd: tw.dir })));
  assert.equal(listed.aliases.production, deployment, `seed ${SEED}: get_model_versions names another version for production than the record`);
  const disagreed = disagreements.map(
    (d) => `after round ${d.round}: production served v${d.alias}, last deployment record → v${d.deployment}; ${d.calls.join("; ")}`,
  );
  assert.deepEqual(disagreed, [], `seed ${SEED}: production served one version while its last deployment record named another`);

  // A dw serve that starts finishes an interrupted move: the alias ref then names the record's version too.
  const { pid } = JSON.parse(await readFile(join(tw.dir, ".dw", "server.json"), "utf8")) as { pid: number };
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && existsSync(join(tw.dir, ".dw", "server.json")); i++) await new Promise((r) => setTimeout(r, 50));
  const serve = spawn(process.execPath, [join(repoRoot, "bin", "dw.js"), "serve", "--workspace", tw.dir], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = "";
      serve.stdout!.on("data", (d: Buffer) => {
        out += d;
        if (/listening on/.test(out)) resolve();
      });
      serve.on("exit", (code) => reject(new Error(`dw serve exited with ${code}`)));
    });
    assert.equal(
      versionAt(`refs/dw/aliases/${MODEL}/production`, "registration.json"),
      deployment,
      `seed ${SEED}: dw serve started without finishing the interrupted move`,
    );
  } finally {
    serve.kill("SIGTERM");
    await new Promise((r) => serve.once("exit", r));
  }
});
