import type { DomainContext } from "../workspace/DomainContext.js";
import { DwError, isDwError } from "../errors/DwError.js";
import { checkAlias, checkModelName } from "../workspace/refNames.js";
import { deploymentRef } from "../registry/refs.js";
import { lastDeployment } from "../registry/readRegistry.js";
import { findModelVersion } from "../governance/review/findModelVersion.js";
import { governanceGateForDeploy } from "../governance/policy/governanceGateForDeploy.js";
import { defaultReviewer } from "../governance/review/recordReview.js";
import { enforceGates } from "../gates/enforceGates.js";
import { MODEL_JSON_LIMITS } from "../models/modelJsonLimits.js";
import { loadModel, scoreModel } from "../models/scoreModel.js";
import { exampleRow } from "../models/exampleRow.js";
import { AB_ALPHA, type AbArm, type AbMetric, type AbTest, armGateFile, armOverrideFile, defaultAbMetric, metricsFor } from "../monitoring/abtest/AbTest.js";
import { readAbTest } from "../monitoring/abtest/readAbTest.js";
import { recordAbTest } from "../monitoring/abtest/recordAbTest.js";
import { finishInterruptedMove } from "./moveServedAlias.js";

/** An A/B test as started or changed: its state, the commit and whether it was a change of a running test. */
export interface StartedAbTest {
  test: AbTest;
  commit: string;
  ref: string;
  changed: boolean;
}

/**
 * Starts an A/B test behind a deployed alias, or changes the arms or weights of the one running
 * there, as ab_test_models does: under the workspace lock, each arm's version goes through the
 * deploy gate deploy_model runs for that alias (governanceGateForDeploy; a failure blocks every
 * arm unless `overrideReason`, which is recorded), is loaded and scored on an example row, and then
 * the test is committed on refs/dw/abtests/<name>/<alias> with each arm's gate report. The server
 * splits the alias's traffic from the next request on (src/server/servedModels.ts), and only while
 * the alias's last deployment is the one the test started on. A change keeps the start time (and
 * so the assignment of keys, except where weights moved). Arms are distinct versions, two or more.
 *
 * @example
 * ```ts
 * const s = await startAbTest(ctx, { model: "churn", alias: "production", arms: [{ version: 3, weight: 1 }, { version: 4, weight: 1 }], minSampleSize: 200, durationHours: 72 });
 * s.test.status; // "running"
 * ```
 */
