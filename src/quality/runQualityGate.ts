import type { DomainContext } from "../workspace/DomainContext.js";
import type { Dataset } from "../data/Dataset.js";
import type { GateFinding } from "../policy/GateReport.js";
import { worstStatus } from "../policy/GateReport.js";
import { readDatasetRecord } from "../data/datasetRecords.js";
import { dataVersion, type DataVersion } from "../data/profileCacheKey.js";
import type { ProfileKey } from "../data/profileCache.js";
import { DwError } from "../errors/DwError.js";
import type { ColumnProfile, ProfileRequest, TableProfile } from "./TableProfile.js";
import type { QualityReport } from "./QualityReport.js";
import type { CheckInput } from "./checks/CheckInput.js";
import { cachedTableProfile } from "./cachedTableProfile.js";
import { profileForRequest } from "./profileForRequest.js";
import { readQualityThresholds, type QualityThresholds } from "./qualityPolicy.js";
import { readLastTrainingSnapshot, referenceColumns, type TrainingSnapshot } from "./trainingSnapshot.js";
import { qualityScores } from "./qualityScores.js";
import { nullRateCheck } from "./checks/completeness.js";
import { duplicateRowsCheck } from "./checks/uniqueness.js";
import { outOfRangeCheck, typeMismatchCheck } from "./checks/validity.js";
import { driftCheck, rowCountChangeCheck } from "./checks/consistency.js";
import { freshnessCheck } from "./checks/timeliness.js";
import { classImbalanceCheck, constantColumnCheck, idLikeFeatureCheck, targetLeakageCheck } from "./checks/suitability.js";

/** Every check, in the order the report lists them. */
export const QUALITY_CHECKS = [
  nullRateCheck,
  duplicateRowsCheck,
  typeMismatchCheck,
  outOfRangeCheck,
  rowCountChangeCheck,
  driftCheck,
  freshnessCheck,
  constantColumnCheck,
  idLikeFeatureCheck,
  targetLeakageCheck,
  classImbalanceCheck,
];

export interface QualityGateArgs {
  /** Names the data: its registered dataset, and whose last training snapshot to compare with. */
  datasetId: string;
  /** The data itself, when the caller has it in memory already (train_model); else read by datasetId. */
  ds?: Dataset;
  /**
   * With `ds`: its data version (dataVersion of the record it was read by), so the profile cached
   * for that version on disk is used; without it, a `ds` handed in is profiled once per process.
   */
  version?: DataVersion;
  /** A SQL table or query: profiled inside the database, never pulled row by row. */
  source?: { table?: string; query?: string; connection?: string };
  target?: string;
  features?: string[];
  /** The task training will learn: a regression target is not checked for class imbalance, whatever values it holds. */
  task?: "regression" | "classification";
}

/**
 * The quality gate: profiles the data (in memory, or by aggregate SQL for a SQL source), compares
 * it with the last training snapshot of the same dataset, runs every check against the thresholds
 * of dw.policy.yaml's `quality:` section (defaults where absent) and scores the result by dimension.
 * A failed check is data in the report, not an exception: train_model decides whether it blocks.
 *
 * @example
 * ```ts
 * const report = await runQualityGate(ctx, { datasetId: "weather", target: "weather", features: ["temp_max", "wind"] });
 * report.status; // "pass" | "warn" | "fail"
 * report.scores.dimensions.completeness.score; // 100
 * ```
 */
