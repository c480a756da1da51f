import { createHash } from "node:crypto";
import { DwError } from "../errors/DwError.js";
import type { DomainContext } from "../workspace/DomainContext.js";
import { parseDocument } from "../workspace/parseDocument.js";
import { modelJsonText } from "../models/modelJsonText.js";
import type { ModelJson } from "../models/ModelJson.js";
import type { DataManifest, RunMetrics } from "../runs/RunRecord.js";
import { IN_DATABASE_PATH, InDatabaseRun } from "../training/inDatabase/InDatabaseRun.js";
import { trainLinearInDatabase } from "../training/inDatabase/trainLinearInDatabase.js";
import { inDatabaseModelJson } from "../training/inDatabase/inDatabaseModelJson.js";
import { inDatabaseDataSha256 } from "../training/inDatabase/inDatabaseDataSha256.js";
import type { Difference, MetricComparison, ReproduceOutcome } from "./ReproduceOutcome.js";

/** What reproduceRun read from an in-database run's commit. */
export interface StoredInDatabaseRun {
  runId: string;
  commit: string;
  label: string;
  recordText: string;
  manifest: DataManifest;
  metrics: RunMetrics;
  modelText: string;
  json: ModelJson;
  createdAt: Date;
}

/**
 * Reproduces a linear regression trained inside a database by running its SQL again
 * (trainLinearInDatabase with the recorded source, connection, target, features, seed, test_size
 * and l2) and building model.json as train_model built it, with the stored run id and time. The
 * same bytes is `identical`; otherwise every number of model.json and of the metrics is compared
 * within the recorded relative tolerance (data/in_database.json `tolerance`, 1e-9), because DuckDB
 * sums in parallel in an order that may change between runs, and the verdict says which it was,
 * with the largest relative difference. A changed table (another fingerprint) is a data difference.
 *
 * @example
 * ```ts
 * const out = await reproduceInDatabase(ctx, stored, environment);
 * out.verdict; // "Within tolerance: the SQL ran again in duckdb v1.5.6; …"
 * ```
 */
