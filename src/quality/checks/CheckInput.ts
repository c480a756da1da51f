import type { GateFinding, GateStatus } from "../../policy/GateReport.js";
import type { ColumnProfile, TableProfile } from "../TableProfile.js";
import type { QualityThresholds } from "../qualityPolicy.js";
import type { TrainingSnapshot } from "../trainingSnapshot.js";

/** Everything a check may read: the profile, what is in scope, the reference and the thresholds. */
export interface CheckInput {
  profile: TableProfile;
  column(name: string): ColumnProfile | undefined;
  /** The columns training would read: the features and the target (every column when neither is given). */
  scope: string[];
  features: string[];
  /** Whether the caller named the features (an ID-like feature is then a deliberate choice, and fails). */
  featuresNamed: boolean;
  target?: string;
  /** The task training will learn, when known (train_model's gate). */
  task?: "regression" | "classification";
  reference?: { run_id: string; snapshot: TrainingSnapshot };
  thresholds: QualityThresholds;
  now: Date;
}

/** A check reads a CheckInput and says pass, warn or fail, with its numbers. */
export type Check = (input: CheckInput) => GateFinding[];

/** The status of a measure where larger is worse. */
export function gradeHigh(value: number, band: { warn: number; fail: number }): GateStatus {
  return value >= band.fail ? "fail" : value >= band.warn ? "warn" : "pass";
}

/** The status of a measure where smaller is worse. */
export function gradeLow(value: number, band: { warn: number; fail: number }): GateStatus {
  return value < band.fail ? "fail" : value < band.warn ? "warn" : "pass";
}

export function pct(share: number): string {
  const p = share * 100;
  return `${p === 0 || p >= 10 ? p.toFixed(0) : p >= 0.1 ? p.toFixed(1) : p.toPrecision(1)}%`;
}

export function round(v: number, digits = 4): number {
  return Number(v.toFixed(digits));
}
