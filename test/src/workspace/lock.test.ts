import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { lstat, lutimes, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, unlink, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createWorkspaceLock } from "../../../src/workspace/lock.js";
import { createLockFile, inspectLockFile, releaseLockFile, removeStaleLockFile } from "../../../src/workspace/lockFile.js";
import { isDwError } from "../../../src/errors/DwError.js";

const DEAD_PID = 2 ** 22 + 12345; // above Linux's largest pid_max: no process has it
const onLinux = existsSync("/proc/self/stat");

async function tempDwDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "dw-lock-"));
}

/** /proc/<pid>/stat field 22, as the lock records it. */
function procStartTime(pid: number): string {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  return text.slice(text.lastIndexOf(")") + 2).split(" ")[19];
}

/** Resolves to the error withLock rejected with, or fails the test if it succeeded. */
async function conflict(p: Promise<unknown>): Promise<Error & { code?: string; hint?: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    assert.ok(isDwError(e), `expected a DwError, got ${String(e)}`);
    assert.equal(e.code, "CONFLICT");
    return e;
  }
  assert.fail("the lock was taken though it should not have been");
}

/** Each kind of lock that cannot be read as an owner: what a crash of older code or a hand edit leaves. */
const garbage: Array<{ kind: string; make(path: string): Promise<void> }> = [
  { kind: "an empty file", make: (p) => writeFile(p, "") },
  { kind: 'a non-numeric pid {"pid":"abc"}', make: (p) => writeFile(p, '{"pid":"abc"}') },
  { kind: "half-written JSON", make: (p) => writeFile(p, '{"pid":12') },
  { kind: "a negative pid", make: (p) => writeFile(p, '{"pid":-1}') },
  { kind: "a fractional pid", make: (p) => writeFile(p, '{"pid":1.5}') },
  { kind: "a JSON array", make: (p) => writeFile(p, "[1]") },
  { kind: "a non-digit start time", make: (p) => writeFile(p, JSON.stringify({ pid: process.ppid, starttime: "x" })) },
  { kind: "a file too large to be a lock", make: (p) => writeFile(p, " ".repeat(100_000)) },
  {
    kind: "a directory with content",
    make: async (p) => {
      await mkdir(join(p, "sub"), { recursive: true });
      await writeFile(join(p, "sub", "f"), "x");
    },
  },
  { kind: "a dangling symlink", make: (p) => symlink(join(p, "..", "nowhere"), p) },
];

for (const { kind, make } of garbage) {
  test(`a lock that is ${kind} blocks while young, and is taken over once old`, async () => {
    const dir = await tempDwDir();
    const lockPath = join(dir, "lock");
    await make(lockPath);
    // Young: it might be a lock being written this instant, so it is waited for, not removed.
    const e = await conflict(createWorkspaceLock(dir, { timeoutMs: 150, staleAgeMs: 60_000 }).withLock(async () => 1));
    assert.match(e.message, /cannot be read/);
    assert.ok((await lstat(lockPath)).mtimeMs > 0, "the young lock was left in place");
    // Old: garbage, removed without waiting.
    const past = new Date(Date.now() - 10_000);
    await ((await lstat(lockPath)).isSymbolicLink() ? lutimes(lockPath, past, past) : utimes(lockPath, past, past));
    const started = Date.now();
    const inside = await createWorkspaceLock(dir, { timeoutMs: 5_000 }).withLock(async () => {
      const st = await lstat(lockPath);
      return { file: st.isFile(), owner: JSON.parse(await readFile(lockPath, "utf8")) };
    });
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
    assert.equal(inside.file, true);
    assert.equal(inside.owner.pid, process.pid);
    assert.equal(inside.owner.hostname, hostname());
    assert.deepEqual((await readdir(dir)).sort(), [], "the lock is released and nothing is left beside it");
    await rm(dir, { recursive: true, force: true });
  });
}

test("an unreadable lock is taken over when it reaches the stale age, not before", async () => {
  const dir = await tempDwDir();
  await writeFile(join(dir, "lock"), "");
  const started = Date.now();
  await createWorkspaceLock(dir, { timeoutMs: 5_000, staleAgeMs: 400 }).withLock(async () => undefined);
  const took = Date.now() - started;
  assert.ok(took >= 300 && took < 3_000, `took ${took} ms`);
  await rm(dir, { recursive: true, force: true });
});

