#!/usr/bin/env node
// Installs whatever this checkout is missing, and nothing else: npm packages, the compiled code,
// the labextension, a project-local Python environment (.venv) with a pinned JupyterLab, the dw
// kernelspec and labextension inside it, the example data, (with --for-tests) a browser, and (with
// either flag) a second Python environment, .venv-bench, holding the peers dw is measured and tested
// against (MLflow's scoring and tracking servers, onnxruntime, moto's S3 server: bench/requirements.txt),
// kept apart so their dependencies never reach .venv; and a third, .venv-evidently, holding Evidently
// for the drift agreement test and benchmark (test/requirements-evidently.txt: it needs pandas < 3,
// .venv has pandas 3).
//
//   node scripts/setup.mjs [--for-tests] [--for-bench] [--prefix <python prefix>]
//
// --prefix installs the kernelspec and labextension into that Python prefix (e.g. Binder's
// environment) instead of creating .venv. Each step remembers a hash of its inputs in .setup-state/
// and is skipped while that hash matches and its output exists, so a second run takes a moment.
// Runs before `npm install`, so it uses Node builtins only.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SetupError, hashInputs, listFiles, run, stamps } from "./lib/setupKit.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values: opts } = parseArgs({ options: { "for-tests": { type: "boolean" }, "for-bench": { type: "boolean" }, prefix: { type: "string" } } });
const venv = join(repo, ".venv");
const prefix = opts.prefix ? resolve(opts.prefix) : venv;
const stamp = stamps(repo);
const at = (...p) => join(repo, ...p);
const log = (msg) => console.log(`[setup] ${msg}`);

/**
 * Runs `work` unless the stamp for `name` matches the hash of its inputs and every output exists.
 * The hash is taken again afterwards because a step may rewrite its own inputs (npm and the lock file).
 */