export async function runQualityGate(ctx: DomainContext, args: QualityGateArgs): Promise<QualityReport> {
  const thresholds = await readQualityThresholds(ctx.workspace);
  const reference = await readLastTrainingSnapshot(ctx.workspace, args.datasetId);
  const request: ProfileRequest = { target: args.target, reference: reference ? referenceColumns(reference.snapshot) : undefined, topK: 10 };
  const started = performance.now();
  let profile: TableProfile;
  let source: "dataset" | "sql";
  if (args.source && !args.ds) {
    // The SQL engines and the dataset reader load only when used: a check answered from the
    // profile cache needs neither, and loading them is most of a CLI call's time.
    const { profileSqlTable } = await import("./profileSqlTable.js");
    profile = await profileSqlTable(ctx, args.source, request);
    source = "sql";
  } else {
    const record = args.ds ? undefined : await readDatasetRecord(ctx.workspace, args.datasetId);
    checkColumns(args.ds ? args.ds.columns.map((c) => c.name) : record!.columns.map((c) => c.name), args, args.datasetId);
    // The data-only profile comes from the cache of its data version; only a reference or a target
    // needs the rows themselves, so a repeated check of unchanged data reads no data at all.
    let read: Promise<Dataset> | undefined;
    const data = () =>
      (read ??= args.ds
        ? Promise.resolve(args.ds)
        : import("../data/readDataset.js").then(async (m) => (await m.readDataset(ctx.workspace, args.datasetId)).ds));
    const key: ProfileKey = record ? { version: dataVersion(ctx.workspace, record) } : args.version ? { version: args.version } : { ds: args.ds! };
    const base = await cachedTableProfile(ctx.workspace, key, data);
    // The record named the columns before any work; the profile is of the data itself, which decides.
    if (record)
      checkColumns(
        base.columns.map((c) => c.name),
        args,
        args.datasetId,
      );
    const needsData = request.target !== undefined || (request.reference?.length ?? 0) > 0;
    profile = needsData ? profileForRequest(await data(), base, request) : base;
    source = "dataset";
  }
  const profiled = performance.now();
  if (source === "sql")
    checkColumns(
      profile.columns.map((c) => c.name),
      args,
      args.datasetId,
    );
  const { input, findings } = evaluateProfile(
    profile,
    { datasetId: args.datasetId, target: args.target, features: args.features, task: args.task },
    thresholds,
    reference,
    ctx.now(),
  );
  const scope = input.scope;
  const scores = qualityScores(input, findings);
  const status = worstStatus(findings.map((f) => f.status));
  const warns = findings.filter((f) => f.status === "warn").length;
  const fails = findings.filter((f) => f.status === "fail").length;
  return {
    gate: "quality",
    status,
    summary: `Quality of '${args.datasetId}' (${profile.rows} rows, ${scope.length} columns${reference ? `, against run ${reference.run_id}` : ""}): ${status}, score ${scores.overall}${fails ? `, ${fails} failed` : ""}${warns ? `, ${warns} warning${warns > 1 ? "s" : ""}` : ""}.`,
    findings,
    checked_at: ctx.now().toISOString(),
    dataset_id: args.datasetId,
    source,
    rows: profile.rows,
    columns_checked: scope,
    ...(args.target ? { target: args.target } : {}),
    scores,
    reference_run: reference?.run_id ?? null,
    thresholds,
    timings_ms: { profile: round1(profiled - started), checks: round1(performance.now() - profiled) },
  };
}

/**
 * Runs every check on a profile: the pure heart of the gate, with the thresholds, the reference
 * and the clock passed in (tests call it with profiles of real data).
 */
export function evaluateProfile(
  profile: TableProfile,
  args: { datasetId: string; target?: string; features?: string[]; task?: "regression" | "classification" },
  thresholds: QualityThresholds,
  reference: { run_id: string; snapshot: TrainingSnapshot } | null,
  now: Date,
): { input: CheckInput; findings: GateFinding[] } {
  const names = profile.columns.map((c) => c.name);
  const byName = new Map<string, ColumnProfile>(profile.columns.map((c) => [c.name, c]));
  const input: CheckInput = {
    profile,
    column: (n) => byName.get(n),
    scope: args.features ? [...args.features, ...(args.target ? [args.target] : [])] : names,
    features: args.features ?? names.filter((n) => n !== args.target),
    featuresNamed: args.features !== undefined,
    target: args.target,
    task: args.task,
    reference: reference ?? undefined,
    thresholds,
    now,
  };
  const findings: GateFinding[] = [];
  if (profile.rows === 0)
    findings.push({ check: "rows", status: "fail", message: `'${args.datasetId}' has no rows: there is nothing to check or train on.`, value: 0 });
  for (const check of QUALITY_CHECKS) findings.push(...check(input));
  return { input, findings };
}

function checkColumns(names: string[], args: QualityGateArgs, datasetId: string): void {
  const known = new Set(names);
  const missing = (field: string, name: string) =>
    new DwError("INVALID_INPUT", `'${datasetId}' has no column '${name}' (${field}).`, {
      hint: `Its columns: ${names.join(", ")}.`,
      details: { field, column: name },
    });
  if (args.target !== undefined && !known.has(args.target)) throw missing("target", args.target);
  for (const f of args.features ?? []) if (!known.has(f)) throw missing("features", f);
  if (args.target !== undefined && args.features?.includes(args.target)) {
    throw new DwError("INVALID_INPUT", `The target '${args.target}' is also listed as a feature.`, {
      hint: "Remove it from features.",
      details: { field: "features" },
    });
  }
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
