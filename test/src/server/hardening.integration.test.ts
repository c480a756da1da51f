// Each test here is one defect a probe of dw serve and the registry found (issue 11), asserted
// over real HTTP against the real `dw serve` that deploy_model starts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../helpers/tempWorkspace.js";
import { createServerLog } from "../../../src/server/serverLog.js";
import { runTool, openWorkspace } from "../../../src/index.js";
import { ok, err } from "../../helpers/results.js";
import { servedWorkspace, rawRequest, score, assertNoStack, TEMP_ROW, type ServedWorkspace } from "./serverFixture.js";

// One worker process: a model that fails to load is kept from replacing the version that worker
// serves (each worker keeps its own), and this file follows one worker's models across pushes.
process.env.DW_SERVE_WORKERS = "1";

let sw: ServedWorkspace;
let base: string;
let expected: number;

before(async () => {
  sw = await servedWorkspace();
  base = sw.base;
  const r = await score(base, "/models/temp@production/invocations", TEMP_ROW);
  assert.equal(r.status, 200, r.text);
  expected = r.json.predictions[0];
});
after(async () => sw.tw.cleanup());

const git = (...args: string[]) => execFileSync("git", args, { cwd: sw.tw.dir, encoding: "utf8" }).trim();

test("records that each carry a new key cost linear work, and other requests are answered meanwhile", async () => {
  // 50,000 records (2 MB) each with a key no other record has: quadratic work (rows × every key) took
  // minutes and ran the server out of memory.
  const records = Array.from({ length: 50_000 }, (_, i) => ({ precipitation: 0, temp_min: 5, wind: 4.7, [`k${i}`]: i }));
  const started = Date.now();
  const pending = score(base, "/models/temp@production/invocations", { dataframe_records: records });
  const ping = await rawRequest(base, { path: "/ping", timeoutMs: 10_000 });
  assert.equal(ping.status, 200);
  const r = await pending;
  assert.equal(r.status, 200);
  assert.equal(r.json.predictions.length, 50_000);
  assert.equal(r.json.predictions[49_999], expected);
  // A bound against quadratic blow-up, not a speed target: the old code took minutes.
  assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  // A record that lacks a column has a missing value there (imputed), as pandas reads records.
  const partial = await score(base, "/models/temp@production/invocations", {
    dataframe_records: [
      { precipitation: 0, temp_min: 5, wind: 4.7 },
      { temp_min: 5, wind: 4.7 },
    ],
  });
  assert.equal(partial.status, 200);
  assert.equal(partial.json.predictions.length, 2);
});

