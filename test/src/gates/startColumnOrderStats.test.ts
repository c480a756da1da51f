import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";
import { createRandom } from "../../../src/models/random.js";
import { holdoutSplit, shuffledRows } from "../../../src/models/split.js";
import { featureStats } from "../../../src/models/featureStats.js";
import { medianBySelection } from "../../../src/data/statistics.js";
import { describeNumbers } from "../../../src/monitoring/reference/describeNumbers.js";
import { sortedFinite } from "../../../src/monitoring/drift/sortedFinite.js";
import { buildTrainingSnapshot } from "../../../src/quality/trainingSnapshot.js";
import { prepareTrainingData, type TrainingData } from "../../../src/training/prepareTrainingData.js";
import { startColumnOrderStats, type RunColumnStats } from "../../../src/gates/startColumnOrderStats.js";

let tw: TempWorkspace;
let ctx: ToolContext;
let data: TrainingData;
const ROWS = 4000;

before(async () => {
  tw = await makeTempWorkspace("dw-orderstats-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  // Missing values in features and target, zeros of both signs, ties, a text column.
  const rand = createRandom(8);
  const lines = ["a,b,c,t,y"];
  for (let i = 0; i < ROWS; i++) {
    const a = rand() < 0.05 ? "" : String(Math.round((rand() - 0.5) * 1e4) / 100);
    const b = ["0", "-0", "1", "", "2"][Math.floor(rand() * 5)];
    const c = String(rand() * 1e6);
    const t = ["x", "y", ""][Math.floor(rand() * 3)];
    const y = rand() < 0.04 ? "" : String(Math.round(rand() * 1e3) / 10);
    lines.push(`${a},${b},${c},${t},${y}`);
  }
  await writeFile(join(tw.dir, "data", "mixed.csv"), `${lines.join("\n")}\n`);
  ok(await runTool("load_dataset", { path: "data/mixed.csv", dataset_id: "mixed" }, ctx));
  data = await prepareTrainingData(ctx.workspace, { datasetId: "mixed", target: "y", features: ["a", "b", "c", "t"], featuresOption: "--features" });
  // One column in shared memory (as the parallel CSV reader leaves them): the worker shares it instead of a copy.
  const c = data.features.find((f) => f.name === "c");
  assert.ok(c?.type === "number");
  const shared = new Float64Array(new SharedArrayBuffer(c.values.byteLength));
  shared.set(c.values);
  c.values = shared;
});
after(async () => tw.cleanup());

/** What each builder computes alone from the columns, on these training rows. */
function expected(trainRows: Int32Array): RunColumnStats {
  const names = ["a", "b", "c", "y"];
  const snapshot = buildTrainingSnapshot(data.ds, names).columns;
  const column = (name: string) => data.ds.columns.find((c) => c.name === name)!.values as Float64Array;
  const withTarget = (name: string) => Float64Array.from(data.keep, (r) => column(name)[r]);
  return {
    snapshot: new Map(snapshot.flatMap(({ name, type, ...rest }) => (type === "number" && "edges" in rest ? [[name, rest] as const] : []))),
    drift: new Map(names.map((n) => [n, describeNumbers(n, sortedFinite(withTarget(n)), data.keep.length)])),
    stats: new Map(names.map((n) => [n, featureStats(Float64Array.from(trainRows, (r) => column(n)[r]))])),
    medians: new Map(names.map((n) => [n, medianBySelection(Float64Array.from(trainRows, (r) => column(n)[r]).filter((v) => v === v))])),
  };
}

const asObject = (s: RunColumnStats | undefined) =>
  s && {
    snapshot: Object.fromEntries(s.snapshot),
    drift: Object.fromEntries(s.drift),
    stats: Object.fromEntries(s.stats),
    medians: Object.fromEntries(s.medians),
  };

for (const split of [
  { seed: 42, testSize: 0.2 },
  { seed: 7, testSize: 0.25, cvFolds: 3 },
]) {
  const foreseen = () => {
    const shuffled = shuffledRows(data.keep, split.seed);
    return split.cvFolds ? shuffled : holdoutSplit(shuffled, split.testSize).train;
  };

  test(`${split.cvFolds ? "k-fold" : "holdout"}: a worker thread computes what each builder computes alone, and so does the calling thread`, async () => {
    const trainRows = foreseen();
    const want = asObject(expected(trainRows));
    for (const options of [{ workers: 1, minValues: 0 }, { workers: 0 }]) {
      const job = startColumnOrderStats(data, split, options);
      try {
        assert.deepEqual(asObject(await job.take(trainRows)), want, JSON.stringify(options));
      } finally {
        job.cancel();
      }
    }
  });

  test(`${split.cvFolds ? "k-fold" : "holdout"}: a fit on other rows than foreseen gets no reference stats from the worker, and the rest still`, async () => {
    const other = foreseen().reverse();
    const job = startColumnOrderStats(data, split, { workers: 1, minValues: 0 });
    try {
      const got = asObject(await job.take(other));
      const want = asObject(expected(other));
      assert.deepEqual(got?.snapshot, want?.snapshot);
      assert.deepEqual(got?.drift, want?.drift);
      assert.deepEqual(got?.stats, {});
      assert.deepEqual(got?.medians, {});
    } finally {
      job.cancel();
    }
  });
}

test("a cancelled job ends its worker; taking it then computes on the calling thread", async () => {
  const trainRows = holdoutSplit(shuffledRows(data.keep, 42), 0.2).train;
  const job = startColumnOrderStats(data, { seed: 42, testSize: 0.2 }, { workers: 1, minValues: 0 });
  job.cancel();
  assert.deepEqual(asObject(await job.take(trainRows)), asObject(expected(trainRows)));
});
