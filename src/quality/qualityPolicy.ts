import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { POLICY_FILE, readPolicyDocument } from "../policy/readPolicyDocument.js";
import { policyFieldLine } from "../policy/policyFieldLine.js";
import { QualityThresholds } from "./QualityThresholds.js";

const share = z.number().min(0).max(1);

/** A limit where a larger measure is worse: warn at or above `warn`, fail at or above `fail`. */
function band(what: string, warn: number, fail: number, max?: number) {
  const limit = max === undefined ? share : z.number().min(0).max(max);
  return z
    .strictObject({
      warn: limit.optional().describe(`Warn when ${what} is at or above this (default ${warn}).`),
      fail: limit.optional().describe(`Fail when ${what} is at or above this (default ${fail}).`),
    })
    .superRefine((b, c) => {
      if (b.warn !== undefined && b.fail !== undefined && b.warn > b.fail)
        c.addIssue({ code: "custom", path: ["warn"], message: `must not be above fail (${b.fail}): a larger ${what} is worse` });
    });
}

const Severity = z.strictObject({ status: z.enum(["warn", "fail"]).optional() });
const off = z.literal(false);

/** The `quality:` section of dw.policy.yaml. Every key is optional; `false` turns a check off. */
export const QualityPolicyInput = z.strictObject({
  null_rate: z.union([off, band("a column's share of missing values", 0.05, 0.5)]).optional(),
  duplicate_rows: z.union([off, band("the share of rows identical to an earlier row", 0.01, 0.2)]).optional(),
  constant_column: z.union([off, Severity]).optional().describe("A feature with one value (default warn; a constant target always fails)."),
  id_like_feature: z
    .union([off, Severity])
    .optional()
    .describe("An ID-like column used as a feature (default fail when named in features, warn when features are implicit)."),
  type_mismatch: z.union([off, band("a text column's share of numeric values", 0.5, 0.9)]).optional(),
  out_of_range: z.union([off, band("a column's share of values outside the last training range", 0.01, 0.2)]).optional(),
  row_count_change: z.union([off, band("the relative change in rows since the last training (|new − old| ÷ old)", 0.5, 0.9, 1e9)]).optional(),
  freshness: z
    .union([
      off,
      z.strictObject({
        column: z.string().min(1).optional().describe("The timestamp column to judge (default: the newest of the date columns)."),
        warn_after_days: z.number().positive().optional(),
        fail_after_days: z.number().positive().optional(),
      }),
    ])
    .optional(),
  target_leakage: z.union([off, band("a feature's association with the target", 0.9, 0.98)]).optional(),
  class_imbalance: z
    .union([
      off,
      z.strictObject({
        warn: share.optional().describe("Warn when the rarest class's share is below this (default 0.1)."),
        fail: share.optional().describe("Fail when the rarest class's share is below this (default 0.01)."),
      }),
    ])
    .optional(),
  drift: z.union([off, band("a feature's PSI against the last training snapshot", 0.1, 0.25, 1e9)]).optional(),
});
export type QualityPolicyInput = z.infer<typeof QualityPolicyInput>;

export interface Band {
  warn: number;
  fail: number;
}

// Defined in QualityThresholds.ts (zod only, for QualityReport); exported here too.
export { QualityThresholds };

export const DEFAULT_THRESHOLDS: QualityThresholds = {
  null_rate: { warn: 0.05, fail: 0.5 },
  duplicate_rows: { warn: 0.01, fail: 0.2 },
  constant_column: { status: "warn" },
  id_like_feature: { status: "fail" },
  type_mismatch: { warn: 0.5, fail: 0.9 },
  out_of_range: { warn: 0.01, fail: 0.2 },
  row_count_change: { warn: 0.5, fail: 0.9 },
  freshness: {},
  target_leakage: { warn: 0.9, fail: 0.98 },
  class_imbalance: { warn: 0.1, fail: 0.01 },
  // Evidently's PSI threshold (drift at 0.1 or more) warns; the common "major shift" mark fails.
  drift: { warn: 0.1, fail: 0.25 },
};