test("an alias or name that is not a valid one never reaches a ref: no traversal to runs, outside .git, or through symbolic refs", async () => {
  const paths = [
    `/models/temp@..%2f..%2fruns%2f${sw.runs.temp}/invocations`,
    `/models/temp@..%2f..%2f..%2f..%2f..%2fHEAD/invocations`,
    `/models/..%2fmodels%2ftemp@production/invocations`,
    `/models/..%2fmodels%2ftemp/1/invocations`,
    `/models/temp@production%2f..%2f..%2fmodels%2ftemp%2f1/invocations`,
  ];
  for (const path of paths) {
    const r = await score(base, path, TEMP_ROW);
    assert.equal(r.status, 400, `${path}: ${r.text}`);
    assert.match(r.json.message, /not a valid (alias|model name)/);
    assertNoStack(r.text);
    const meta = await rawRequest(base, { path: path.replace(/\/invocations$/, "") });
    assert.equal(meta.status, 400);
    assert.doesNotMatch(meta.body, /runs|\.\.\//);
  }
  // A ref file that a teammate could push or a hand could write, holding a symbolic ref, a blob's
  // id, or a commit that is not a registration: all the same 404, so an outsider learns nothing.
  const gitdir = join(sw.tw.dir, ".git");
  await mkdir(join(gitdir, "refs/dw/aliases/temp"), { recursive: true });
  await writeFile(join(gitdir, "refs/dw/aliases/temp/sym"), "ref: refs/dw/models/temp/1\n");
  const blob = git("hash-object", "-w", "quickstart.ipynb");
  await writeFile(join(gitdir, "refs/dw/aliases/temp/blob"), blob + "\n");
  await writeFile(join(gitdir, "refs/dw/aliases/temp/run"), git("rev-parse", `refs/dw/runs/${sw.runs.temp}`) + "\n");
  await writeFile(join(gitdir, "refs/dw/aliases/temp/deployment"), git("rev-parse", "refs/dw/deployments/temp/production") + "\n");
  await writeFile(join(gitdir, "refs/dw/aliases/temp/other"), git("rev-parse", "refs/dw/models/tw/1") + "\n");
  const answers = new Set<string>();
  for (const alias of ["sym", "blob", "run", "deployment", "other", "absent"]) {
    const r = await score(base, `/models/temp@${alias}/invocations`, TEMP_ROW);
    assert.equal(r.status, 404, `${alias}: ${r.text}`);
    answers.add(r.text);
    const meta = await rawRequest(base, { path: `/models/temp@${alias}` });
    assert.equal(meta.status, 404);
    answers.add(meta.body);
  }
  assert.equal(answers.size, 1, [...answers].join("\n"));
  // The metadata answer names the model as registered.
  const meta = JSON.parse((await rawRequest(base, { path: "/models/temp@production" })).body);
  assert.equal(meta.name, "temp");
  assert.equal(meta.version, 1);
});

test("a pinned version is served only once it passed a deploy gate", async () => {
  const v2 = ok(await runTool("register_model", { model_id: sw.runs.temp, model_name: "temp" }, sw.ctx));
  assert.equal(v2.version, 2);
  assert.equal((await score(base, "/models/temp/2/invocations", TEMP_ROW)).status, 404);
  assert.equal((await score(base, "/models/temp/1/invocations", TEMP_ROW)).status, 200);
  ok(await runTool("deploy_model", { model_name: "temp", version: 2, alias: "canary" }, sw.ctx));
  assert.equal((await score(base, "/models/temp/2/invocations", TEMP_ROW)).status, 200);
});

test("register_model --alias runs the deploy gate: an alias that needs approval is not moved without it", async () => {
  await writeFile(join(sw.tw.dir, "dw.policy.yaml"), "governance:\n  deployment:\n    approval_required_aliases: [production]\n");
  try {
    const before = JSON.parse((await rawRequest(base, { path: "/models/tw@production" })).body).version;
    const e = err(await runTool("register_model", { model_id: sw.runs.weatherTree, model_name: "tw", alias: "production" }, sw.ctx));
    assert.equal(e.code, "GATE_FAILED");
    assert.match(e.message, /tw v2 was registered, but the alias 'production' was not moved/);
    assert.match(e.message, /needs an approved governance review/);
    // Still served: the approved one, and the deployment record agrees with it.
    assert.equal(JSON.parse((await rawRequest(base, { path: "/models/tw@production" })).body).version, before);
    assert.equal(JSON.parse(git("show", "refs/dw/deployments/tw/production:deployment.json")).version, before);
    assert.equal((await score(base, "/models/tw/2/invocations", TEMP_ROW)).status, 404);
    // deploy_model refuses it too; an approval lets both through, and the move is recorded as a deployment.
    assert.equal(err(await runTool("deploy_model", { model_name: "tw", version: 2, alias: "production" }, sw.ctx)).code, "GATE_FAILED");
    ok(
      await runTool(
        "request_governance_review",
        { model_name: "tw", version: 2, decision: "approve", reason: "checked the holdout by hand", alias: "production" },
        sw.ctx,
      ),
    );
    const v3 = ok(await runTool("register_model", { model_id: sw.runs.weatherTree, model_name: "tw", alias: "staging" }, sw.ctx));
    assert.deepEqual(v3.aliases, ["staging"]);
    const dep = ok(await runTool("deploy_model", { model_name: "tw", version: 2, alias: "production" }, sw.ctx));
    assert.equal(dep.version, 2);
    assert.equal(JSON.parse((await rawRequest(base, { path: "/models/tw@production" })).body).version, 2);
  } finally {
    await rm(join(sw.tw.dir, "dw.policy.yaml"), { force: true });
  }
});

test("deploy_model loads the version before it moves the alias: a broken model.json never reaches the endpoint", async () => {
  const ws = await openWorkspace(sw.tw.dir);
  const v = ok(await runTool("register_model", { model_id: sw.runs.temp, model_name: "temp" }, sw.ctx));
  const ref = `refs/dw/models/temp/${v.version}`;
  const good = await ws.readRef(ref);
  // The same registration with coefficients that are not numbers, as a bad push would bring it.
  const model = JSON.parse((await ws.readText(good!, "model.json"))!);
  model.params.coefficients = "x";
  await ws.commit({ ref, message: "broken", base: good!, parents: [good!], files: { "model.json": JSON.stringify(model) } });
  const before = JSON.parse((await rawRequest(base, { path: "/models/temp@production" })).body).version;
  const e = err(await runTool("deploy_model", { model_name: "temp", version: v.version, alias: "production" }, sw.ctx));
  assert.equal(e.code, "DATA_ERROR");
  assert.match(e.message, new RegExp(`temp v${v.version} cannot be served, so no alias was moved`));
  assert.equal(JSON.parse((await rawRequest(base, { path: "/models/temp@production" })).body).version, before);
  assert.equal((await score(base, "/models/temp@production/invocations", TEMP_ROW)).json.predictions[0], expected);
});

test("a model.json with unusable parameters that reaches an alias by a push is a 503, never predictions of null; over a serving alias, the version serving keeps answering", async () => {
  const ws = await openWorkspace(sw.tw.dir);
  const v = ok(await runTool("register_model", { model_id: sw.runs.temp, model_name: "pushed" }, sw.ctx)).version;
  ok(await runTool("deploy_model", { model_name: "pushed", version: v, alias: "production" }, sw.ctx));
  const served = await score(base, "/models/pushed@production/invocations", TEMP_ROW);
  assert.equal(served.status, 200, served.text);
  const ref = `refs/dw/models/pushed/${v}`;
  const good = (await ws.readRef(ref))!;
  const model = JSON.parse((await ws.readText(good, "model.json"))!);
  const hostile: [string, (m: any) => void][] = [
    ["coefficients that are text", (m) => (m.params.coefficients = "x")],
    ["a coefficient that is text", (m) => (m.params.coefficients[1] = "1")],
    ["one coefficient too few", (m) => m.params.coefficients.pop()],
    ["an intercept that is null", (m) => (m.params.intercept = null)],
    ["another estimator kind than the algorithm", (m) => (m.params.kind = "random_forest")],
  ];
  for (const [what, spoil] of hostile) {
    const bad = structuredClone(model);
    spoil(bad);
    // As a teammate's push would bring it: the version's ref rewritten, the aliases following it.
    const commit = await ws.commit({ ref, message: what, base: good, parents: [good], files: { "model.json": JSON.stringify(bad) } });
    for (const alias of ["production", "staging"]) {
      await ws.commit({
        ref: `refs/dw/deployments/pushed/${alias}`,
        message: what,
        parents: [],
        files: { "deployment.json": JSON.stringify({ model_name: "pushed", alias, version: v, deployed_at: new Date().toISOString() }) },
      });
      await ws.writeRef(`refs/dw/aliases/pushed/${alias}`, commit);
    }
    // An alias no model served before: nothing to fall back on, so a 503 that says nothing.
    const fresh = await score(base, "/models/pushed@staging/invocations", TEMP_ROW);
    assert.equal(fresh.status, 503, `${what}: ${fresh.text}`);
    assert.doesNotMatch(fresh.text, /null/);
    assertNoStack(fresh.text);
    // The alias that was serving: a model that does not load never replaces the one serving.
    const kept = await score(base, "/models/pushed@production/invocations", TEMP_ROW);
    assert.equal(kept.status, 200, `${what}: ${kept.text}`);
    assert.deepEqual(kept.json.predictions, served.json.predictions);
  }
  await ws.writeRef(ref, good);
  await ws.writeRef("refs/dw/aliases/pushed/production", good);
  assert.equal((await score(base, "/models/pushed@production/invocations", TEMP_ROW)).json.predictions[0], expected);
  const log = await readFile(join(sw.tw.dir, ".dw", "server.log"), "utf8");
  assert.match(log, /fitted parameters cannot be loaded \(params\.coefficients/);
});

test("concurrent deploys to one alias: each caller told the truth, the alias ends where the last record says", async () => {
  const versions: number[] = [];
  for (let i = 0; i < 3; i++) versions.push(ok(await runTool("register_model", { model_id: sw.runs.weatherTree, model_name: "race" }, sw.ctx)).version);
  const results = await Promise.all(versions.map((version) => runTool("deploy_model", { model_name: "race", version, alias: "production" }, sw.ctx)));
  for (const [i, r] of results.entries()) assert.equal(ok(r).version, versions[i]);
  const last = JSON.parse(git("show", "refs/dw/deployments/race/production:deployment.json")).version;
  assert.equal(JSON.parse((await rawRequest(base, { path: "/models/race@production" })).body).version, last);
  assert.equal(git("rev-list", "--count", "refs/dw/deployments/race/production"), "3");
  // Without a version, the newest at the time the lock is held is deployed.
  const v = ok(await runTool("register_model", { model_id: sw.runs.weatherTree, model_name: "race" }, sw.ctx)).version;
  assert.equal(ok(await runTool("deploy_model", { model_name: "race", alias: "production" }, sw.ctx)).version, v);
});

test("client mistakes in the path or the values are 4xx, never 5xx", async () => {
  for (const path of ["/models/%ZZ@production/invocations", "/models/temp@%/invocations", "/models/temp@%E0%A4%A/invocations", "/models/temp/1%/invocations"]) {
    const r = await score(base, path, TEMP_ROW);
    assert.ok(r.status === 400 || r.status === 404, `${path}: ${r.status} ${r.text}`);
    assertNoStack(r.text);
  }
  const tw = (value: unknown) =>
    score(base, "/models/tw@production/invocations", {
      dataframe_split: { columns: ["precipitation", "temp_min", "wind", "weather"], data: [[0, 5, 4.7, value]] },
    });
  for (const value of [{ toString: 1 }, { valueOf: 1 }, [1, 2], { a: { b: 1 } }]) {
    const r = await tw(value);
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.message, /column 'weather': expected text/);
  }
  // Arrays nested 5,000 deep (written out by hand: JSON.stringify itself overflows on them).
  const nested = "[".repeat(5000) + "1" + "]".repeat(5000);
  for (const body of [
    `{"dataframe_split": {"columns": ["precipitation", "temp_min", "wind", "weather"], "data": [[0, 5, 4.7, ${nested}]]}}`,
    `{"dataframe_split": {"columns": ["precipitation", "temp_min", "wind"], "data": [[${nested}, 5, 4.7]]}}`,
    `{"dataframe_records": [{"precipitation": 0, "temp_min": 5, "wind": 4.7, "weather": ${nested}}]}`,
  ]) {
    const r = await score(base, body.includes("weather") ? "/models/tw@production/invocations" : "/models/temp@production/invocations", body);
    assert.equal(r.status, 400, r.text.slice(0, 200));
  }
  assert.equal((await rawRequest(base, { path: "/ping" })).status, 200);
});

test("a body over the limit is answered 413, not a reset connection", async () => {
  const big = Buffer.alloc(17 * 1024 * 1024, 0x20);
  // Declared up front, and streamed without a length: both get the answer.
  const declared = await rawRequest(base, {
    method: "POST",
    path: "/models/temp@production/invocations",
    headers: { "Content-Type": "application/json" },
    body: big,
  });
  assert.equal(declared.status, 413);
  assert.match(JSON.parse(declared.body).message, /larger than 16777216 bytes/);
  const chunked = await rawRequest(base, {
    method: "POST",
    path: "/models/temp@production/invocations",
    headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
    body: big,
  });
  assert.equal(chunked.status, 413);
  // fetch, as a client would use it.
  const viaFetch = await fetch(`${base}/models/temp@production/invocations`, { method: "POST", headers: { "Content-Type": "application/json" }, body: big });
  assert.equal(viaFetch.status, 413);
  assert.equal((await score(base, "/models/temp@production/invocations", TEMP_ROW)).status, 200);
});

test("error answers name the field or position, never what the client sent", async () => {
  const marker = "QZXsecret";
  const cases: [string, string, Record<string, string>?][] = [
    ["/models/temp@production/invocations", `{${marker}`],
    ["/models/temp@production/invocations", `${marker} not json`],
    ["/models/temp@production/invocations", JSON.stringify({ dataframe_split: TEMP_ROW.dataframe_split, [marker]: 1 })],
    ["/models/temp@production/invocations", "{}", { "Content-Type": `text/${marker}` }],
    ["/models/temp@production/invocations", "{}", { "Content-Type": `application/json; ${marker}=1` }],
    [`/models/${marker}${"a".repeat(10_000)}@production/invocations`, JSON.stringify(TEMP_ROW)],
    [`/models/temp@${marker}/invocations`, JSON.stringify(TEMP_ROW)],
    [`/${marker}`, "{}"],
    ["/models/temp@production/invocations", JSON.stringify({ dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: [[marker, 5, 4.7]] } })],
  ];
  for (const [path, body, headers] of cases) {
    const r = await rawRequest(base, { method: "POST", path, body, headers: { "Content-Type": "application/json", ...headers } });
    assert.ok(r.status >= 400 && r.status < 500, `${r.status} ${r.body}`);
    assert.ok(!r.body.includes(marker), r.body);
    assert.ok(r.body.length < 1000, `answer of ${r.body.length} characters`);
    assert.ok(JSON.parse(r.body).message);
  }
});

