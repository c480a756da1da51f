import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWorkspaceLock } from "../../../src/workspace/lock.js";
import { isDwError } from "../../../src/errors/DwError.js";
import { createRandom } from "../../../src/models/random.js";

// Child processes run the compiled lock, as the CLI, the kernel and the server do.
const lockModule = new URL("../../../src/workspace/lock.js", import.meta.url).href;
const onLinux = existsSync("/proc/self/stat");

/** Takes the lock, says "held <pid>", and keeps it until killed. */
const HOLDER = `
const { createWorkspaceLock } = await import(process.argv[1]);
await createWorkspaceLock(process.argv[2], { timeoutMs: 10000 }).withLock(async () => {
  console.log("held " + process.pid);
  if (process.argv[3] === "exit") process.exit(0);
  await new Promise(() => setInterval(() => {}, 1000));
});
`;

/**
 * Takes and releases the lock in a loop. Inside, it creates a marker naming itself (atomically)
 * and checks nobody else is inside: a marker whose process still runs means two holders at once.
 * A marker of an ended process is one killed inside; it is cleared.
 */
const WORKER = `
import { appendFile, link, readFile, unlink, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
const [lockModule, dwDir, work] = process.argv.slice(1);
const { createWorkspaceLock } = await import(lockModule);
const lock = createWorkspaceLock(dwDir, { timeoutMs: 20000 });
const marker = work + "/inside";
const ended = (pid) => {
  try {
    const s = readFileSync("/proc/" + pid + "/stat", "utf8");
    return "ZX".includes(s.slice(s.lastIndexOf(")") + 2).split(" ")[0]);
  } catch {
    try { process.kill(pid, 0); return false; } catch (e) { return e.code === "ESRCH"; }
  }
};
const violation = async (what) => { await appendFile(work + "/violations", process.pid + ": " + what + "\\n"); process.exit(3); };
console.log("ready");
for (;;) {
  await lock.withLock(async () => {
    const mine = work + "/inside." + process.pid;
    await writeFile(mine, String(process.pid));
    for (;;) {
      try { await link(mine, marker); break; } catch (e) { if (e.code !== "EEXIST") throw e; }
      const other = Number(await readFile(marker, "utf8").catch(() => "0"));
      if (other && !ended(other)) await violation("found " + other + " inside");
      await unlink(marker).catch(() => {});
    }
    await unlink(mine);
    await appendFile(work + "/entries", process.pid + "\\n");
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    if (Number(await readFile(marker, "utf8")) !== process.pid) await violation("marker replaced");
    await unlink(marker);
  });
  if (Math.random() < 0.5) await new Promise((r) => setImmediate(r));
}
`;

