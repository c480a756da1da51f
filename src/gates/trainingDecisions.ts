import type { DomainContext } from "../workspace/DomainContext.js";
import type { Column } from "../data/Dataset.js";
import type { GateReport } from "../policy/GateReport.js";
import type { PiiEntity } from "../governance/pii/PiiFinding.js";
import { scanColumnPii } from "../governance/pii/scanColumnPii.js";
import { DEFAULT_PII_SEED } from "../governance/pii/scanDatasetPii.js";
import { readGovernancePolicy } from "../governance/policy/governanceGateForTraining.js";
import type { TrainingData } from "../training/prepareTrainingData.js";
import type { AlgorithmDecision, SkippedFeature, TrainingDecisions } from "../training/TrainingDecisions.js";

/** Values looked at per skipped text column: enough to name what it holds, small beside the training. */
const SKIPPED_PII_SAMPLE = 1_000;

const ENTITY_WORDS: Record<PiiEntity, string> = {
  EMAIL_ADDRESS: "e-mail addresses",
  PHONE_NUMBER: "phone numbers",
  CREDIT_CARD: "card numbers",
  IBAN_CODE: "IBANs",
  US_SSN: "US social security numbers",
  IP_ADDRESS: "IP addresses",
  MAC_ADDRESS: "MAC addresses",
  DATE_OF_BIRTH: "dates of birth",
  POSTAL_ADDRESS: "postal addresses",
  PERSON: "person names",
};

/**
 * What a training decided and why, for train_model's and retrain_model's answers: the task and its
 * rule, the features used and every column left out with its reason, and the gates' verdicts. A text
 * column dw's default choice left out is scanned for personal data (a sample, at the governance
 * policy's min_confidence), so an e-mail column's reason says it holds e-mail addresses; the
 * governance gate itself only scans the features used.
 *
 * @example
 * ```ts
 * const decisions = await trainingDecisions(ctx, data, reports, { value: "random_forest", rule: "random_forest was asked for" });
 * decisions.features.skipped; // [{ column: "email", reason: "text with 1,000 distinct values, …; it holds e-mail addresses (personal data)" }]
 * ```
 */
export async function trainingDecisions(
  ctx: DomainContext,
  data: TrainingData,
  reports: GateReport[],
  algorithm: AlgorithmDecision,
): Promise<TrainingDecisions> {
  const { featureDecision } = data;
  const columns = new Map(data.ds.columns.map((c) => [c.name, c]));
  // Only dw's own choice needs saying why: a column the user left out of their list is theirs to know.
  const scanned = (s: SkippedFeature): Column | undefined => {
    const col = columns.get(s.column);
    return featureDecision.chosen_by === "default" && s.column !== data.target && col?.type === "string" && col.nulls < data.ds.rows ? col : undefined;
  };
  const needsScan = featureDecision.skipped.some((s) => scanned(s) !== undefined);
  const minConfidence = needsScan ? (await readGovernancePolicy(ctx)).policy.training.min_confidence : 1;
  const skipped = featureDecision.skipped.map((s): SkippedFeature => {
    const col = scanned(s);
    if (col === undefined) return s;
    const entities = scanColumnPii(col, { sampleSize: SKIPPED_PII_SAMPLE, seed: DEFAULT_PII_SEED })
      .findings.filter((f) => f.confidence >= minConfidence)
      .map((f) => ENTITY_WORDS[f.entity]);
    return entities.length ? { column: s.column, reason: `${s.reason}; it holds ${entities.join(" and ")} (personal data)` } : s;
  });
  return {
    task: data.taskDecision,
    algorithm,
    features: { ...featureDecision, skipped },
    gates: reports.map((r) => ({ gate: r.gate, status: r.status, summary: r.summary })),
  };
}