test("values are cast as MLflow casts them, and what no rule accepts is a 400", async () => {
  const temp = (value: unknown) =>
    score(base, "/models/temp@production/invocations", { dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: [[value, 5, 4.7]] } });
  // Text holding a decimal number is that number; "" and null are missing values, imputed as in training.
  assert.deepEqual((await temp("0")).json.predictions, [expected]);
  assert.deepEqual((await temp(" 0.0 ")).json.predictions, [expected]);
  assert.equal((await temp("")).status, 200);
  assert.equal((await temp(null)).status, 200);
  for (const value of [" ", "0x10", "0b11", "0o7", "1_000", "Infinity", "NaN", "1e999", true, false, [0], { v: 0 }]) {
    const r = await temp(value);
    assert.equal(r.status, 400, `${JSON.stringify(value)}: ${r.text}`);
    assert.match(r.json.message, /Row 0, column 'precipitation': expected a finite number/);
  }
  // Finite inputs at the edge of a double: a finite prediction, or a 400 naming the row when the
  // arithmetic overflows; never a null prediction.
  for (const value of [1e308, -1e308, 1.7976931348623157e308, -1.7976931348623157e308]) {
    for (const row of [
      [value, value, value],
      [0, value, 0],
      [value, 5, -value],
    ]) {
      const r = await score(base, "/models/temp@production/invocations", {
        dataframe_split: { columns: ["precipitation", "temp_min", "wind"], data: [[0, 5, 4.7], row] },
      });
      if (r.status === 200)
        assert.ok(
          r.json.predictions.every((p: unknown) => typeof p === "number" && Number.isFinite(p)),
          r.text,
        );
      else {
        assert.equal(r.status, 400, r.text);
        assert.match(r.json.message, /dataframe_split\.data\[1\]: .*not give a finite number/);
      }
    }
  }
  // A number in a text column is its text (a JSON 3 is the category "3").
  const tw = await score(base, "/models/tw@production/invocations", {
    dataframe_split: { columns: ["precipitation", "temp_min", "wind", "weather"], data: [[0, 5, 4.7, 3]] },
  });
  assert.equal(tw.status, 200);
});