/** The thresholds from a `quality:` section (already parsed YAML), validated; defaults where a key is absent. */
export function qualityThresholds(section: unknown, file = POLICY_FILE, text?: string): QualityThresholds {
  if (section === undefined || section === null) return DEFAULT_THRESHOLDS;
  const parsed = QualityPolicyInput.safeParse(section);
  if (!parsed.success) throw policyError(parsed.error, file, text);
  const p = parsed.data;
  const out = { ...DEFAULT_THRESHOLDS } as Record<string, unknown>;
  for (const [key, value] of Object.entries(p)) {
    if (value === undefined) continue;
    const base = (DEFAULT_THRESHOLDS as Record<string, unknown>)[key];
    out[key] = value === false ? null : { ...(base as object), ...(value as object) };
  }
  const t = out as QualityThresholds;
  for (const k of ["null_rate", "duplicate_rows", "type_mismatch", "out_of_range", "row_count_change", "target_leakage", "drift"] as const) {
    const b = t[k];
    if (b && b.warn > b.fail)
      throw configError(`quality.${k}`, `warn (${b.warn}) is above fail (${b.fail}); with one of them left at its default, set both`, file, text);
  }
  if (t.class_imbalance && t.class_imbalance.warn < t.class_imbalance.fail) {
    throw configError(
      "quality.class_imbalance",
      `warn (${t.class_imbalance.warn}) is below fail (${t.class_imbalance.fail}): a smaller share of the rarest class is worse, so warn must be the larger`,
      file,
      text,
    );
  }
  const f = t.freshness;
  if (f && f.warn_after_days !== undefined && f.fail_after_days !== undefined && f.warn_after_days > f.fail_after_days) {
    throw configError("quality.freshness.warn_after_days", `must not be above fail_after_days (${f.fail_after_days})`, file, text);
  }
  return t;
}

/** The project's quality thresholds: dw.policy.yaml's `quality:` section over the defaults. */
export async function readQualityThresholds(ws: Workspace): Promise<QualityThresholds> {
  const policy = await readPolicyDocument(ws);
  if (!policy) return DEFAULT_THRESHOLDS;
  return qualityThresholds(policy.doc.quality, policy.path, policy.text);
}

type Issue = z.core.$ZodIssue;

/**
 * The issue to report: inside `false | { … }` unions, the one from the mapping branch that got
 * furthest (its path is deepest), so "warn: high" is reported at quality.null_rate.warn.
 */
function deepest(issue: Issue): Issue {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return issue;
  const branches = issue.errors.filter((b) => b.length > 0).map((b) => deepest(b[0]));
  const best = branches.reduce<Issue | undefined>((a, b) => (!a || b.path.length > a.path.length ? b : a), undefined);
  // No branch got inside the value: it is neither false nor a mapping; say that.
  if (!best || best.path.length === 0) return issue;
  return { ...best, path: [...issue.path, ...best.path] };
}

function policyError(error: z.ZodError, file: string, text?: string): DwError {
  const issue = deepest(error.issues[0]);
  const path = ["quality", ...issue.path.map(String)];
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(QualityPolicyInput.shape);
    return configError([...path, issue.keys[0]].join("."), `unknown key${path.length === 1 ? `; the quality checks are ${known.join(", ")}` : ""}`, file, text);
  }
  const field = path.join(".");
  if (issue.code === "invalid_union")
    return configError(field, "expected false (to turn the check off) or a mapping of its thresholds, e.g. {warn: 0.1, fail: 0.5}", file, text);
  const got = issue.code === "invalid_type" ? ` (${issue.message.replace(/^Invalid input: /, "")})` : `: ${issue.message}`;
  return configError(field, `invalid value${got}`, file, text);
}

function configError(field: string, problem: string, file: string, text?: string): DwError {
  const line = text === undefined ? undefined : policyFieldLine(text, field.split("."));
  return new DwError("CONFIG_ERROR", `${POLICY_FILE}${line ? `, line ${line}` : ""}: ${field}: ${problem}.`, {
    hint: "Fix the quality: section of the policy file; docs/quality.md lists its keys, their meaning and defaults.",
    details: { file, field, line },
  });
}
