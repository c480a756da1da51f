import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { lockHolder, watchLockHolder } from "../../helpers/workspaceLock.js";

const bin = join(repoRoot, "bin", "dw.js");

/** A workspace of its own for each test, with the weather data loaded as dataset "w". */
async function weatherWorkspace(): Promise<TempWorkspace> {
  const tw = await makeTempWorkspace("dw-conc-");
  const load = spawnSync(process.execPath, [bin, "load_dataset", "--json", '{"path":"data/seattle-weather.csv","dataset_id":"w"}'], {
    cwd: tw.dir,
    encoding: "utf8",
  });
  assert.equal(load.status, 0, load.stdout + load.stderr);
  return tw;
}

interface Writer {
  pid: number;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function dwAsync(dir: string, tool: string, input: unknown): Writer {
  const child = spawn(process.execPath, [bin, tool, "--json", JSON.stringify(input)], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  return { pid: child.pid!, done: new Promise((r) => child.on("close", (code, signal) => r({ code, signal, stdout, stderr }))) };
}

/** The state letter of /proc/<pid>/stat (R, S, T for stopped, ...), or null once the process is gone. */
function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return null;
  }
}

/**
 * Stops `pid` (SIGSTOP, then waits until it is stopped), reads the lock, and kills it (SIGKILL).
 * Answers whether the lock named it while it stood still: then it died inside its locked section,
 * for nothing it did between the look and the kill could have released the lock.
 */
async function killStopped(dir: string, pid: number): Promise<boolean> {
  try {
    process.kill(pid, "SIGSTOP");
  } catch {
    return false; // already gone
  }
  const until = Date.now() + 2_000;
  while (procState(pid) !== "T" && procState(pid) !== null && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
  const holding = procState(pid) === "T" && lockHolder(dir) === pid;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone meanwhile
  }
  return holding;
}

function git(dir: string, ...args: string[]) {
  return spawnSync("git", args, { cwd: dir, encoding: "utf8" });
}

/** Every run ref is a whole run: each of its files is there and is JSON. */
function assertWholeRuns(dir: string): string[] {
  const refs = execFileSync("git", ["for-each-ref", "--format=%(refname)", "refs/dw/runs"], { cwd: dir, encoding: "utf8" }).trim().split("\n").filter(Boolean);
  for (const ref of refs) {
    for (const file of ["run.json", "model.json", "data/manifest.json", "metrics.json"]) {
      const shown = git(dir, "show", `${ref}:${file}`);
      assert.equal(shown.status, 0, `${ref} lacks ${file}`);
      JSON.parse(shown.stdout);
    }
  }
  return refs;
}

test("processes registering at the same time get distinct versions", async (t) => {
  const tw = await weatherWorkspace();
  t.after(() => tw.cleanup());
  const train = spawnSync(process.execPath, [bin, "train_model", "--json", '{"dataset_id":"w","target":"temp_max","features":["wind"]}'], {
    cwd: tw.dir,
    encoding: "utf8",
  });
  const runId = JSON.parse(train.stdout).run_id;
  const results = await Promise.all([1, 2, 3, 4].map(() => dwAsync(tw.dir, "register_model", { model_id: runId, model_name: "m" }).done));
  const versions = results.map((r) => JSON.parse(r.stdout).version).sort();
  assert.deepEqual(versions, [1, 2, 3, 4]);
});

/**
 * Eight train_model processes race for the lock. Six are killed while they hold it, each at its
 * own point of the locked section (the commit: objects, then the run ref), timed from the instant
 * `.dw/lock` names it; two are left to finish, and must take over the lock a dead writer left.
 */
test("runs killed with SIGKILL mid-write leave no broken ref: every run ref is a whole run", async (t) => {
  const tw = await weatherWorkspace();
  t.after(() => tw.cleanup());
  const train = (seed: number) => dwAsync(tw.dir, "train_model", { dataset_id: "w", target: "temp_max", features: ["wind", "temp_min"], seed });

  // One run alone first, watched, for how long a commit holds the lock (and so that the cost
  // calibration is in the workspace before the race).
  const held = new Map<number, { from: number; to?: number }>();
  let holder: number | null = null;
  const planned = new Map<number, number>(); // pid → ms after taking the lock at which it is killed
  const kills: Promise<{ pid: number; holding: boolean }>[] = [];
  const stop = watchLockHolder(tw.dir, (pid) => {
    const now = performance.now();
    if (holder !== null) held.get(holder)!.to = now;
    holder = pid;
    if (pid === null) return;
    held.set(pid, { from: now });
    const ms = planned.get(pid);
    if (ms === undefined) return;
    planned.delete(pid);
    kills.push(new Promise((r) => setTimeout(async () => r({ pid, holding: await killStopped(tw.dir, pid) }), ms)));
  });
  try {
    const first = train(100);
    const alone = await first.done;
    assert.equal(alone.code, 0, alone.stdout + alone.stderr);
    const span = held.get(first.pid);
    assert.ok(span?.to !== undefined, "the lone run was never seen holding the lock");
    const holdMs = span.to! - span.from;

    const writers = Array.from({ length: 8 }, (_, i) => train(i));
    // Kill points spread over the first half of the locked section, the first at the instant it is taken.
    writers.slice(0, 6).forEach((w, i) => planned.set(w.pid, (holdMs / 2) * (i / 5)));
    const outcomes = await Promise.all(writers.map((w) => w.done));
    const killed = await Promise.all(kills);
    const diedHolding = killed.filter((k) => k.holding);
    console.log(`# a commit holds the lock ${holdMs.toFixed(1)} ms; ${killed.length} writers killed, ${diedHolding.length} of them inside the locked section`);
    assert.ok(diedHolding.length >= 1, `no writer died holding the lock (${JSON.stringify(killed)})`);
    for (const k of diedHolding) assert.equal(outcomes[writers.findIndex((w) => w.pid === k.pid)].signal, "SIGKILL");

    const refs = assertWholeRuns(tw.dir);
    // Every writer not killed finished, behind the dead holders, and its run is there.
    for (const o of outcomes) {
      if (o.signal === "SIGKILL") continue;
      assert.equal(o.code, 0, o.stdout + o.stderr);
      assert.ok(refs.includes(`refs/dw/runs/${JSON.parse(o.stdout).run_id}`), o.stdout);
    }
  } finally {
    stop();
  }
  // The object database is sound (unreferenced objects from killed writers are allowed).
  const fsck = git(tw.dir, "fsck", "--no-dangling");
  assert.equal(fsck.status, 0, fsck.stdout + fsck.stderr);
  // And the workspace still works afterwards (a lock left by a killed writer is taken over).
  const after = spawnSync(process.execPath, [bin, "train_model", "--json", '{"dataset_id":"w","target":"temp_max","features":["wind"]}'], {
    cwd: tw.dir,
    encoding: "utf8",
  });
  assert.equal(after.status, 0, after.stdout + after.stderr);
});
