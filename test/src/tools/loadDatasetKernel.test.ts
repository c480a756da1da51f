import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tableFromArrays } from "apache-arrow";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { DwError, tools } from "../../../src/index.js";
import { createBridge } from "../../../kernel/createBridge.js";
import { createToolCaller } from "../../../kernel/createToolCaller.js";
import { createResultRegistry } from "../../../kernel/display.js";

let tw: TempWorkspace;

before(async () => {
  tw = await makeTempWorkspace();
});
after(async () => tw.cleanup());

/** The kernel's two ways in, wired as the kernel wires them (createBridge over the real tool caller), minus the Jupyter protocol; `scope` are the cell's variables. */
function kernel(scope: Record<string, unknown>) {
  const caller = createToolCaller({
    cwd: () => tw.dir,
    currentCell: () => undefined,
    env: {},
    results: createResultRegistry(),
    onStateChange: () => undefined,
  });
  const { router: r, dw } = createBridge({ tools, caller, locals: () => scope, display: () => undefined });
  // The router returns what the tool returned; a magic line's value is untyped in a cell too.
  const router = { magic: async (line: number, source: string) => (await r.magic(line, source)) as Record<string, any> };
  return { router, dw };
}

test("%dw load_dataset --data VAR takes the kernel variable's records, columns or Arrow table as they are", async () => {
  const records = [
    { city: "Oslo", temp: 3.5, at: new Date("2024-01-01T00:00:00Z") },
    { city: "Lima", temp: 22, at: new Date("2024-01-02T00:00:00Z") },
  ];
  const table = tableFromArrays({ n: new Float64Array([1, 2, 3]) });
  const { router } = kernel({ records, cols: { a: [1, 2], b: [true, false] }, table });
  const out = await router.magic(1, "%dw load_dataset --data records --dataset_id cities --tags kernel,demo");
  assert.equal(out.format, "arrow");
  assert.deepEqual(out.tags, ["kernel", "demo"]);
  assert.deepEqual(out.preview, [
    { city: "Oslo", temp: 3.5, at: "2024-01-01T00:00:00Z" },
    { city: "Lima", temp: 22, at: "2024-01-02T00:00:00Z" },
  ]);
  assert.deepEqual((await router.magic(1, "%dw load_dataset --data cols")).preview, [
    { a: 1, b: true },
    { a: 2, b: false },
  ]);
  assert.equal((await router.magic(1, "%dw load_dataset --data table")).rows, 3);
  // A JSON literal works as well as a variable.
  assert.deepEqual((await router.magic(1, `%dw load_dataset --data '[{"x": 1}]'`)).preview, [{ x: 1 }]);
  // A name that is not a variable is not silently taken as data.
  await assert.rejects(router.magic(1, "%dw load_dataset --data undefinedThing"), /data holds the text 'undefinedThing'/);
  // The positional is still the path.
  assert.equal((await router.magic(1, "%dw load_dataset data/seattle-weather.csv")).rows, 1461);
});

test("dw.loadDataset({ data }) takes an array from the cell; a failure throws a DwError the cell can catch", async () => {
  const { dw } = kernel({});
  const arr = Array.from({ length: 1000 }, (_, i) => ({ i, even: i % 2 === 0, label: `l${i % 3}` }));
  const out = await dw.loadDataset({ data: arr, dataset_id: "arr" });
  assert.equal(out.rows, 1000);
  assert.deepEqual(
    (out.columns as { name: string; type: string }[]).map((c) => [c.name, c.type]),
    [
      ["i", "number"],
      ["even", "boolean"],
      ["label", "string"],
    ],
  );
  const stats = await dw.getFeatureStats({ dataset_id: "arr", columns: ["i"] });
  assert.equal((stats.columns as { mean: number }[])[0].mean, 499.5);
  await assert.rejects(dw.loadDataset({ data: { a: [1], b: [] } }), (e: unknown) => e instanceof DwError && e.code === "INVALID_INPUT");
});
