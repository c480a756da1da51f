import type { DomainContext } from "../../workspace/DomainContext.js";
import { GateOverrideRecord } from "../../policy/GateOverrideRecord.js";
import { readDataset } from "../../data/readDataset.js";
import { readDatasetRecord } from "../../data/datasetRecords.js";
import { dataVersion } from "../../data/profileCacheKey.js";
import { checkAlias } from "../../workspace/refNames.js";
import { cachedPiiScans } from "../pii/cachedPiiScans.js";
import { findModelVersion } from "../review/findModelVersion.js";
import { decidingReview, readReviews } from "../review/readReviews.js";
import { metricBound } from "./GovernancePolicy.js";
import { decide, GovernanceReport, type RuledFinding } from "./GovernanceReport.js";
import { readGovernancePolicy } from "./governanceGateForTraining.js";
import { readModelCard } from "./readModelCard.js";

/**
 * The governance gate before a deployment: a rejected version is denied; the version's run must
 * reach the policy's minimum metrics for its task; the required model-card fields must be filled;
 * an alias that needs approval (and a model trained with forbidden PII features) needs an approved
 * review of this exact version (decision review until there is one). A training override is
 * reported as a warning, so whoever deploys sees it.
 *
 * @example
 * ```ts
 * const report = await governanceGateForDeploy(ctx, { model: "churn", version: 3, alias: "production" });
 * if (report.decision === "review") console.log(report.reasons);
 * ```
 */
export async function governanceGateForDeploy(ctx: DomainContext, args: { model: string; version: number; alias?: string }): Promise<GovernanceReport> {
  if (args.alias !== undefined) checkAlias(args.alias);
  const ws = ctx.workspace;
  const info = await findModelVersion(ws, args.model, args.version);
  const { policy, file } = await readGovernancePolicy(ctx);
  const rules = policy.deployment;
  const label = `${args.model} v${info.version}${args.alias ? ` → ${args.alias}` : ""}`;
  const reviews = await readReviews(ws, args.model, info.version);
  const deciding = decidingReview(reviews, info.commit, args.alias);
  const approved = deciding?.review.decision === "approve";
  const reviewHint = `Ask a reviewer to run: %dw request_governance_review --model ${args.model} --version ${info.version} --decision approve${args.alias ? ` --alias ${args.alias}` : ""} --reason "<why it may ship>"`;
  const findings: RuledFinding[] = [];

  if (deciding && !approved) {
    const r = deciding.review;
    findings.push({
      check: "review",
      status: "fail",
      outcome: "deny",
      message: `${r.reviewer} rejected ${args.model} v${info.version}${r.alias ? ` for ${r.alias}` : ""} on ${r.reviewed_at}: ${r.reason}. A newer approval would lift it.`,
    });
  }

  if (args.alias !== undefined && rules.approval_required_aliases.includes(args.alias) && (!deciding || approved)) {
    findings.push(
      approved
        ? {
            check: "approval",
            status: "pass",
            message: `Approved for ${deciding!.review.alias ?? "every alias"} by ${deciding!.review.reviewer} on ${deciding!.review.reviewed_at}: ${deciding!.review.reason}`,
          }
        : {
            check: "approval",
            status: "fail",
            outcome: "review",
            message: `The alias '${args.alias}' needs an approved governance review of ${args.model} v${info.version}, and there is none. ${reviewHint}`,
          },
    );
  }

  const task = info.run.task === "classification" ? "classification" : "regression";
  for (const [metric, raw] of Object.entries(rules.min_metrics[task])) {
    const bound = metricBound(metric, raw);
    const value = info.run.metrics[metric];
    const limit = [bound.min !== undefined ? `≥ ${bound.min}` : "", bound.max !== undefined ? `≤ ${bound.max}` : ""].filter(Boolean).join(" and ");
    if (value === undefined) {
      findings.push({
        check: "min_metric",
        status: "fail",
        outcome: "deny",
        threshold: limit,
        message: `The policy needs ${metric} ${limit}, but the run ${info.run_id} did not record ${metric} (it has ${Object.keys(info.run.metrics).join(", ")}).`,
      });
      continue;
    }
    const ok = (bound.min === undefined || value >= bound.min) && (bound.max === undefined || value <= bound.max);
    findings.push({
      check: "min_metric",
      status: ok ? "pass" : "fail",
      outcome: "deny",
      value,
      threshold: limit,
      message: ok
        ? `${metric} = ${fmt(value)} meets ${limit}.`
        : `${metric} = ${fmt(value)} does not meet the policy's ${limit} for ${task}. Train a better model, or change the policy.`,
    });
  }

  const card = await readModelCard(ws, info);
  const missing = rules.required_model_card_fields.filter((f) => !card[f]?.trim());
  if (rules.required_model_card_fields.length) {
    findings.push(
      missing.length
        ? {
            check: "model_card",
            status: "fail",
            outcome: "deny",
            columns: missing,
            message: `The model card of ${args.model} v${info.version} lacks ${missing.join(", ")}, which the policy requires. Register the version again with them (description: --description "…").`,
          }
        : { check: "model_card", status: "pass", message: `Model card has ${rules.required_model_card_fields.join(", ")}.` },
    );
  }

  findings.push(...(await trainingPii(ctx, info.commit, info.run.data, info.run.features, policy.training, approved, reviewHint)));
  const override = await ws.readDocument(GateOverrideRecord, info.commit, "gates/override.json");
  if (override) {
    findings.push({
      check: "training_override",
      status: "warn",
      message: `Its training went past the ${override.gates.join(", ")} gate(s) on an override by ${override.by} (${override.at}): ${override.reason}`,
    });
  }

  const decided = decide(findings, `deploying ${label}`);
  const r = deciding?.review;
  return {
    gate: "governance",
    ...decided,
    checked_at: ctx.now().toISOString(),
    subject: {
      kind: "deployment",
      model_name: args.model,
      version: info.version,
      ...(args.alias !== undefined ? { alias: args.alias } : {}),
      run_id: info.run_id,
    },
    model_card: card,
    ...(r && deciding
      ? {
          review: {
            decision: r.decision,
            reviewer: r.reviewer,
            reason: r.reason,
            reviewed_at: r.reviewed_at,
            ...(r.alias ? { alias: r.alias } : {}),
            commit: deciding.commit,
          },
        }
      : {}),
    policy_file: file,
  };
}