test("only requests addressed to the server's own host names are answered (DNS rebinding)", async () => {
  const port = new URL(base).port;
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, "localhost", `[::1]:${port}`]) {
    assert.equal((await rawRequest(base, { path: "/ping", headers: { Host: host } })).status, 200, host);
  }
  for (const host of [`evil.example:${port}`, "evil.example", "127.0.0.1.evil.example", `[::2]:${port}`, "localhost:abc"]) {
    const r = await rawRequest(base, { path: "/models/temp@production", headers: { Host: host } });
    assert.equal(r.status, 403, host);
    assert.equal(JSON.parse(r.body).error_code, "PERMISSION_DENIED");
  }
});

test("aborted client connections are not logged as internal errors", async () => {
  const { default: net } = await import("node:net");
  const url = new URL(base);
  for (let i = 0; i < 5; i++) {
    await new Promise<void>((resolve) => {
      const s = net.connect(Number(url.port), url.hostname, () => {
        s.write(
          `POST /models/temp@production/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"dataframe_split":`,
        );
        setTimeout(() => {
          s.resetAndDestroy();
          resolve();
        }, 50);
      });
    });
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await rawRequest(base, { path: "/ping" })).status, 200);
  const log = await readFile(join(sw.tw.dir, ".dw", "server.log"), "utf8");
  assert.doesNotMatch(log, /INTERNAL|Error: aborted|ECONNRESET|\n\s+at /);
});