async function step(name, { inputs, outputs, doing }, work) {
  if (stamp.matches(name, inputs()) && outputs.every((o) => existsSync(o))) return log(`${name}: up to date`);
  log(`${name}: ${doing}…`);
  const started = Date.now();
  // A failed step may leave output behind (tsc emits despite type errors), so it must run again
  // even if its inputs are put back to what the last good run saw.
  stamp.remove(name);
  await work();
  stamp.write(name, inputs());
  log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

const lockFiles = [at("package.json"), at("labextension", "package.json"), at("package-lock.json")];

async function npmPackages() {
  const fresh = !existsSync(at("node_modules")) && existsSync(at("package-lock.json"));
  await step(
    "npm packages",
    { inputs: () => hashInputs(repo, lockFiles), outputs: [at("node_modules", ".package-lock.json")], doing: fresh ? "npm ci" : "npm install" },
    () =>
      run("npm packages", "npm", [fresh ? "ci" : "install", "--no-audit", "--no-fund"], {
        cwd: repo,
        hint: "check the network access to the npm registry and the output above, then run `npm run setup` again",
      }),
  );
}

async function build() {
  // labextension/src is compiled too: its pure modules have tests under test/labextension.
  const sources = () => listFiles(repo, ["src", "kernel", "test", "scripts", "labextension/src"], (n) => n.endsWith(".ts"));
  await step(
    "build",
    { inputs: () => hashInputs(repo, [...sources(), at("tsconfig.json"), at("package-lock.json")]), outputs: [at("dist", ".tsbuildinfo")], doing: "tsc -p ." },
    () =>
      run("build", process.execPath, [at("node_modules", "typescript", "bin", "tsc"), "-p", "."], {
        cwd: repo,
        hint: "fix the compiler errors above (src/, kernel/, test/, scripts/), then run `npm run setup` again",
      }),
  );
  const watInputs = () => hashInputs(repo, [...listFiles(repo, ["src"], (n) => n.endsWith(".wat")), at("scripts", "buildWasm.mjs"), at("package-lock.json")]);
  await step("wasm kernels", { inputs: watInputs, outputs: [at("dist", "src", "wasm", "kernels.wasm")], doing: "node scripts/buildWasm.mjs" }, () =>
    run("wasm kernels", process.execPath, [at("scripts", "buildWasm.mjs")], {
      cwd: repo,
      hint: "fix the WebAssembly text the message names (src/**/*.wat), then run `npm run setup` again",
    }),
  );
  const extInputs = () => hashInputs(repo, [...listFiles(repo, ["labextension", "schema/labextension", "src"]), at("package-lock.json")]);
  await step("labextension build", { inputs: extInputs, outputs: [at("labextension", "dist", "package.json")], doing: "npm run build -w labextension" }, () =>
    run("labextension build", "npm", ["run", "build", "-w", "labextension"], {
      cwd: repo,
      hint: "fix the errors above (labextension/, schema/labextension/, src/comm/protocol.ts and what it imports), then run `npm run setup` again",
    }),
  );
}

function pythonVersion() {
  try {
    return execFileSync("python3", ["-c", "import sys; print(sys.version)"], { encoding: "utf8" }).trim();
  } catch (e) {
    throw new SetupError(
      "python environment",
      `python3 could not be run: ${e.message}`,
      "install Python 3.11 or later with venv (Debian: apt-get install python3 python3-venv)",
    );
  }
}

async function pythonEnvironment() {
  // The venv's scripts hold its absolute path, so a moved checkout or another python3 needs a new one.
  const where = [venv, pythonVersion()];
  await step("python venv", { inputs: () => hashInputs(repo, [], where), outputs: [join(venv, "bin", "python")], doing: "python3 -m venv .venv" }, () =>
    run("python venv", "python3", ["-m", "venv", "--clear", venv], {
      cwd: repo,
      hint: "install venv for your Python (Debian: apt-get install python3-venv), then run `npm run setup` again",
    }),
  );
  // Node finds the nearest package.json to decide how to load a .js file; ours says "module", so
  // JavaScript that Python packages ship in .venv (jupyter_builder's yarn.js, CommonJS) would be
  // loaded as ES modules and fail noisily when JupyterLab starts. This one is nearer.
  const venvPackage = join(venv, "package.json");
  if (!existsSync(venvPackage)) writeFileSync(venvPackage, JSON.stringify({ type: "commonjs", private: true }) + "\n");
  const requirements = () => hashInputs(repo, [at("requirements.txt")], where);
  await step(
    "python packages",
    { inputs: requirements, outputs: [join(venv, "bin", "jupyter-lab")], doing: "pip install -r requirements.txt (a minute or two the first time)" },
    () =>
      run("python packages", join(venv, "bin", "python"), ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", at("requirements.txt")], {
        cwd: repo,
        hint: "read pip's errors above (network access to PyPI? a pin in requirements.txt that does not exist?), then run `npm run setup` again",
      }),
  );
}

// The peers: MLflow (the serving benchmark, and the tracking server `dw mlflow sync` is tested
// against), onnxruntime (exported ONNX models) and moto (an S3-compatible server for the shared data
// cache). MLflow and its dependencies take minutes to install the first time.
async function benchEnvironment() {
  const benchVenv = at(".venv-bench");
  const where = [benchVenv, pythonVersion()];
  await step(
    "bench venv",
    { inputs: () => hashInputs(repo, [], where), outputs: [join(benchVenv, "bin", "python")], doing: "python3 -m venv .venv-bench" },
    () =>
      run("bench venv", "python3", ["-m", "venv", "--clear", benchVenv], {
        cwd: repo,
        hint: "install venv for your Python (Debian: apt-get install python3-venv), then run `npm test` or `npm run bench` again",
      }),
  );
  await step(
    "bench packages",
    {
      inputs: () => hashInputs(repo, [at("bench", "requirements.txt")], where),
      outputs: [join(benchVenv, "bin", "mlflow")],
      doing: "pip install -r bench/requirements.txt into .venv-bench (a few minutes the first time)",
    },
    () =>
      run(
        "bench packages",
        join(benchVenv, "bin", "python"),
        ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", at("bench", "requirements.txt")],
        {
          cwd: repo,
          hint: "read pip's errors above (network access to PyPI? a pin in bench/requirements.txt that does not exist?), then run `npm test` or `npm run bench` again",
        },
      ),
  );
}