export async function reproduceInDatabase(
  ctx: DomainContext,
  stored: StoredInDatabaseRun,
  environment: ReproduceOutcome["environment"],
): Promise<ReproduceOutcome> {
  const rec = parseDocument(InDatabaseRun, stored.recordText, {
    label: `${IN_DATABASE_PATH} of ${stored.label} is not one dw wrote`,
    hint: "Reproduce the run as train_model committed it; an edited record cannot be run again.",
    details: { field: "model_id", commit: stored.commit, file: IN_DATABASE_PATH },
  });
  if (rec.connection_redacted) {
    throw new DwError(
      "INVALID_INPUT",
      `${stored.label} was trained on ${rec.connection}, whose password is not recorded: its SQL cannot run again from the commit alone.`,
      {
        hint: "Train with a named connection (DW_CONNECTION_<NAME> holding the URL), which the run records by name and reproduce_run can use.",
        details: { field: "model_id", connection: rec.connection },
      },
    );
  }
  const fit = await trainLinearInDatabase(ctx, {
    source: { ...rec.source, connection: rec.connection },
    target: rec.target,
    features: rec.features,
    testSize: rec.test_size,
    seed: rec.seed,
    l2: rec.l2,
    recordedSplit: { run: stored.label, hash: rec.split.hash, row_hash: rec.split.row_hash },
  });
  const sha256 = inDatabaseDataSha256({
    engine: fit.engine,
    source: rec.source,
    rows: { ...fit.rows, total: fit.fingerprint.rows },
    fingerprint: { row_hash_sum: fit.fingerprint.row_hash_sum, seed: rec.seed },
  });
  const json = stored.json;
  const model = inDatabaseModelJson(fit, {
    target: rec.target,
    datasetId: json.training_data.dataset_id,
    sha256,
    hyperparameters: json.hyperparameters,
    runId: json.run_id,
    now: stored.createdAt,
  });
  const rebuiltText = modelJsonText(model);
  const sameBytes = rebuiltText === stored.modelText;
  const rebuiltMetrics: Record<string, number> = { ...fit.metrics };
  const metrics: MetricComparison[] = [
    ...new Set([...Object.keys(stored.metrics).filter((k) => k !== "confusion_matrix"), ...Object.keys(rebuiltMetrics)]),
  ].map((name) => {
    const s = stored.metrics[name];
    const a = typeof s === "number" ? s : null;
    const b = name in rebuiltMetrics ? rebuiltMetrics[name] : null;
    return { name, stored: a, rebuilt: b, equal: a !== null && b !== null && Object.is(a, b) };
  });
  const identical = sameBytes && metrics.every((m) => m.equal);

  const differences: Difference[] = [];
  if (sha256 !== stored.manifest.sha256) {
    differences.push({
      kind: "data",
      path: "data/manifest.json sha256",
      stored: stored.manifest.sha256,
      rebuilt: sha256,
      message: `The source's content changed since the run: ${rec.rows.total} rows with row-hash sum ${rec.fingerprint.row_hash_sum} then, ${fit.fingerprint.rows} rows with ${fit.fingerprint.row_hash_sum} now.`,
    });
  }
  // Every number within the tolerance, every other value equal: the same model up to DuckDB's summation order.
  const off: { path: string; stored: unknown; rebuilt: unknown; relative: number }[] = [];
  let largest = 0;
  const walk = (a: unknown, b: unknown, path: string) => {
    if (typeof a === "number" && typeof b === "number") {
      const rel = a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
      largest = Math.max(largest, rel);
      if (!(rel <= rec.tolerance)) off.push({ path, stored: a, rebuilt: b, relative: rel });
    } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      for (let i = 0; i < a.length; i++) walk(a[i], b[i], `${path}[${i}]`);
    } else if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
      const ka = Object.keys(a);
      const kb = Object.keys(b);
      if (ka.join("\0") !== kb.join("\0")) off.push({ path: path || "model.json", stored: ka, rebuilt: kb, relative: Infinity });
      else for (const k of ka) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    } else if (!Object.is(a, b)) off.push({ path, stored: a, rebuilt: b, relative: Infinity });
  };
  const storedDoc: unknown = JSON.parse(stored.modelText);
  // The data's fingerprint is compared above; the rest of model.json number by number.
  walk(withoutSha(storedDoc), withoutSha(JSON.parse(rebuiltText)), "");
  for (const m of metrics) walk(m.stored, m.rebuilt, `metrics.${m.name}`);
  for (const o of off) {
    differences.push({
      kind: o.path.startsWith("metrics.") ? "metric" : "model",
      path: o.path,
      stored: o.stored,
      rebuilt: o.rebuilt,
      message: Number.isFinite(o.relative)
        ? `${o.path}: stored ${String(o.stored)}, rebuilt ${String(o.rebuilt)}, a relative difference of ${o.relative.toExponential(2)}, above the tolerance ${rec.tolerance}.`
        : `${o.path}: stored ${JSON.stringify(o.stored)}, rebuilt ${JSON.stringify(o.rebuilt)}.`,
    });
  }
  const within = differences.length === 0;
  const where = `the SQL ran again in ${fit.engine} ${fit.engineVersion}${fit.engineVersion === rec.engine_version ? "" : ` (the run used ${rec.engine_version})`}`;
  const verdict = identical
    ? `Same bytes: ${where}; model.json sha256 ${sha(stored.modelText)}, ${metrics.length} metrics equal to the last digit.`
    : within
      ? `Within tolerance: ${where} on the same data (fingerprint equal); every number of model.json and the metrics is within a relative ${rec.tolerance} of the run's (largest ${largest.toExponential(2)}): ${fit.engine === "duckdb" ? "DuckDB sums in parallel, in an order that can change the last digits" : "the engine's sums can round differently"}, so the bytes differ.`
      : `Not the same: ${differences.length} difference${differences.length === 1 ? "" : "s"} beyond the tolerance ${rec.tolerance}; first: ${differences[0].message}`;
  if (!identical) {
    for (const c of environment.changes) {
      differences.push({
        kind: "environment",
        path: c.field,
        stored: c.stored,
        rebuilt: c.current,
        message: `The run was trained with ${c.field} ${JSON.stringify(c.stored)}; this machine has ${JSON.stringify(c.current)}.`,
      });
    }
  }
  return {
    identical,
    verdict,
    run_id: stored.runId,
    commit: stored.commit,
    model_json: {
      stored_sha256: sha(stored.modelText),
      rebuilt_sha256: sha(rebuiltText),
      bytes: Buffer.byteLength(stored.modelText),
      rebuilt_bytes: Buffer.byteLength(rebuiltText),
    },
    metrics,
    differences,
    data: { dataset_id: stored.manifest.dataset_id, sha256: stored.manifest.sha256, found_in: "source", source: stored.manifest.source },
    environment,
    tolerance: { relative: rec.tolerance, within, largest_relative: largest },
  };
}

function withoutSha(doc: unknown): unknown {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return doc;
  const d = doc as Record<string, unknown>;
  const td = d.training_data;
  if (td === null || typeof td !== "object" || Array.isArray(td)) return doc;
  return { ...d, training_data: { ...(td as Record<string, unknown>), sha256: "" } };
}

function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
