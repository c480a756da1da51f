import type { DomainContext } from "../../workspace/DomainContext.js";
import type { Dataset } from "../../data/Dataset.js";
import type { DataVersion } from "../../data/profileCacheKey.js";
import { cachedPiiScans } from "../pii/cachedPiiScans.js";
import { readPolicySection } from "../../policy/readPolicySection.js";
import { GovernancePolicy, governanceAllowed } from "./GovernancePolicy.js";
import { decide, type GovernanceReport, type RuledFinding } from "./GovernanceReport.js";

/** The governance policy of the workspace (defaults when dw.policy.yaml has no `governance:`). */
export async function readGovernancePolicy(ctx: DomainContext) {
  return readPolicySection(ctx.workspace, "governance", GovernancePolicy, governanceAllowed);
}

/**
 * The governance gate before a training: scans the feature columns for PII and denies the features
 * that hold an entity the policy forbids (at or above its min_confidence). PII the policy allows
 * is a warning. The report is what train_model stores as gates/governance.json. The scans come
 * from the profile cache (cachedPiiScans, the rule scan_pii uses): with `version`, the data
 * version `ds` was read from, a column scanned once (by this gate, check_policy or scan_pii) is
 * not scanned again; without it, only for as long as `ds` lives.
 *
 * @example
 * ```ts
 * const report = await governanceGateForTraining(ctx, { datasetId: "customers", ds, features: ["age", "email"], target: "churned" });
 * report.decision; // "deny": email holds EMAIL_ADDRESS
 * ```
 */
export async function governanceGateForTraining(
  ctx: DomainContext,
  args: { datasetId: string; ds: Dataset; features: string[]; target: string; version?: DataVersion },
): Promise<GovernanceReport> {
  const { policy, file } = await readGovernancePolicy(ctx);
  const forbidden = new Set<string>(policy.training.forbidden_pii_features);
  const columns = args.features.filter((f) => args.ds.columns.some((c) => c.name === f));
  const key = args.version !== undefined ? { version: args.version } : { ds: args.ds };
  const scans = await cachedPiiScans(ctx.workspace, key, columns, { field: "features", datasetId: args.datasetId, data: async () => args.ds });
  const pii = scans.flatMap((s) => s.findings).filter((f) => f.confidence >= policy.training.min_confidence);
  const findings: RuledFinding[] = pii.map((f) => {
    const facts = `${Math.round(f.share * 100)}% of ${f.sampled.toLocaleString("en-US")} sampled values match, confidence ${f.confidence.toFixed(2)}, by ${f.evidence}${f.examples.length ? `, e.g. ${f.examples.join(", ")}` : ""}`;
    return forbidden.has(f.entity)
      ? {
          check: "pii_feature",
          status: "fail",
          outcome: "deny",
          column: f.column,
          value: f.entity,
          threshold: "forbidden",
          message: `Feature '${f.column}' holds ${f.entity} (${facts}); the policy forbids it as a feature. Drop it from features (or replace it with a non-identifying derivative), or pass override_reason.`,
        }
      : {
          check: "pii_feature_allowed",
          status: "warn",
          column: f.column,
          value: f.entity,
          threshold: "allowed",
          message: `Feature '${f.column}' holds ${f.entity} (${facts}); the policy allows it, but it is personal data.`,
        };
  });
  const flagged = new Set(pii.map((f) => f.column));
  const clean = columns.filter((c) => !flagged.has(c));
  if (clean.length) {
    findings.push({
      check: "pii_feature",
      status: "pass",
      columns: clean,
      message: `No PII found in ${clean.length} feature column${clean.length === 1 ? "" : "s"}: ${clean.join(", ")}.`,
    });
  }
  const decided = decide(findings, `training on '${args.datasetId}'`);
  return {
    gate: "governance",
    ...decided,
    checked_at: ctx.now().toISOString(),
    subject: { kind: "training", dataset_id: args.datasetId, features: args.features, ...(args.target ? { target: args.target } : {}) },
    pii,
    policy_file: file,
  };
}