export async function startAbTest(
  ctx: DomainContext,
  args: {
    model: string;
    alias: string;
    arms: { version: number; weight: number }[];
    metric?: AbMetric;
    minSampleSize: number;
    durationHours: number | null;
    overrideReason?: string;
    /** Hashed with each key to pick its arm (default: the alias and the start time). */
    assignmentSeed?: string;
  },
): Promise<StartedAbTest> {
  checkModelName(args.model);
  checkAlias(args.alias);
  const versions = args.arms.map((a) => a.version);
  if (args.arms.length < 2) throw new DwError("INVALID_INPUT", "An A/B test needs two arms or more.", { details: { field: "arms" } });
  if (new Set(versions).size !== versions.length) {
    throw new DwError("INVALID_INPUT", `Each arm must be another version; the arms name ${versions.map((v) => `v${v}`).join(", ")}.`, {
      hint: "Results are counted per version (the inference log records which version answered), so one version cannot be two arms.",
      details: { field: "arms" },
    });
  }
  const ws = ctx.workspace;
  const by = await defaultReviewer(ws);
  return ws.withLock(async () => {
    const now = ctx.now();
    await finishInterruptedMove(ws, args.model, args.alias);
    const deployed = await lastDeployment(ws, args.model, args.alias);
    if (deployed?.kind !== "deployed") {
      throw new DwError("NOT_FOUND", `${args.model}@${args.alias} is not deployed, so no A/B test can run behind it.`, {
        hint: `Deploy a version there first: %dw deploy_model --name ${args.model} --alias ${args.alias}`,
        details: { field: "alias" },
      });
    }
    const deployment = (await ws.readRef(deploymentRef(args.model, args.alias)))!;

    const infos = [];
    for (const v of versions) infos.push(await findModelVersion(ws, args.model, v));
    const tasks = new Set(infos.map((i) => (i.run.task === "classification" ? "classification" : "regression")));
    if (tasks.size > 1) {
      throw new DwError("INVALID_INPUT", `The arms mix classifiers and regressors (${infos.map((i) => `v${i.version}: ${i.run.task}`).join(", ")}).`, {
        hint: "Compare versions that predict the same target the same way.",
        details: { field: "arms" },
      });
    }
    const task = [...tasks][0] as "classification" | "regression";
    const metric = args.metric ?? defaultAbMetric(task);
    if (!metricsFor(task).includes(metric)) {
      throw new DwError("INVALID_INPUT", `metric '${metric}' does not fit a ${task} model; use ${metricsFor(task).join(" or ")}.`, {
        details: { field: "metric" },
      });
    }

    // Every arm's gate runs before anything is decided, so one answer names every arm that fails.
    const files: Record<string, string> = {};
    const arms: AbArm[] = [];
    const blocked: { version: number; error: DwError }[] = [];
    for (const [i, info] of infos.entries()) {
      const report = await governanceGateForDeploy(ctx, { model: args.model, version: info.version, alias: args.alias });
      try {
        const gated = enforceGates("deploy_model", [report], { reason: args.overrideReason, by, at: now });
        for (const [path, text] of Object.entries(gated.files)) {
          if (path === "gates/governance.json") files[armGateFile(info.version)] = text;
          if (path === "gates/override.json") files[armOverrideFile(info.version)] = text;
        }
        arms.push({
          version: info.version,
          weight: args.arms[i].weight,
          gate: { status: report.status, decision: report.decision, overridden: gated.override !== undefined },
        });
      } catch (e) {
        if (!(isDwError(e) && e.code === "GATE_FAILED")) throw e;
        blocked.push({ version: info.version, error: e });
      }
    }
    if (blocked.length) {
      throw new DwError(
        "GATE_FAILED",
        `The A/B test was not started: only versions that pass the deploy gate for ${args.alias} may serve there. ${blocked.map((b) => `v${b.version}: ${b.error.message}`).join(" ")}`,
        {
          hint: 'Fix what the reports name, or pass override_reason "<why this is acceptable>"; the override is recorded in the test\'s commit with the reports.',
          details: { blocked: blocked.map((b) => ({ version: b.version, ...b.error.details })) },
        },
      );
    }
    for (const info of infos) await loadAndWarm(ws, info.commit, `${args.model} v${info.version}`);

    const previous = await readAbTest(ws, args.model, args.alias);
    const running = previous?.test.status === "running" && previous.test.deployment === deployment ? previous.test : null;
    // A running test keeps its salt: a new one would move every client to another arm mid-test.
    if (running && args.assignmentSeed !== undefined && args.assignmentSeed !== (running.assignment_seed ?? undefined)) {
      throw new DwError(
        "INVALID_INPUT",
        `The A/B test on ${args.model}@${args.alias} is running with ${running.assignment_seed ? `assignment_seed '${running.assignment_seed}'` : "the default assignment (no seed)"}; a new seed would move every client to another arm mid-test.`,
        {
          hint: "Change arms or weights without assignment_seed, or stop the test and start a new one with the seed.",
          details: { field: "assignment_seed" },
        },
      );
    }
    const test: AbTest = {
      model_name: args.model,
      alias: args.alias,
      status: "running",
      task,
      arms,
      metric,
      min_sample_size: args.minSampleSize,
      duration_hours: args.durationHours,
      alpha: AB_ALPHA,
      started_at: running?.started_at ?? now.toISOString(),
      started_by: running?.started_by ?? by,
      assignment_seed: args.assignmentSeed ?? running?.assignment_seed ?? null,
      changed_at: running ? now.toISOString() : null,
      deployment,
      base_version: running?.base_version ?? deployed.version,
      ended: null,
    };
    const split = arms.map((a) => `v${a.version} ${a.weight}`).join(" / ");
    const { commit, ref } = await recordAbTest(ws, {
      test,
      parent: previous?.commit ?? null,
      subject: `dw abtest ${running ? "change" : "start"} ${args.model}@${args.alias}: ${split}`,
      body: [
        `Metric ${metric}, at least ${args.minSampleSize} labelled rows per arm${args.durationHours !== null ? `, for ${args.durationHours} h` : ""}; by ${by}.`,
        args.overrideReason ? `Gate overridden: ${args.overrideReason}` : undefined,
      ],
      files,
      now,
    });
    return { test, commit, ref, changed: running !== null };
  });
}

/** The arm's model loaded and scored on an example row, as the server will do before it takes traffic. */
async function loadAndWarm(ws: DomainContext["workspace"], commit: string, label: string): Promise<void> {
  try {
    const text = await ws.readText(commit, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars });
    if (text === null) throw new Error("it has no model.json");
    const model = loadModel(text, `${label} model.json`);
    scoreModel(model, { columns: model.json.signature.inputs.map((f) => f.name), rows: [exampleRow(model.json)] });
  } catch (e) {
    throw new DwError("DATA_ERROR", `${label} cannot be served, so the A/B test was not started: ${e instanceof Error ? e.message : String(e)}`, {
      hint: "Leave that version out of the test, or train and register a new one.",
    });
  }
}