test("the server log is rotated once it passes its size, keeping one old file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-log-"));
  try {
    const file = join(dir, "server.log");
    const log = createServerLog({ file, maxBytes: 1000, write: (text) => appendFileSync(file, text) });
    for (let i = 0; i < 100; i++) log(`line ${i} ${"x".repeat(40)}`);
    const current = await readFile(file, "utf8");
    const old = await readFile(`${file}.1`, "utf8");
    assert.ok(current.length <= 1000 + 80, `${current.length}`);
    assert.match(old, /line \d+/);
    assert.match(current, /line 99 /);
    assert.match(current, /^\d{4}-\d\d-\d\dT[\d:.]+Z line \d+/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a pinned version is not cleared by an alias ref moved by hand while the deployment record names another", async () => {
  ok(await runTool("register_model", { model_id: sw.runs.temp, model_name: "legacy" }, sw.ctx));
  ok(await runTool("deploy_model", { model_name: "legacy", version: 1, alias: "production" }, sw.ctx));
  const v2 = ok(await runTool("register_model", { model_id: sw.runs.temp, model_name: "legacy" }, sw.ctx)).version;
  // What the ungated register_model --alias of older versions left in workspaces: the alias ref moved, no record.
  git("update-ref", "refs/dw/aliases/legacy/production", git("rev-parse", `refs/dw/models/legacy/${v2}`));
  assert.equal(JSON.parse((await rawRequest(base, { path: "/models/legacy@production" })).body).version, 1);
  assert.equal((await score(base, `/models/legacy/${v2}/invocations`, TEMP_ROW)).status, 404);
});

