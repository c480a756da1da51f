import type { DomainContext } from "../workspace/DomainContext.js";
import { DwError, isDwError } from "../errors/DwError.js";
import { readRun } from "../runs/readRun.js";
import { runRef } from "../runs/runId.js";
import type { RunRecord } from "../runs/RunRecord.js";
import { nameFrom } from "../workspace/refNames.js";
import { findRunVersion } from "../registry/findRunVersion.js";
import { registerVersion } from "../registry/registerVersion.js";
import { GateReport } from "../policy/GateReport.js";
import { GateOverrideRecord } from "../policy/GateOverrideRecord.js";
import { governanceGateForDeploy } from "../governance/policy/governanceGateForDeploy.js";
import type { GovernanceReport } from "../governance/policy/GovernanceReport.js";
import { enforceGates } from "../gates/enforceGates.js";
import { defaultReviewer } from "../governance/review/recordReview.js";
import type { StepEnd, StepLog } from "./stepLog.js";

/** The steps of productionize, in the order they run. */
export const PRODUCTIONIZE_STEPS = ["snapshot", "quality", "cost", "register", "governance", "deploy", "monitoring"] as const;

/** What productionizeRun settled before the deploy: the version to serve and the deploy gate's verdict. */
export interface ProductionizePlan {
  run: RunRecord;
  modelName: string;
  version: number;
  newlyRegistered: boolean;
  /** The deploy gate as it ran on that version for the alias. */
  governance: GovernanceReport;
  /** Set when the gate failed and `overrideReason` let it through. */
  overridden: boolean;
}

/**
 * What the Productionize button does before it deploys, one step at a time on `log`: snapshot
 * (the run commit and what it recorded), quality and cost (the verdicts of the training's own
 * gate reports in the run commit), register (a new version named `modelName`, else after the
 * run's target; or the version this run is already registered as, reused), governance (the
 * deploy gate on that version for the alias). The deploy gate judges a registered version (its
 * reviews, its model card), which is why it comes after register; a blocked version stays
 * registered, so trying again with an override or after an approval reuses it. A blocked gate is
 * GATE_FAILED whose details name the model, version and alias (what request_approval takes).
 * The deploy itself (deployVersion, with the same override reason) is the caller's.
 *
 * @example
 * ```ts
 * const plan = await productionizeRun(ctx, { runId: run.run_id, alias: "production" }, stepLog(ctx, 7));
 * plan.modelName; plan.version; plan.governance.decision;
 * ```
 */
export async function productionizeRun(
  ctx: DomainContext,
  args: { runId: string; modelName?: string; alias: string; notebook?: string; overrideReason?: string },
  log: StepLog,
): Promise<ProductionizePlan> {
  const ws = ctx.workspace;
  const { oid, run } = await log.run("snapshot", async () => {
    const read = await readRun(ws, args.runId, "run_id");
    const recorded = (await ws.readText(read.oid, "notebook.ipynb")) !== null;
    const where = read.run.origin.notebook_path ? ` (${read.run.origin.notebook_path})` : "";
    const notebook = recorded
      ? `its notebook${where} is recorded`
      : args.notebook !== undefined
        ? "no notebook in the run; this notebook goes with the registration"
        : "no notebook recorded";
    return {
      value: read,
      end: {
        status: "passed",
        detail: `run ${read.run.run_id} at commit ${read.oid.slice(0, 7)}: ${read.run.algorithm} on ${read.run.data.dataset_id}, ${notebook}.`,
      },
    };
  });

  const trainingOverride = await ws.readDocument(GateOverrideRecord, oid, "gates/override.json", runRef(run.run_id));
  for (const gate of ["quality", "cost"] as const) {
    await log.run(gate, async () => ({ value: null, end: await trainingVerdict(ctx, oid, run.run_id, gate, trainingOverride) }));
  }

  const { modelName, version, newlyRegistered } = await log.run("register", async () => {
    const existing = await findRunVersion(ws, run.run_id, args.modelName);
    if (existing) {
      return {
        value: { modelName: existing.name, version: existing.version, newlyRegistered: false },
        end: { status: "skipped", detail: `already registered as ${existing.name} v${existing.version}; that version is reused.` },
      };
    }
    const modelName = args.modelName ?? defaultModelName(run.target);
    const why = args.modelName !== undefined ? "the name asked for" : `named after the run's target '${run.target}'`;
    const { registration } = await registerVersion(ctx, { runId: run.run_id, modelName, notebook: args.notebook });
    return {
      value: { modelName, version: registration.version, newlyRegistered: true },
      end: { status: "passed", detail: `registered as ${modelName} v${registration.version} (${why}).` },
    };
  });

  const { governance, overridden } = await log.run("governance", async () => {
    const report = await governanceGateForDeploy(ctx, { model: modelName, version, alias: args.alias });
    try {
      const gated = enforceGates("deploy_model", [report], { reason: args.overrideReason, by: await defaultReviewer(ws), at: ctx.now() });
      const end: StepEnd = gated.override
        ? { status: "overridden", detail: `${report.summary} Overridden by ${gated.override.by}: ${gated.override.reason}` }
        : { status: report.status === "warn" ? "warned" : "passed", detail: report.summary };
      return { value: { governance: report, overridden: gated.override !== undefined }, end };
    } catch (e) {
      if (!isDwError(e) || e.code !== "GATE_FAILED") throw e;
      throw new DwError(
        "GATE_FAILED",
        `${modelName} v${version} may not be served as ${args.alias}: the governance gate decided ${report.decision}. ${report.reasons.join(" ")}`,
        {
          hint:
            report.decision === "review"
              ? `An approval is missing: ask for one with request_approval (model_name ${modelName}, version ${version}, alias ${args.alias}), or pass override_reason "<why this is acceptable>"; the override is recorded in the deployment commit.`
              : e.hint,
          details: { ...e.details, model_name: modelName, version, alias: args.alias, decision: report.decision, reasons: report.reasons },
        },
      );
    }
  });
  return { run, modelName, version, newlyRegistered, governance, overridden };
}

/** How a training gate of the run ended, from its report in the run commit. */
async function trainingVerdict(
  ctx: DomainContext,
  oid: string,
  runId: string,
  gate: "quality" | "cost",
  override: GateOverrideRecord | null,
): Promise<StepEnd> {
  const report = await ctx.workspace.readDocument(GateReport, oid, `gates/${gate}.json`, runRef(runId));
  if (!report) return { status: "skipped", detail: `The run has no ${gate} report (trained before dw's gates).` };
  if (report.status === "fail") {
    // A training that failed a gate exists only because someone overrode it.
    if (override?.gates.includes(gate)) {
      return { status: "overridden", detail: `${report.summary} Overridden at training by ${override.by}: ${override.reason}` };
    }
    throw new DwError(
      "DATA_ERROR",
      `Run ${runId}'s ${gate} report failed, yet the run records no override (gates/override.json): train_model did not make this run as it is.`,
      {
        hint: "Train the model again with %dw train_model; a failed gate needs --override_reason there.",
        details: { run_id: runId, gate, summary: report.summary },
      },
    );
  }
  return { status: report.status === "warn" ? "warned" : "passed", detail: report.summary };
}

/** The run's target made into a model name, or "model" when nothing of it is left. */
function defaultModelName(target: string): string {
  return nameFrom(target, 100) || "model";
}