// The drift agreement test and benchmark run the real Evidently, which needs pandas < 3 (about a
// minute to install the first time).
async function evidentlyEnvironment() {
  const evidentlyVenv = at(".venv-evidently");
  const where = [evidentlyVenv, pythonVersion()];
  await step(
    "evidently venv",
    { inputs: () => hashInputs(repo, [], where), outputs: [join(evidentlyVenv, "bin", "python")], doing: "python3 -m venv .venv-evidently" },
    () =>
      run("evidently venv", "python3", ["-m", "venv", "--clear", evidentlyVenv], {
        cwd: repo,
        hint: "install venv for your Python (Debian: apt-get install python3-venv), then run `npm test` again",
      }),
  );
  await step(
    "evidently packages",
    {
      inputs: () => hashInputs(repo, [at("test", "requirements-evidently.txt")], where),
      outputs: [join(evidentlyVenv, "bin", "evidently")],
      doing: "pip install -r test/requirements-evidently.txt into .venv-evidently (about a minute the first time)",
    },
    () =>
      run(
        "evidently packages",
        join(evidentlyVenv, "bin", "python"),
        ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", at("test", "requirements-evidently.txt")],
        {
          cwd: repo,
          hint: "read pip's errors above (network access to PyPI? a pin in test/requirements-evidently.txt that does not exist?), then run `npm test` again",
        },
      ),
  );
}

function kernelspec() {
  const dir = join(prefix, "share", "jupyter", "kernels", "dw");
  const spec = {
    argv: [process.execPath, at("dist", "kernel", "main.js"), "{connection_file}"],
    display_name: "TypeScript (dw)",
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { debugger: false },
  };
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  const file = join(dir, "kernel.json");
  if (existsSync(file) && readFileSync(file, "utf8") === text) return log("kernelspec: up to date");
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text);
  log(`kernelspec: wrote ${file}`);
}

// JupyterLab's first screen asks "get notified about official Jupyter news?" in a toast over the
// corner of the quickstart, and would fetch news and check for updates. Our defaults, in the
// environment's settings overrides (a user's own choice in the Settings Editor still wins): no news
// fetched, no update check, so `npm start` opens straight onto the quickstart. Other overrides in
// the file (Binder's environment may have some) are kept.
function labSettingsOverrides() {
  const file = join(prefix, "share", "jupyter", "lab", "settings", "overrides.json");
  let current = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      throw new SetupError(
        "lab settings",
        `${file} is not JSON`,
        "fix or remove it (it holds JupyterLab's default settings for this environment), then run the set-up again",
      );
    }
  }
  const key = "@jupyterlab/apputils-extension:notification";
  const wanted = { ...current, [key]: { ...(current[key] ?? {}), fetchNews: "false", checkForUpdates: false } };
  const text = `${JSON.stringify(wanted, null, 2)}\n`;
  if (existsSync(file) && readFileSync(file, "utf8") === text) return log("lab settings: up to date");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  log(`lab settings: no news prompt or update check (${file})`);
}

function labextensionLink() {
  const target = at("labextension", "dist");
  const link = join(prefix, "share", "jupyter", "labextensions", "dw-labextension");
  let current = null;
  try {
    current = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : "(not a link)";
  } catch {}
  if (current === target) return log("labextension link: up to date");
  if (current !== null) rmSync(link, { recursive: true, force: true });
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(target, link, "dir");
  log(`labextension link: ${link} -> ${target}`);
}