test("a lock whose pid is alive but started at another time (a reused pid) is taken over at once", { skip: !onLinux && "needs /proc" }, async () => {
  const dir = await tempDwDir();
  for (const pid of [process.ppid, process.pid]) {
    await writeFile(join(dir, "lock"), JSON.stringify({ pid, hostname: hostname(), since: "2020-01-01T00:00:00.000Z", starttime: "1" }));
    const started = Date.now();
    await createWorkspaceLock(dir, { timeoutMs: 2_000, staleAgeMs: 60_000 }).withLock(async () => undefined);
    assert.ok(Date.now() - started < 1_000, `pid ${pid}: took ${Date.now() - started} ms`);
    assert.equal(existsSync(join(dir, "lock")), false);
  }
  await rm(dir, { recursive: true, force: true });
});

test("a lock left by an older dw ({pid} only) of an ended process is taken over at once", async () => {
  const dir = await tempDwDir();
  await writeFile(join(dir, "lock"), JSON.stringify({ pid: DEAD_PID, since: "2020-01-01T00:00:00.000Z" }));
  assert.equal(await createWorkspaceLock(dir, { timeoutMs: 2_000, staleAgeMs: 60_000 }).withLock(async () => "taken"), "taken");
  await rm(dir, { recursive: true, force: true });
});

test("a live holder makes others wait, then fail with CONFLICT naming pid, host, since and what to do", async () => {
  const dir = await tempDwDir();
  const holder = { pid: process.ppid, hostname: hostname(), since: "2024-05-01T10:00:00.000Z", ...(onLinux && { starttime: procStartTime(process.ppid) }) };
  const text = JSON.stringify(holder);
  await writeFile(join(dir, "lock"), text);
  const started = Date.now();
  const e = await conflict(createWorkspaceLock(dir, { timeoutMs: 300 }).withLock(async () => 1));
  assert.ok(Date.now() - started >= 300);
  assert.match(e.message, /locked by another dw process/);
  assert.ok(e.message.includes(`process ${process.ppid} on host ${hostname()}, since 2024-05-01T10:00:00.000Z`), e.message);
  assert.ok(e.message.includes(join(dir, "lock")), e.message);
  assert.match(e.hint ?? "", new RegExp(`kill ${process.ppid}`));
  assert.equal(e.details?.pid, process.ppid);
  assert.equal(await readFile(join(dir, "lock"), "utf8"), text, "the live lock is untouched");
  await rm(dir, { recursive: true, force: true });
});

test("a lock of another host, or of another pid namespace, is never judged by its pid", async () => {
  const dir = await tempDwDir();
  for (const owner of [
    { pid: DEAD_PID, hostname: "build-7.example", since: "2024-05-01T10:00:00.000Z" },
    { pid: DEAD_PID, hostname: hostname(), pidns: "pid:[1]" },
  ]) {
    await writeFile(join(dir, "lock"), JSON.stringify(owner));
    const e = await conflict(createWorkspaceLock(dir, { timeoutMs: 150, staleAgeMs: 10 }).withLock(async () => 1));
    if (owner.hostname !== hostname()) assert.match(e.message, /on host build-7\.example/);
    assert.match(e.hint ?? "", /delete/);
    assert.ok(existsSync(join(dir, "lock")));
  }
  await rm(dir, { recursive: true, force: true });
});

test("release removes only this process's own lock, never one that replaced it", async () => {
  const dir = await tempDwDir();
  const lockPath = join(dir, "lock");
  const lock = createWorkspaceLock(dir, { timeoutMs: 1_000 });
  const other = JSON.stringify({ pid: process.ppid, hostname: hostname() });
  await lock.withLock(async () => {
    await unlink(lockPath);
    await writeFile(lockPath, other);
  });
  assert.equal(await readFile(lockPath, "utf8"), other);
  // Touched by someone (`touch .dw/lock`): still ours, and released.
  await rm(lockPath);
  await lock.withLock(async () => utimes(lockPath, new Date(0), new Date(0)));
  assert.equal(existsSync(lockPath), false);
  await rm(dir, { recursive: true, force: true });
});

