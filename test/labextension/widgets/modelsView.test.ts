import { test } from "node:test";
import assert from "node:assert/strict";
import { aliasChoices, aliasMoveView, lineageView, modelCardView, readModelVersions } from "../../../labextension/src/widgets/modelsView.js";

// The Models panel's model card, lineage and alias move, from get_model_versions' and
// get_lineage's answers shaped as the tools give them.

const sha = "0845078a290b48e3149ab8639966824110a251db4e06fc144c06ebb534af23be";
const v2 = {
  version: 2,
  model_id: "run-b",
  run_id: "run-b",
  commit: "a".repeat(40),
  aliases: ["production"],
  algorithm: "random_forest",
  task: "regression",
  target: "temp_max",
  features: ["precipitation", "temp_min", "wind"],
  dataset_id: "seattle-weather",
  data_sha256: sha,
  metrics: { r2: 0.8123456, rmse: 2.5 },
  registered_at: "2026-12-04T14:00:00.000Z",
  description: "daily max temperature",
};
const versions = { model_name: "temp", total_versions: 1, aliases: { production: 2 }, versions: [v2] };

test("a version's model card names its task, algorithm, features, metrics, data, run and registration", () => {
  const read = readModelVersions(versions);
  assert.ok(read.ok);
  const card = modelCardView(read.value.get(2)!);
  assert.deepEqual(
    card.map((f) => [f.label, f.value]),
    [
      ["description", "daily max temperature"],
      ["task", "regression, target temp_max"],
      ["algorithm", "random_forest"],
      ["features", "precipitation, temp_min, wind"],
      ["metrics", "r2 0.812 · rmse 2.50"],
      ["data", "seattle-weather · sha256 0845078a290b"],
      ["run", "run-b"],
      ["registered", "2026-12-04 14:00"],
    ],
  );
  assert.equal(card.find((f) => f.label === "data")?.title, sha);
});

test("an answer the panel cannot read names the tool and the field", () => {
  const read = readModelVersions({ model_name: "temp", versions: [{ ...v2, features: "wind" }] });
  assert.equal(read.ok, false);
  assert.match(!read.ok ? read.message : "", /^get_model_versions .*versions\.0\.features/);
});

test("lineage says whether the dataset still holds the data, and what else was trained on it", () => {
  const lineage = {
    sha256: sha,
    versions: [
      {
        sha256: sha,
        datasets: ["seattle-weather"],
        runs: [
          { run_id: "run-a", models: [{ model_name: "temp", version: 1 }] },
          { run_id: "run-b", models: [{ model_name: "temp", version: 2 }] },
          { run_id: "run-c", models: [] },
        ],
      },
    ],
    runs: 3,
    models: 2,
  };
  assert.deepEqual(lineageView(lineage, v2), {
    ok: true,
    value: ["Trained on the current content of seattle-weather.", "2 other runs used the same data; registered as temp v1."],
  });
  const reloaded = { ...lineage, versions: [{ ...lineage.versions[0], datasets: [], runs: [lineage.versions[0].runs[1]] }] };
  assert.deepEqual(lineageView(reloaded, v2), {
    ok: true,
    value: ["Trained on an earlier content of seattle-weather: the dataset has been reloaded since.", "No other run used this data."],
  });
});

test("moving an alias confirms where it goes from and to; one already there is nothing to do", () => {
  const model = { name: "temp", aliases: { production: 1 } };
  assert.deepEqual(aliasMoveView(model, 2, " @production "), {
    ok: true,
    input: { model_name: "temp", version: 2, alias: "production" },
    confirm: "Move @production of temp from v1 to v2? Requests to temp@production will be answered by v2; the deploy gate runs first.",
  });
  const fresh = aliasMoveView(model, 2, "staging");
  assert.ok(fresh.ok);
  assert.match(fresh.ok ? fresh.confirm : "", /^Point the new alias @staging of temp at v2\?/);
  assert.deepEqual(aliasMoveView(model, 1, "production"), { ok: false, message: "@production already points at v1." });
  assert.deepEqual(aliasMoveView(model, 1, "  "), { ok: false, message: "Name the alias to move, e.g. production or staging." });
  assert.deepEqual(aliasChoices({ canary: 1, production: 2 }), ["canary", "production", "staging"]);
});