function exampleData() {
  const missing = ["seattle-weather.csv", "penguins.json", "cars.json"].filter((f) => !existsSync(at("examples", "data", f)));
  if (missing.length === 0) return log("example data: up to date");
  mkdirSync(at("examples", "data"), { recursive: true });
  for (const f of missing) {
    const from = at("node_modules", "vega-datasets", "data", f);
    if (!existsSync(from))
      throw new SetupError("example data", `${from} is missing`, "vega-datasets is a devDependency: run `npm install`, then `npm run setup` again");
    copyFileSync(from, at("examples", "data", f));
  }
  log(`example data: copied ${missing.join(", ")} into examples/data/`);
}

async function testTools() {
  try {
    execFileSync("git", ["--version"], { stdio: "ignore" });
  } catch {
    throw new SetupError("test tools", "git is not installed; the workspace tests need it", "install git (Debian: apt-get install git)");
  }
  if (existsSync("/usr/bin/chromium")) return log("chromium: up to date");
  const install = "apt-get update && apt-get install -y --no-install-recommends chromium";
  if (process.getuid?.() !== 0)
    throw new SetupError("chromium", "/usr/bin/chromium is missing and this is not root, so it cannot be installed here", `run as root: ${install}`);
  log("chromium: apt-get install chromium…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const hint = `run \`${install}\` by hand and read its errors`;
  await run("chromium", "apt-get", ["update"], { env, hint });
  await run("chromium", "apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { env, hint });
  log("chromium: installed");
}

/** The newest PostgreSQL server binaries from Debian's `postgresql` package (/usr/lib/postgresql/<version>/bin), or null. */
function postgresBin() {
  const base = "/usr/lib/postgresql";
  let versions = [];
  try {
    versions = readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb")) && existsSync(join(base, v, "bin", "postgres")));
  } catch {}
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], "bin") : null;
}

// The SQL tests start their own PostgreSQL server (test/helpers/postgres.ts) from these binaries.
async function postgresServer() {
  const found = postgresBin();
  await step(
    "postgresql",
    { inputs: () => hashInputs(repo, [], [found ?? "missing"]), outputs: [found ?? "/usr/lib/postgresql/(missing)"], doing: "apt-get install postgresql" },
    async () => {
      if (found) return log(`postgresql: found ${found}`);
      const install = "apt-get update && apt-get install -y --no-install-recommends postgresql";
      if (process.getuid?.() !== 0)
        throw new SetupError(
          "postgresql",
          "no PostgreSQL server under /usr/lib/postgresql and this is not root, so it cannot be installed here",
          `run as root: ${install}`,
        );
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
      const hint = `run \`${install}\` by hand and read its errors (the SQL tests need PostgreSQL's initdb and postgres binaries)`;
      await run("postgresql", "apt-get", ["update"], { env, hint });
      await run("postgresql", "apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], { env, hint });
      if (!postgresBin()) throw new SetupError("postgresql", "apt-get installed postgresql but no server binaries are under /usr/lib/postgresql", hint);
    },
  );
}

async function main() {
  const started = Date.now();
  if (opts.prefix && !existsSync(prefix))
    throw new SetupError("options", `--prefix ${prefix} does not exist`, "pass the sys.prefix of an existing Python environment");
  // Independent chains run side by side: pip and apt wait on the network while tsc and webpack compute.
  const chains = [
    npmPackages().then(build),
    opts.prefix ? null : pythonEnvironment(),
    opts["for-tests"] ? testTools().then(postgresServer) : null,
    opts["for-tests"] || opts["for-bench"] ? benchEnvironment() : null,
    opts["for-tests"] || opts["for-bench"] ? evidentlyEnvironment() : null,
  ].filter(Boolean);
  const failed = (await Promise.allSettled(chains)).find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  kernelspec();
  labextensionLink();
  labSettingsOverrides();
  exampleData();
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

main().catch((e) => {
  if (!(e instanceof SetupError)) throw e;
  const lines = e.output.trimEnd().split("\n");
  if (e.output) console.error(lines.slice(-200).join("\n"));
  console.error(`\n[setup] step "${e.step}" failed: ${e.message}`);
  console.error(`[setup] what to do: ${e.hint}`);
  process.exit(1);
});
