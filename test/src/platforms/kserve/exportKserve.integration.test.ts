import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { access, mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { runTool } from "../../../../src/index.js";
import { repoRoot } from "../../../helpers/tempWorkspace.js";
import { err, ok } from "../../../helpers/results.js";
import { rawRequest, score, servedWorkspace, type ServedWorkspace } from "../../server/serverFixture.js";
import { LAYOUT, serveArgs } from "../../../../src/platforms/kserve/containerLayout.js";
import { STORE_RUN_FILES } from "../../../../src/platforms/kserve/writeModelStore.js";

/*
 * Issue 15, KServe: dw export --kserve writes a directory a container is built from. Docker is
 * not run here; instead the exported directory is served by a real `dw serve` process started
 * exactly as the Dockerfile's ENTRYPOINT + CMD say (container paths mapped into the export, the
 * exported dw runtime run as copied, its node_modules linked to this checkout's in place of the
 * image's npm ci), and scored over the Open Inference Protocol v2 against the source workspace's
 * own dw serve.
 */

const git = promisify(execFile);
let sw: ServedWorkspace;
let out: string;
let refsBefore: string;
/** Weather rows by column: the tree model `tw` reads precipitation, temp_min, wind and the text column weather. */
let rows: { precipitation: number[]; temp_min: number[]; wind: number[]; weather: string[] };

const refsOf = async (dir: string) => (await git("git", ["--git-dir", join(dir, ".git"), "for-each-ref", "--format=%(refname) %(objectname)"])).stdout;

before(async () => {
  sw = await servedWorkspace();
  out = await mkdtemp(join(tmpdir(), "dw-kserve-"));
  const lines = (await readFile(join(sw.tw.dir, "data", "seattle-weather.csv"), "utf8")).trim().split("\n").slice(1, 61);
  const cells = lines.map((l) => l.split(","));
  rows = {
    precipitation: cells.map((c) => Number(c[1])),
    temp_min: cells.map((c) => Number(c[3])),
    wind: cells.map((c) => Number(c[4])),
    weather: cells.map((c) => c[5]),
  };
  refsBefore = await refsOf(sw.tw.dir);
});

after(async () => {
  await sw.tw.cleanup();
  await rm(out, { recursive: true, force: true });
});

/** The OIP request for `tw`: one tensor per input, one row with a weather the tree never saw. */
function inferBody(): unknown {
  const weather = [...rows.weather];
  weather[5] = "hail";
  return {
    id: "kserve-export",
    inputs: [
      { name: "precipitation", shape: [rows.precipitation.length], datatype: "FP64", data: rows.precipitation },
      { name: "temp_min", shape: [rows.temp_min.length], datatype: "FP64", data: rows.temp_min },
      { name: "wind", shape: [rows.wind.length], datatype: "FP64", data: rows.wind },
      { name: "weather", shape: [weather.length], datatype: "BYTES", data: weather },
    ],
  };
}

/** Starts the exported server as the container would: `node /opt/dw/bin/dw.js <CMD>` with /opt/dw, /srv/dw/store and port 8080 mapped. */
async function startExported(dir: string, cmd: string[]): Promise<{ base: string; stdout: () => string; stop: () => Promise<void> }> {
  const args = cmd.map((a) => (a === LAYOUT.containerStore ? join(dir, LAYOUT.store) : a === String(LAYOUT.port) ? "0" : a));
  const child = spawn(process.execPath, [join(dir, LAYOUT.runtime, "bin", "dw.js"), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DW_SERVE_WORKERS: "1", NODE_ENV: "production" },
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
      const m = /listening on (\S+)/.exec(stdout);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`exported dw serve exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    base: url.replace("//0.0.0.0:", "//127.0.0.1:"),
    stdout: () => stdout,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

test("export tw@production for KServe: a directory whose Dockerfile, manifest and model store a real dw serve answers over OIP v2 with the source's predictions", async () => {
  const dir = join(out, "tw");
  const o = ok(await runTool("export_model", { model_id: "tw@production", kserve: dir }, sw.ctx));
  assert.equal(o.format, "kserve");
  assert.equal(o.version, 1);
  const k = o.kserve;
  assert.equal(k.service_name, "tw");
  assert.deepEqual(k.files, [".dockerignore", "Dockerfile", "README.md", "dw", "inferenceservice.yaml", "store"]);
  assert.deepEqual(k.command, ["node", "/opt/dw/bin/dw.js", ...serveArgs()]);

  // The Dockerfile: every COPY/ADD source exists in the directory; ENTRYPOINT + CMD are the command.
  const dockerfile = await readFile(join(dir, "Dockerfile"), "utf8");
  const copies = dockerfile.split("\n").filter((l) => /^(COPY|ADD)\s/.test(l));
  assert.ok(copies.length >= 3, dockerfile);
  for (const line of copies) {
    const words = line
      .split(/\s+/)
      .slice(1)
      .filter((w) => !w.startsWith("--"));
    for (const src of words.slice(0, -1)) await access(join(dir, src)).catch(() => assert.fail(`${line}: ${src} is not in the export`));
  }
  const entry = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(dockerfile)![1]) as string[];
  const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]) as string[];
  assert.deepEqual([...entry, ...cmd], k.command);
  assert.match(dockerfile, /^FROM node:\d+-bookworm-slim$/m);
  assert.match(dockerfile, /^RUN npm ci --omit=dev/m);

  // The manifest: what KServe needs to run the custom OIP container.
  const isvc = parse(await readFile(join(dir, "inferenceservice.yaml"), "utf8"));
  assert.equal(isvc.apiVersion, "serving.kserve.io/v1beta1");
  assert.equal(isvc.kind, "InferenceService");
  assert.equal(isvc.metadata.name, "tw");
  assert.equal(isvc.metadata.annotations["dw/model-name"], "tw");
  const [c] = isvc.spec.predictor.containers;
  assert.equal(isvc.spec.predictor.containers.length, 1);
  assert.equal(c.name, "kserve-container");
  assert.equal(c.image, k.image);
  assert.deepEqual(c.args, cmd);
  assert.deepEqual(c.ports, [{ containerPort: 8080, protocol: "TCP" }]);
  assert.ok(c.env.some((e: { name: string; value: string }) => e.name === "PROTOCOL" && e.value === "v2"));
  assert.deepEqual(c.readinessProbe.httpGet, { path: "/v2/health/ready", port: 8080 });
  assert.deepEqual(c.livenessProbe.httpGet, { path: "/v2/health/live", port: 8080 });
  for (const side of ["requests", "limits"]) {
    assert.match(String(c.resources[side].cpu), /^\d+m?$/);
    assert.match(c.resources[side].memory, /^\d+Mi$/);
  }

  // The store: a valid git repository holding one run, its registration, the production alias and its deployment; no data.
  const store = join(dir, "store");
  await git("git", ["--git-dir", join(store, ".git"), "fsck", "--strict", "--no-dangling"]);
  const refs = (await refsOf(store))
    .trim()
    .split("\n")
    .map((l) => l.split(" ")[0]);
  assert.deepEqual(refs.sort(), [
    "refs/dw/aliases/tw/production",
    "refs/dw/deployments/tw/production",
    "refs/dw/models/tw/1",
    `refs/dw/runs/${sw.runs.weatherTree}`,
  ]);
  const tree = (await git("git", ["--git-dir", join(store, ".git"), "ls-tree", "-r", "--name-only", "refs/dw/models/tw/1"])).stdout.trim().split("\n");
  for (const f of tree) assert.ok(f === "registration.json" || (STORE_RUN_FILES as readonly string[]).includes(f), `unexpected ${f} in the store`);
  assert.ok(tree.includes("model.json"));
  assert.deepEqual(await readdir(store), [".git"]);
  const reg = JSON.parse((await git("git", ["--git-dir", join(store, ".git"), "show", "refs/dw/models/tw/1:registration.json"])).stdout);
  assert.equal(reg.exported.from, "tw@production");
  assert.equal(reg.exported.source_registration_commit, (await git("git", ["-C", sw.tw.dir, "rev-parse", "refs/dw/models/tw/1"])).stdout.trim());

  // The runtime: the packages the compiled code imports, pinned by a lock; not the notebook kernel's.
  const pkg = JSON.parse(await readFile(join(dir, "dw", "package.json"), "utf8"));
  const lock = JSON.parse(await readFile(join(dir, "dw", "package-lock.json"), "utf8"));
  assert.ok(pkg.dependencies.zod && pkg.dependencies["isomorphic-git"] && pkg.dependencies["@duckdb/node-api"]);
  assert.equal(pkg.dependencies.tslab, undefined);
  assert.equal(pkg.dependencies.zeromq, undefined);
  assert.deepEqual(lock.packages[""].dependencies, pkg.dependencies);
  for (const name of Object.keys(pkg.dependencies)) assert.ok(lock.packages[`node_modules/${name}`], `${name} is not in the lock`);

  // Serve it as the container does. node_modules stands in for the image's npm ci.
  await symlink(join(repoRoot, "node_modules"), join(dir, "dw", "node_modules"), "dir");
  const server = await startExported(dir, cmd);
  try {
    assert.match(server.stdout(), /--public: no token is checked/);
    for (const path of ["/v2/health/live", "/v2/health/ready", "/v2/models/tw/ready"]) {
      const r = await rawRequest(server.base, { path, headers: { Host: "tw-predictor.default.svc.cluster.local" } });
      assert.equal(r.status, 200, `${path}: ${r.body}`);
    }
    const meta = JSON.parse((await rawRequest(server.base, { path: "/v2/models/tw" })).body);
    assert.equal(meta.name, "tw");
    assert.deepEqual(meta.versions, ["1"]);
    assert.deepEqual(
      meta.inputs.map((i: { name: string }) => i.name),
      ["precipitation", "temp_min", "wind", "weather"],
    );
    const exported = await score(server.base, "/v2/models/tw/infer", inferBody());
    const source = await score(sw.base, "/v2/models/tw/infer", inferBody());
    assert.equal(exported.status, 200, exported.text);
    assert.equal(source.status, 200, source.text);
    assert.equal(exported.json.outputs[0].data.length, rows.wind.length);
    assert.deepEqual(exported.json.outputs, source.json.outputs);
    assert.equal(exported.json.model_version, "1");
    const pinned = await score(server.base, "/v2/models/tw/versions/1/infer", inferBody());
    assert.deepEqual(pinned.json.outputs, source.json.outputs);
  } finally {
    await server.stop();
  }
  assert.equal(await refsOf(sw.tw.dir), refsBefore);
});

test("without --public the exported server keeps dw's token rule: on 0.0.0.0 a probe without the token gets 401", async () => {
  const dir = join(out, "tw-token");
  ok(await runTool("export_model", { model_id: "tw/1", kserve: dir }, sw.ctx));
  await symlink(join(repoRoot, "node_modules"), join(dir, "dw", "node_modules"), "dir");
  const server = await startExported(
    dir,
    serveArgs().filter((a) => a !== "--public"),
  );
  try {
    assert.equal((await rawRequest(server.base, { path: "/v2/health/ready" })).status, 401);
  } finally {
    await server.stop();
  }
});

test("dw export temp/1 --kserve DIR on the command line names the InferenceService after the model and the image as asked", async () => {
  const dir = join(out, "temp-cli");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(repoRoot, "bin", "dw.js"), "export", "temp/1", "--kserve", dir, "--image", "registry.example/ml/temp:v1", "--workspace", sw.tw.dir],
    { cwd: sw.tw.dir },
  );
  const o = JSON.parse(stdout);
  assert.equal(o.model_name, "temp");
  assert.equal(o.kserve.source, "temp/1");
  const isvc = parse(await readFile(join(dir, "inferenceservice.yaml"), "utf8"));
  assert.equal(isvc.metadata.name, "temp");
  assert.equal(isvc.spec.predictor.containers[0].image, "registry.example/ml/temp:v1");
  assert.match(await readFile(join(dir, "README.md"), "utf8"), /docker build -t registry\.example\/ml\/temp:v1 \./);
});

test("bad exports are clear errors and write nothing: a non-empty directory, an unknown model or alias, a version never deployed, both or neither target", async () => {
  const busy = join(out, "busy");
  await mkdir(busy);
  await writeFile(join(busy, "notes.txt"), "mine\n");
  const e1 = err(await runTool("export_model", { model_id: "tw@production", kserve: busy }, sw.ctx));
  assert.equal(e1.code, "CONFLICT");
  assert.match(e1.message, /busy is not empty/);
  assert.deepEqual(await readdir(busy), ["notes.txt"]);

  const e2 = err(await runTool("export_model", { model_id: "nope@production", kserve: join(out, "x") }, sw.ctx));
  assert.equal(e2.code, "NOT_FOUND");
  assert.match(e2.message, /No registered model 'nope'/);
  assert.match(e2.hint ?? "", /temp, tw/);
  const e3 = err(await runTool("export_model", { model_id: "tw@staging", kserve: join(out, "x") }, sw.ctx));
  assert.equal(e3.code, "NOT_FOUND");
  assert.match(e3.message, /alias 'staging' of model 'tw' serves no version/);
  assert.match(e3.hint ?? "", /tw@production \(v1\)/);
  const e4 = err(await runTool("export_model", { model_id: "tw", kserve: join(out, "x") }, sw.ctx));
  assert.equal(e4.code, "INVALID_INPUT");
  assert.equal(e4.details?.field, "model_id");
  const e5 = err(await runTool("export_model", { model_id: "tw@production" }, sw.ctx));
  assert.equal(e5.code, "INVALID_INPUT");
  assert.match(e5.message, /exactly one of kserve \(a directory\) and onnx \(a file\), got neither/);
  const e6 = err(await runTool("export_model", { model_id: "tw@production", kserve: join(out, "x"), onnx: join(out, "x.onnx") }, sw.ctx));
  assert.match(e6.message, /got both/);
  await assert.rejects(access(join(out, "x")));
  // No temporary directory is left beside the target.
  assert.deepEqual(
    (await readdir(out)).filter((n) => n.includes("dw-export")),
    [],
  );

  // A version registered but never deployed is not served, so it is not exported.
  const run = ok(
    await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"], algorithm: "linear_regression" }, sw.ctx),
  );
  ok(await runTool("register_model", { model_id: run.run_id, model_name: "temp" }, sw.ctx));
  const e7 = err(await runTool("export_model", { model_id: "temp/2", kserve: join(out, "x") }, sw.ctx));
  assert.equal(e7.code, "NOT_FOUND");
  assert.match(e7.message, /version 2 of model 'temp' never passed a deploy gate/);
  refsBefore = await refsOf(sw.tw.dir);
});

test("exporting leaves the source workspace's refs as they were", async () => {
  ok(await runTool("export_model", { model_id: "temp@production", kserve: join(out, "again") }, sw.ctx));
  assert.equal(await refsOf(sw.tw.dir), refsBefore);
});