function node(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ["--input-type=module", "-e", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

/** Resolves with the first stdout line that matches. */
function line(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d));
    child.stdout?.on("data", (d: Buffer) => {
      out += d;
      const hit = out.split("\n").find((l) => pattern.test(l));
      if (hit) resolve(hit);
    });
    child.on("exit", (code, signal) => reject(new Error(`child ended (${code ?? signal}) before ${pattern}: ${out}${err}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once("exit", () => r())));

test("a lock left by a process that ended holding it is taken over at once", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-lock-"));
  const child = node(HOLDER, [lockModule, dir, "exit"]);
  const pid = Number((await line(child, /^held /)).split(" ")[1]);
  await exited(child);
  assert.equal(JSON.parse(await readFile(join(dir, "lock"), "utf8")).pid, pid, "the child left its lock behind");
  const started = Date.now();
  await createWorkspaceLock(dir, { timeoutMs: 5_000, staleAgeMs: 60_000 }).withLock(async () => undefined);
  assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
  await rm(dir, { recursive: true, force: true });
});

test("a live process holding the lock makes others wait and fail with CONFLICT; once it is killed, the lock is taken at once", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-lock-"));
  const child = node(HOLDER, [lockModule, dir]);
  try {
    const pid = Number((await line(child, /^held /)).split(" ")[1]);
    const started = Date.now();
    const error = await createWorkspaceLock(dir, { timeoutMs: 500, staleAgeMs: 100 })
      .withLock(async () => "taken")
      .then(
        () => assert.fail("took a lock a live process holds"),
        (e: unknown) => e,
      );
    assert.ok(Date.now() - started >= 500);
    assert.ok(isDwError(error) && error.code === "CONFLICT", String(error));
    assert.match(error.message, new RegExp(`process ${pid} on host .+, since \\d{4}-`));
    assert.match(error.hint ?? "", new RegExp(`kill ${pid}`));
    child.kill("SIGKILL");
    await exited(child);
    const again = Date.now();
    assert.equal(await createWorkspaceLock(dir, { timeoutMs: 5_000, staleAgeMs: 60_000 }).withLock(async () => "taken"), "taken");
    assert.ok(Date.now() - again < 1_000, `took ${Date.now() - again} ms`);
  } finally {
    child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  }
});

test("a lock of a killed process its parent never reaped (a zombie) is taken over at once", { skip: !onLinux && "needs /proc" }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-lock-"));
  // sh starts the holder, then becomes `sleep`, which never waits for it.
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const shell = spawn("sh", ["-c", `${quote(process.execPath)} --input-type=module -e ${quote(HOLDER)} ${quote(lockModule)} ${quote(dir)} & exec sleep 30`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const pid = Number((await line(shell, /^held /)).split(" ")[1]);
    process.kill(pid, "SIGKILL");
    const deadline = Date.now() + 5_000;
    const state = () => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1][0];
    while (state() !== "Z" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(state(), "Z", "the holder is a zombie");
    const started = Date.now();
    await createWorkspaceLock(dir, { timeoutMs: 5_000, staleAgeMs: 60_000 }).withLock(async () => undefined);
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
  } finally {
    shell.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  }
});

test("processes killed with SIGKILL at random moments never break mutual exclusion nor leave a stuck lock", async () => {
  const seed = Number(process.env.DW_TEST_SEED ?? 11);
  const context = `seed ${seed} (DW_TEST_SEED replays it)`;
  const random = createRandom(seed);
  const work = await mkdtemp(join(tmpdir(), "dw-lock-kill-"));
  const dwDir = join(work, ".dw");
  const unexpected: string[] = [];
  const spawnWorker = () => {
    const child = node(WORKER, [lockModule, dwDir, work]);
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d));
    child.on("exit", (code, signal) => {
      if (signal !== "SIGKILL") unexpected.push(`worker ${child.pid} ended with ${code ?? signal}: ${err}`);
    });
    const worker = { child, running: false, ready: line(child, /^ready$/) };
    worker.ready.then(
      () => (worker.running = true),
      () => undefined,
    );
    return worker;
  };
  const sections = async () => (await readFile(join(work, "entries"), "utf8").catch(() => "")).split("\n").length - 1;
  // Three workers at all times. Before each kill, some worker must get through the lock: a lock
  // left by the previous kill must not hold anyone up for more than the stale age and a margin.
  const workers = [1, 2, 3].map(spawnWorker);
  try {
    let seen = 0;
    for (let kill = 0; kill < 30; kill++) {
      const deadline = Date.now() + 5_000;
      while ((await sections()) <= seen) {
        assert.ok(Date.now() < deadline, `${context}: nobody got the lock within 5 s after kill ${kill}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      seen = await sections();
      await new Promise((r) => setTimeout(r, random() * 60));
      await Promise.race(workers.map((w) => w.ready)); // its "ready" line may come after its first entry
      const running = workers.filter((w) => w.running);
      const victim = running[Math.floor(random() * running.length)];
      victim.child.kill("SIGKILL");
      workers[workers.indexOf(victim)] = spawnWorker();
    }
    await Promise.all(workers.map((w) => w.ready));
  } finally {
    for (const w of workers) w.child.kill("SIGKILL");
    await Promise.all(workers.map((w) => exited(w.child)));
  }
  assert.equal(
    existsSync(join(work, "violations")),
    false,
    `${context}: ${existsSync(join(work, "violations")) && readFileSync(join(work, "violations"), "utf8")}`,
  );
  assert.deepEqual(unexpected, [], context);
  // Whatever the last kill left, a fresh process takes the lock within the stale age and a margin.
  const staleAgeMs = 2_000;
  const started = Date.now();
  await createWorkspaceLock(dwDir, { timeoutMs: 10_000, staleAgeMs }).withLock(async () => undefined);
  assert.ok(Date.now() - started < staleAgeMs + 1_000, `${context}: took ${Date.now() - started} ms`);
  // And what the kills left beside the lock (temp files, renamed-aside locks) is swept once old.
  await createWorkspaceLock(dwDir, { staleAgeMs: 0 }).withLock(async () => undefined);
  assert.deepEqual(await readdir(dwDir), [], context);
  await rm(work, { recursive: true, force: true });
});
