// A model.json is data (issue 13): a hostile model.json that reaches an alias by a push (written
// here straight through git refs, as a teammate's push would bring it) is refused by the real
// `dw serve` with a 503 that says nothing of why, the server goes on serving its other models,
// and its log names the cause.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { openWorkspace, runTool } from "../../../src/index.js";
import { aliasRef, modelVersionRef } from "../../../src/registry/refs.js";
import { ok } from "../../helpers/results.js";
import { servedWorkspace, score, assertNoStack, TEMP_ROW, type ServedWorkspace } from "./serverFixture.js";

let sw: ServedWorkspace;
let expected: number;

before(async () => {
  sw = await servedWorkspace();
  const r = await score(sw.base, "/models/temp@production/invocations", TEMP_ROW);
  assert.equal(r.status, 200, r.text);
  expected = r.json.predictions[0];
});
after(async () => sw.tw.cleanup());

/** A row for the `tw` tree (it also reads the text column weather). */
const TREE_ROW = { dataframe_split: { columns: ["precipitation", "temp_min", "wind", "weather"], data: [[0, 5, 4.7, "sun"]] } };

type Json = Record<string, any>;

/**
 * Hostile versions of the real tree model's model.json: each a change to its text, and the words
 * the server's log must use for it.
 */
const HOSTILE: [name: string, spoil: (text: string, m: Json) => string, cause: RegExp][] = [
  [
    "deep",
    (t) => t.replace('"hyperparameters": {', `"hyperparameters": {"x": ${"[".repeat(1_000_000)}${"]".repeat(1_000_000)},`),
    /nest deeper than 32 levels/,
  ],
  [
    "cycle",
    (_, m) => {
      const t = m.params.model.trees[0];
      const split = t.feature.findIndex((f: number, i: number) => i > 0 && f >= 0);
      t.left[split] = 0;
      return JSON.stringify(m);
    },
    /params\.model\.trees\[0\]\.left\[\d+\]: node \d+ has a bad feature or child index/,
  ],
  [
    "infinite",
    (_, m) => {
      m.params.model.trees[0].threshold[0] = 123456.25;
      return JSON.stringify(m).replace("123456.25", "1e999");
    },
    /params\.model\.trees\[0\]\.threshold\[0\]: node 0 has a threshold, gain or count that is not a finite number/,
  ],
  [
    "claims",
    (_, m) => {
      m.params.model.nFeatures = 1e12;
      return JSON.stringify(m);
    },
    /params\.model\.nFeatures: expected \d+, one per matrix column/,
  ],
  [
    "giant",
    (_, m) => {
      m.target = "t".repeat(1 << 20);
      return JSON.stringify(m);
    },
    /a string longer than 65536 characters starts at line 1/,
  ],
  [
    "pipeline",
    (_, m) => {
      m.preprocessing.feature_names.push("extra");
      return JSON.stringify(m);
    },
    /preprocessing\.feature_names: expected \d+ names, one per matrix column the steps produce/,
  ],
];

test("a hostile model.json pushed as a registered version behind an alias is a 503 with no detail, and the server keeps serving the others", async () => {
  const ws = await openWorkspace(sw.tw.dir);
  for (const [what, spoil, cause] of HOSTILE) {
    const name = `hostile-${what}`;
    // A real registration of the real tree model, then its model.json replaced as a push would
    // replace it: the version ref names the hostile commit, and the alias names that same commit.
    const version = ok(await runTool("register_model", { model_id: sw.runs.weatherTree, model_name: name }, sw.ctx)).version;
    const ref = modelVersionRef(name, version);
    const good = (await ws.readRef(ref))!;
    const text = (await ws.readText(good, "model.json"))!;
    const hostile = spoil(text, JSON.parse(text));
    assert.notEqual(hostile, text, what);
    const commit = await ws.commit({ ref, message: `hostile: ${what}`, base: good, parents: [good], files: { "model.json": hostile } });
    await ws.writeRef(aliasRef(name, "production"), commit);

    const r = await score(sw.base, `/models/${name}@production/invocations`, TREE_ROW);
    assert.equal(r.status, 503, `${what}: ${r.text.slice(0, 300)}`);
    assert.equal(r.json.error_code, "TEMPORARILY_UNAVAILABLE", what);
    // No detail: nothing of the cause, the file or the model's fields reaches the client.
    assert.doesNotMatch(r.text, /nest|params|threshold|feature|preprocessing|target|string longer|hyperparameters|1e999/, what);
    assertNoStack(r.text);
    // Asked again, the same answer (the failure is remembered, not parsed again).
    assert.equal((await score(sw.base, `/models/${name}@production/invocations`, TREE_ROW)).status, 503, what);

    // The server keeps serving: both models it served before answer as before.
    const temp = await score(sw.base, "/models/temp@production/invocations", TEMP_ROW);
    assert.equal(temp.status, 200, `${what}: ${temp.text}`);
    assert.equal(temp.json.predictions[0], expected, what);
    assert.equal((await score(sw.base, "/models/tw@production/invocations", TREE_ROW)).status, 200, what);

    const log = await readFile(join(sw.tw.dir, ".dw", "server.log"), "utf8");
    const line = log
      .split("\n")
      .find((l) => l.includes(`cannot serve refs/dw/aliases/${name}/production`) || l.includes(`cannot serve refs/dw/models/${name}/`));
    assert.ok(line, `${what}: the log has no line for ${name}:\n${log.slice(-2000)}`);
    assert.match(line, cause, what);
    assert.ok(line.length < 2000, `${what}: a log line of ${line.length} characters`);
  }
});