test("removing a stale lock leaves a lock created meanwhile in place, and removes a stale directory whole", async () => {
  const dir = await tempDwDir();
  const lockPath = join(dir, "lock");
  await writeFile(lockPath, "");
  const stale = await inspectLockFile(lockPath, 0);
  assert.equal(stale.state, "stale");
  // Another process removes the garbage and takes the lock before we act on our judgement.
  await unlink(lockPath);
  const theirs = await createLockFile(lockPath);
  assert.ok(theirs);
  assert.equal(await removeStaleLockFile(lockPath, stale.state === "stale" ? stale : theirs), false);
  assert.equal(await readFile(lockPath, "utf8"), theirs.text);
  assert.equal((await stat(lockPath)).ino, Number(theirs.id.ino));
  assert.deepEqual(await readdir(dir), ["lock"], "nothing left aside");
  await releaseLockFile(theirs);
  assert.deepEqual(await readdir(dir), []);

  await mkdir(join(lockPath, "a", "b"), { recursive: true });
  await writeFile(join(lockPath, "a", "b", "c"), "x");
  const staleDir = await inspectLockFile(lockPath, 0);
  assert.equal(staleDir.state, "stale");
  assert.equal(await removeStaleLockFile(lockPath, staleDir.state === "stale" ? staleDir : theirs), true);
  assert.deepEqual(await readdir(dir), []);
  await rm(dir, { recursive: true, force: true });
});

test("a stale lock is taken over only by the process holding lock.takeover, whose own stale copy is removed too", async () => {
  const dir = await tempDwDir();
  const lockPath = join(dir, "lock");
  const takeoverPath = join(dir, "lock.takeover");
  const stale = JSON.stringify({ pid: DEAD_PID, hostname: hostname() });
  await writeFile(lockPath, stale);
  // Another live process is taking it over: wait for it, and touch nothing.
  await writeFile(takeoverPath, JSON.stringify({ pid: process.ppid, hostname: hostname() }));
  const e = await conflict(createWorkspaceLock(dir, { timeoutMs: 300 }).withLock(async () => 1));
  assert.match(e.message, /another process taking it over/);
  assert.equal(await readFile(lockPath, "utf8"), stale);
  // That process was killed meanwhile: its guard is as stale as the lock.
  await writeFile(takeoverPath, JSON.stringify({ pid: DEAD_PID, hostname: hostname() }));
  const started = Date.now();
  assert.equal(await createWorkspaceLock(dir, { timeoutMs: 2_000, staleAgeMs: 60_000 }).withLock(async () => "taken"), "taken");
  assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
  assert.deepEqual(await readdir(dir), []);
  await rm(dir, { recursive: true, force: true });
});

test("two lock objects in one process exclude each other", async () => {
  const dir = await tempDwDir();
  const a = createWorkspaceLock(dir, { timeoutMs: 5_000 });
  const b = createWorkspaceLock(dir, { timeoutMs: 5_000 });
  let inside = 0;
  let most = 0;
  const section = async () => {
    inside++;
    most = Math.max(most, inside);
    await new Promise((r) => setTimeout(r, 20));
    inside--;
  };
  await Promise.all([a, b, a, b, a, b].map((l) => l.withLock(section)));
  assert.equal(most, 1);
  await rm(dir, { recursive: true, force: true });
});

test("temp files and renamed-aside locks left by crashed processes are swept once old", async () => {
  const dir = await tempDwDir();
  const past = new Date(Date.now() - 60_000);
  const old = [".lock.123.abcdef01.tmp", ".lock.123.abcdef02.stale"];
  await writeFile(join(dir, old[0]), "{}");
  await mkdir(join(dir, old[1], "x"), { recursive: true });
  for (const name of old) await utimes(join(dir, name), past, past);
  const kept = [".lock.124.abcdef03.tmp", ".server.json.1.abcd.tmp", "lockfile-of-someone-else"];
  for (const name of kept) await writeFile(join(dir, name), "{}");
  await utimes(join(dir, kept[1]), past, past);
  await createWorkspaceLock(dir).withLock(async () => undefined);
  assert.deepEqual((await readdir(dir)).sort(), [...kept].sort());
  await rm(dir, { recursive: true, force: true });
});
