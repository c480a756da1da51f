// Small helpers for scripts/setup.mjs: running a command, stamps that remember what a step was
// built from, and the one error type a step throws. Node builtins only: this runs before npm install.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

export class SetupError extends Error {
  constructor(step, message, hint, output = "") {
    super(message);
    this.step = step;
    this.hint = hint;
    this.output = output;
  }
}

/** Runs a command with its output captured; resolves to the output, rejects with a SetupError that carries it. */
export function run(step, cmd, args, { cwd, env, hint } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", (e) => reject(new SetupError(step, `could not start ${cmd}: ${e.message}`, hint)));
    child.on("close", (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new SetupError(step, `\`${[cmd, ...args].join(" ")}\` failed (${signal ?? `exit ${code}`})`, hint, out));
    });
  });
}

/** Every file under `dirs` (recursively) whose name passes `keep`, skipping build output. */
export function listFiles(repo, dirs, keep = () => true) {
  const skip = new Set(["node_modules", "dist", "lib", ".git", ".venv"]);
  const found = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    if (statSync(dir).isFile()) return void found.push(dir);
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !skip.has(e.name)) walk(join(dir, e.name));
      else if (e.isFile() && keep(e.name)) found.push(join(dir, e.name));
    }
  };
  for (const d of dirs) walk(join(repo, d));
  return found.sort();
}

/** A hash of file names and contents (and extra strings): content, not mtime, so a fresh checkout of the same tree is up to date. */
export function hashInputs(repo, files, extra = []) {
  const h = createHash("sha256");
  for (const x of extra) h.update(`extra:${x}\0`);
  for (const f of files) {
    h.update(`${relative(repo, f)}\0`);
    h.update(existsSync(f) ? readFileSync(f) : "(missing)");
    h.update("\0");
  }
  return h.digest("hex");
}

export function stamps(repo) {
  const dir = join(repo, ".setup-state");
  const file = (name) => join(dir, `${name}.stamp`);
  return {
    matches: (name, hash) => existsSync(file(name)) && readFileSync(file(name), "utf8").trim() === hash,
    remove: (name) => rmSync(file(name), { force: true }),
    write(name, hash) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file(name), `${hash}\n`);
    },
  };
}
