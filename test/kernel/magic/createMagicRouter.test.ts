import { test } from "node:test";
import assert from "node:assert/strict";
import { createMagicRouter } from "../../../kernel/magic/createMagicRouter.js";
import { parseMagicLine } from "../../../kernel/magic/parseMagicLine.js";
import { fakeTrain } from "../../src/adapters/fakeTool.js";

function router(scope: Record<string, unknown> = {}) {
  const calls: [string, Record<string, unknown>][] = [];
  const help: string[] = [];
  const r = createMagicRouter({
    tools: [fakeTrain],
    scope: () => scope,
    callTool: async (name, input) => (calls.push([name, input]), { ok: name }),
    showHelp: (text) => void help.push(text),
  });
  return { r, calls, help };
}

test("a magic line calls the tool with the coerced input and returns its output", async () => {
  const { r, calls } = router({ w: { dataset_id: "d" } });
  assert.deepEqual(await r.magic(1, "%dw fake_train --data w --target y"), { ok: "fake_train" });
  assert.deepEqual(calls, [["fake_train", { dataset_id: "d", target: "y" }]]);
});

test("%%dw bodies: JSON, or key: value lines coerced like flags, merged with the header", async () => {
  const { r, calls } = router({ w: { dataset_id: "d" } });
  await r.cellMagic(" fake_train --target y", '{"dataset_id": "j", "seed": 3}');
  await r.cellMagic(" fake_train", "# a comment\ndata: w\ntarget: 'temp max'\nfeatures: a, b\n\nseed: 5");
  assert.deepEqual(calls, [
    ["fake_train", { target: "y", dataset_id: "j", seed: 3 }],
    ["fake_train", { dataset_id: "d", target: "temp max", features: ["a", "b"], seed: 5 }],
  ]);
  await assert.rejects(r.cellMagic(" fake_train --target y", "target: z"), /target is given both on the %%dw line and in the body/);
  await assert.rejects(r.cellMagic(" fake_train", "nope: 1"), /line 2: fake_train has no field 'nope'/);
  await assert.rejects(r.cellMagic(" fake_train", "{ not json"), /not valid JSON/);
  await assert.rejects(r.cellMagic(" fake_train", "just words"), /is not 'key: value'/);
});

test("unknown tools suggest the nearest name; validate checks flags before the cell runs", () => {
  const { r } = router();
  assert.throws(() => r.validate(parseMagicLine("%dw fake_trian")), /unknown tool 'fake_trian'\. Did you mean 'fake_train'\? Tools: fake_train/);
  assert.throws(() => r.validate(parseMagicLine("%dw fake_train --bogus 1")), /has no flag --bogus/);
  assert.throws(() => r.validate(parseMagicLine("%dw help nope")), /unknown tool 'nope'/);
  assert.doesNotThrow(() => r.validate(parseMagicLine("%dw fake_train --data weather --target y")));
});

test("help lists the tools, or one tool's flags from its schema", async () => {
  const { r, help, calls } = router();
  await r.magic(1, "%dw help");
  await r.magic(1, "%dw help fake_train");
  await r.magic(1, "%dw fake_train --help");
  assert.equal(calls.length, 0);
  assert.match(help[0], /fake_train\s+A stand-in for train_model\./);
  assert.match(help[1], /%dw fake_train <dataset_id> --target <string>/);
  assert.match(help[1], /--dataset_id, --data <string>\s+required, or the bare value\. The dataset\./);
  assert.match(help[1], /--algorithm linear_regression\|ridge\s+optional, default "linear_regression"/);
  assert.match(help[1], /await dw\.fakeTrain\(\{ dataset_id: …, target: … \}\)/);
  assert.equal(help[2], help[1]);
});
