import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

// Binder builds the image by creating binder/environment.yml's environment and running
// binder/postBuild from the repository root. This runs the post-build steps as Binder would, in a
// clean clone and a fresh Python environment standing in for Binder's (the conda solve itself needs
// conda-forge, which this machine cannot reach), then checks that the environment is the one
// `npm start` builds: the same pinned JupyterLab, the dw kernelspec pointing into the clone, the
// labextension enabled, the quickstart as the landing page, and a kernel that runs TypeScript and %dw.
//
// In `npm test` the clone starts with this checkout's build (node_modules, dist, the labextension's
// dist and the stamps of scripts/setup.mjs), so postBuild's `setup.mjs --prefix` skips, by its own
// stamps, the npm install, tsc and webpack steps that `npm test`'s set-up has just run on the same
// tree (minutes), and does the Binder-only steps: the kernelspec, the labextension link and the
// settings in Binder's prefix. A stamp that does not match the clone's sources (uncommitted changes
// here) makes that step run as in a clean clone. DW_BINDER_CLEAN=1 (`npm run bench`, bench/soak.mjs)
// runs postBuild in a clean clone, building everything.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "dw-binder-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolveRun(output) : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output.slice(-4000)}`))));
  });
}

/**
 * Gives `clone` this checkout's build outputs and setup stamps. node_modules is hard-linked (38,000
 * files; npm replaces a package's folder rather than writing into its files), and only when the
 * clone's package files are the checkout's, so npm's stamp can match; the rest is copied.
 */
function seedBuild(clone: string): void {
  const same = (f: string) => existsSync(join(repo, f)) && readFileSync(join(repo, f)).equals(readFileSync(join(clone, f)));
  if (["package.json", "package-lock.json", join("labextension", "package.json")].every(same)) {
    execFileSync("cp", ["-al", join(repo, "node_modules"), join(clone, "node_modules")]);
  }
  for (const dir of ["dist", join("labextension", "dist"), ".setup-state"]) {
    if (existsSync(join(repo, dir))) execFileSync("cp", ["-a", join(repo, dir), join(clone, dir)]);
  }
}

test("binder/postBuild, run in a clean clone and a fresh Python environment, builds what npm start runs: pinned JupyterLab, the dw kernel and extension, the quickstart first", {
  timeout: 20 * 60_000,
}, async () => {
  const clone = join(scratch, "dw");
  execFileSync("git", ["clone", "-q", repo, clone]);
  if (process.env.DW_BINDER_CLEAN !== "1") seedBuild(clone);
  const env = join(scratch, "env");
  execFileSync("python3", ["-m", "venv", env]);
  // Binder's environment: its python first on PATH, nothing of the user's Jupyter or of .venv.
  const binderEnv: NodeJS.ProcessEnv = {
    PATH: `${join(env, "bin")}:${process.env.PATH}`,
    HOME: process.env.HOME,
    JUPYTER_CONFIG_DIR: join(scratch, "jupyter-config"),
    JUPYTER_DATA_DIR: join(scratch, "jupyter-data"),
    JUPYTER_PREFER_ENV_PATH: "1",
    PYTHONNOUSERSITE: "1",
    DW_BINDER_KEEP_NPM_CACHE: "1",
  };
  await run("bash", [join(clone, "binder", "postBuild")], { cwd: clone, env: binderEnv });

  const python = join(env, "bin", "python");
  // The same pins as npm start's .venv: requirements.txt is the one list of both.
  const pins = readFileSync(join(clone, "requirements.txt"), "utf8").match(/^jupyterlab==(\S+)$/m);
  assert.ok(pins, "requirements.txt pins jupyterlab");
  const version = execFileSync(python, ["-c", "import jupyterlab; print(jupyterlab.__version__)"], { env: binderEnv, encoding: "utf8" }).trim();
  assert.equal(version, pins[1]);

  const specs = JSON.parse(execFileSync(join(env, "bin", "jupyter"), ["kernelspec", "list", "--json"], { env: binderEnv, encoding: "utf8" })) as {
    kernelspecs: Record<string, { resource_dir: string; spec: { argv: string[]; display_name: string } }>;
  };
  const dw = specs.kernelspecs.dw;
  assert.ok(dw, `the dw kernelspec is installed in Binder's environment; found ${Object.keys(specs.kernelspecs).join(", ")}`);
  assert.equal(dw.spec.display_name, "TypeScript (dw)");
  assert.ok(dw.resource_dir.startsWith(env), `the kernelspec lives in the environment (${dw.resource_dir})`);
  assert.equal(dw.spec.argv[1], join(clone, "dist", "kernel", "main.js"));
  assert.ok(existsSync(dw.spec.argv[1]), "the kernel's entry point was built");

  const extensions = await run(join(env, "bin", "jupyter"), ["labextension", "list"], { cwd: clone, env: binderEnv });
  assert.match(extensions, /dw-labextension.*enabled.*OK/, extensions);

  const config = JSON.parse(readFileSync(join(env, "etc", "jupyter", "jupyter_server_config.d", "dw-binder.json"), "utf8")) as {
    ServerApp: { default_url: string };
  };
  assert.equal(config.ServerApp.default_url, "/lab/tree/examples/quickstart.ipynb");
  assert.ok(existsSync(join(clone, config.ServerApp.default_url.replace("/lab/tree/", ""))), "the landing notebook exists");
  assert.ok(existsSync(join(clone, "examples", "data", "seattle-weather.csv")), "the quickstart's data is in place");
  // No news prompt over the quickstart's corner, as with npm start (scripts/setup.mjs).
  const overrides = JSON.parse(readFileSync(join(env, "share", "jupyter", "lab", "settings", "overrides.json"), "utf8")) as Record<
    string,
    Record<string, unknown>
  >;
  assert.deepEqual(overrides["@jupyterlab/apputils-extension:notification"], { fetchNews: "false", checkForUpdates: false });

  // The kernel Binder's JupyterLab would start: TypeScript runs, and %dw reaches the tools.
  const script = join(scratch, "kernel_check.py");
  writeFileSync(
    script,
    [
      "import json, sys",
      "from jupyter_client.manager import start_new_kernel",
      "km, kc = start_new_kernel(kernel_name='dw', cwd=sys.argv[1])",
      "results = []",
      "def hook(msg):",
      "    if msg['msg_type'] in ('execute_result', 'stream', 'display_data', 'error'):",
      "        results.append({'type': msg['msg_type'], 'content': msg['content']})",
      "try:",
      "    for code in ['const answer: number = 6 * 7; answer', '%dw help get_workspace_state']:",
      "        reply = kc.execute_interactive(code, timeout=120, output_hook=hook)",
      "        results.append({'type': 'reply', 'status': reply['content']['status']})",
      "finally:",
      "    kc.stop_channels(); km.shutdown_kernel(now=True)",
      "print(json.dumps(results))",
    ].join("\n"),
  );
  const out = await run(python, [script, clone], { cwd: clone, env: binderEnv });
  const results = JSON.parse(out.trim().split("\n").pop() as string) as {
    type: string;
    status?: string;
    content?: { data?: Record<string, string>; text?: string };
  }[];
  assert.deepEqual(
    results.filter((r) => r.type === "reply").map((r) => r.status),
    ["ok", "ok"],
    out,
  );
  assert.equal(results.find((r) => r.type === "execute_result")?.content?.data?.["text/plain"], "42");
  const help = results
    .filter((r) => r.type !== "reply" && r.type !== "execute_result")
    .map((r) => JSON.stringify(r.content))
    .join("\n");
  assert.match(help, /get_workspace_state/);
});