/**
 * Forbidden PII among the features the version was trained on: from the governance report stored
 * in its run (gates/governance.json), else by scanning the training data again when the workspace
 * still holds that exact version of it. Such a model ships only with an approved review.
 */
async function trainingPii(
  ctx: DomainContext,
  commit: string,
  data: { dataset_id: string; sha256: string },
  features: string[],
  rules: { forbidden_pii_features: string[]; min_confidence: number },
  approved: boolean,
  reviewHint: string,
): Promise<RuledFinding[]> {
  let found: { column: string; entity: string }[];
  let source: string;
  const stored = await ctx.workspace.readDocument(GovernanceReport, commit, "gates/governance.json");
  if (stored) {
    found =
      stored.pii ??
      stored.findings.filter((f) => f.check === "pii_feature" && f.status === "fail" && f.column).map((f) => ({ column: f.column!, entity: String(f.value) }));
    source = "the training's governance report";
  } else {
    const gone: RuledFinding[] = [
      {
        check: "pii_feature",
        status: "warn",
        message: `The run has no governance report and its training data (${data.dataset_id}, sha256 ${data.sha256.slice(0, 12)}) is no longer in the workspace, so its features could not be checked for PII.`,
      },
    ];
    const record = await readDatasetRecord(ctx.workspace, data.dataset_id).catch(() => null);
    if (!record || record.sha256 !== data.sha256) return gone;
    // Scans stored for this data version (by scan_pii, check_policy or a training's gate) are used
    // as they are, even when the cached copy of the file is gone; the data is read only for a
    // feature no scan of which is stored.
    const columns = features.filter((f) => record.columns.some((c) => c.name === f));
    let unreadable = false;
    const readRows = async () =>
      (
        await readDataset(ctx.workspace, record.dataset_id).catch((e: unknown) => {
          unreadable = true;
          throw e;
        })
      ).ds;
    const scans = await cachedPiiScans(ctx.workspace, { version: dataVersion(ctx.workspace, record) }, columns, {
      field: "features",
      datasetId: record.dataset_id,
      data: readRows,
    }).catch((e: unknown) => {
      if (unreadable) return null;
      throw e;
    });
    if (!scans) return gone;
    found = scans.flatMap((s) => s.findings).filter((f) => f.confidence >= rules.min_confidence);
    source = "a scan of its training data";
  }
  const forbidden = found.filter((f) => rules.forbidden_pii_features.includes(f.entity));
  if (!forbidden.length) return [{ check: "pii_feature", status: "pass", message: `No forbidden PII among the features (from ${source}).` }];
  const list = forbidden.map((f) => `'${f.column}' (${f.entity})`).join(", ");
  return [
    approved
      ? {
          check: "pii_feature",
          status: "warn",
          message: `Trained with forbidden PII features ${list} (from ${source}); allowed because a reviewer approved this version.`,
        }
      : {
          check: "pii_feature",
          status: "fail",
          outcome: "review",
          message: `Trained with forbidden PII features ${list} (from ${source}); it ships only with an approved review. ${reviewHint}`,
        },
  ];
}

const fmt = (x: number) => String(Number(x.toPrecision(4)));
