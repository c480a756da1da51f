import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, chown, readdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TestPostgres {
  /** postgres://dw:<password>@127.0.0.1:<port>/dw */
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

/** The newest PostgreSQL server binaries Debian's `postgresql` package installed (/usr/lib/postgresql/<version>/bin). */
export async function findPostgresBin(): Promise<string> {
  const base = "/usr/lib/postgresql";
  const versions = (await readdir(base).catch(() => [] as string[]))
    .filter((v) => existsSync(join(base, v, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  if (!versions.length)
    throw new Error(`No PostgreSQL server under ${base}; run node scripts/setup.mjs --for-tests (it installs Debian's postgresql package).`);
  return join(base, versions[0], "bin");
}

/**
 * Starts a real PostgreSQL server for one test file: a fresh cluster in a temporary folder, on a
 * free port of 127.0.0.1, with password authentication and a `dw` user and database. PostgreSQL
 * refuses to run as root, so when the tests run as root the server runs as the `postgres` system
 * user (which the Debian package creates), switched to with setpriv. `stop()` shuts it down and removes the folder.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = await findPostgresBin();
  const dir = await mkdtemp(join(tmpdir(), "dw-pg-"));
  const data = join(dir, "data");
  const user = "dw";
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await systemUser("postgres") : undefined;
  if (owner) await chown(dir, owner.uid, owner.gid);
  const pwfile = join(dir, "pwfile");
  await writeFile(pwfile, password + "\n", { mode: 0o600 });
  if (owner) await chown(pwfile, owner.uid, owner.gid);
  // setpriv execs the command in place (runuser would stay as a parent that swallows signals),
  // so the child we hold is the postmaster itself and SIGINT reaches it.
  const as = (cmd: string, args: string[]): [string, string[]] =>
    owner ? ["setpriv", ["--reuid", String(owner.uid), "--regid", String(owner.gid), "--clear-groups", "--", cmd, ...args]] : [cmd, args];

  let server: ChildProcess | undefined;
  const stop = async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      // SIGINT is PostgreSQL's "fast shutdown": ends sessions, checkpoints, exits.
      server.kill("SIGINT");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await run(...as(join(bin, "initdb"), ["-D", data, "-U", user, "--pwfile", pwfile, "-A", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-sync"]));
    const port = await freePort();
    const [cmd, args] = as(join(bin, "postgres"), [
      "-D",
      data,
      "-p",
      String(port),
      "-h",
      "127.0.0.1",
      "-k",
      dir,
      "-c",
      "fsync=off",
      "-c",
      "max_connections=20",
      "-c",
      "shared_preload_libraries=pg_stat_statements",
    ]);
    server = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    server.stderr!.on("data", (d) => (log += d));
    await waitReady(join(bin, "pg_isready"), port, () => (server!.exitCode !== null ? log : undefined));
    const url = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    await run(join(bin, "psql"), [url, "-qc", `CREATE DATABASE ${user}`]);
    const dbUrl = url.replace(/\/postgres$/, `/${user}`);
    // pg_stat_statements lets a test see what the server executed and how many rows each statement returned.
    await run(join(bin, "psql"), [dbUrl, "-qc", "CREATE EXTENSION pg_stat_statements"]);
    return { url: dbUrl, host: "127.0.0.1", port, user, password, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Runs SQL through psql (for test setup that should not depend on the code under test). */
export async function psql(url: string, sql: string): Promise<string> {
  const bin = await findPostgresBin();
  const { stdout } = await run(join(bin, "psql"), [url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], { maxBuffer: 64 << 20 });
  return stdout;
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run("id", [name]).catch(() => {
    throw new Error(`Tests run as root and PostgreSQL must not: there is no '${name}' user to run it as (Debian's postgresql package creates one).`);
  });
  const uid = Number(/uid=(\d+)/.exec(stdout)?.[1]);
  const gid = Number(/gid=(\d+)/.exec(stdout)?.[1]);
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

async function waitReady(isReady: string, port: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const log = exited();
    if (log !== undefined) throw new Error(`PostgreSQL exited during start:\n${log}`);
    const ok = await run(isReady, ["-h", "127.0.0.1", "-p", String(port), "-q"]).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PostgreSQL did not accept connections on port ${port} within 30 s.`);
}