test("an override of the deploy gate given to register_model --alias is recorded as a deployment", async () => {
  await writeFile(join(sw.tw.dir, "dw.policy.yaml"), "governance:\n  deployment:\n    approval_required_aliases: [audited]\n");
  try {
    const blocked = err(await runTool("register_model", { model_id: sw.runs.temp, model_name: "over", alias: "audited" }, sw.ctx));
    assert.match(blocked.hint ?? "", /Do not register the run again.*deploy_model --name over --version 1 --alias audited/);
    const v = ok(
      await runTool(
        "register_model",
        { model_id: sw.runs.temp, model_name: "over", alias: "audited", override_reason: "demo for the board, reviewed in person" },
        sw.ctx,
      ),
    );
    assert.deepEqual(v.aliases, ["audited"]);
    const override = JSON.parse(git("show", "refs/dw/deployments/over/audited:gates/override.json"));
    assert.equal(override.reason, "demo for the board, reviewed in person");
    assert.deepEqual(override.gates, ["governance"]);
    assert.match(git("log", "-1", "--format=%B", "refs/dw/deployments/over/audited"), /Dw-Override: .*demo for the board/);
  } finally {
    await rm(join(sw.tw.dir, "dw.policy.yaml"), { force: true });
  }
});

test("many large bodies at once: past the server's budget a 503, and the server keeps answering", async () => {
  const { default: net } = await import("node:net");
  const url = new URL(base);
  const size = 15 * 1024 * 1024;
  const chunk = Buffer.alloc(size - 1, 0x20);
  // The budget (64 MiB) is per worker process and connections are dealt round-robin: ten 15 MiB
  // bodies put five on each of two workers, past the budget on every one.
  const sockets = Array.from({ length: 10 }, () => {
    const s = net.connect(Number(url.port), url.hostname);
    const got: Buffer[] = [];
    s.on("data", (d) => got.push(d));
    s.on("error", () => undefined);
    s.write(`POST /models/temp@production/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`);
    s.write(chunk);
    return { s, got };
  });
  await new Promise((r) => setTimeout(r, 3000));
  const answers = sockets.map(({ got }) => Buffer.concat(got).toString("utf8"));
  assert.ok(
    answers.some((a) => /^HTTP\/1\.1 503/.test(a) && /too many request bodies at once/.test(a)),
    answers.map((a) => a.slice(0, 40)).join(" | "),
  );
  for (const { s } of sockets) s.destroy();
  assert.equal((await score(base, "/models/temp@production/invocations", TEMP_ROW)).json.predictions[0], expected);
});

test("dw serve on another loopback address answers requests addressed to it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-lo2-"));
  const child = spawn(process.execPath, [join(repoRoot, "bin", "dw.js"), "serve", "--host", "127.0.0.2", "--workspace", dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d;
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    assert.equal((await fetch(`${url}/ping`)).status, 200);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await rm(dir, { recursive: true, force: true });
  }
});
