import type { GateFinding, GateStatus } from "../../policy/GateReport.js";
import type { CheckInput } from "./CheckInput.js";

const DAY = 86_400_000;

/** freshness: the newest timestamp against the policy's age limits (none by default: static data is common). */
export function freshnessCheck(input: CheckInput): GateFinding[] {
  const t = input.thresholds.freshness;
  if (!t) return [];
  const dates = input.profile.columns.filter((c) => c.type === "date" && c.maxTime !== undefined);
  const newest = t.column
    ? input.column(t.column)
    : dates.reduce<(typeof dates)[number] | undefined>((a, b) => (!a || b.maxTime! > a.maxTime! ? b : a), undefined);
  if (t.column && newest?.type !== "date") {
    return [
      {
        check: "freshness",
        status: "fail",
        message: `quality.freshness.column names '${t.column}', which is ${newest ? `a ${newest.type} column, not a date column` : "not a column of this data"}; freshness cannot be judged. Fix dw.policy.yaml.`,
        column: t.column,
      },
    ];
  }
  if (!newest || newest.maxTime === undefined) return [];
  const ageDays = (input.now.getTime() - newest.maxTime) / DAY;
  const limits = [t.warn_after_days, t.fail_after_days].filter((d) => d !== undefined);
  const status: GateStatus =
    t.fail_after_days !== undefined && ageDays > t.fail_after_days ? "fail" : t.warn_after_days !== undefined && ageDays > t.warn_after_days ? "warn" : "pass";
  const age = ageDays < 2 ? `${(ageDays * 24).toFixed(1)} hours` : `${ageDays.toFixed(1)} days`;
  const limitText =
    limits.length === 0
      ? "; no age limit is set (quality.freshness.warn_after_days / fail_after_days in dw.policy.yaml)"
      : ` (warn after ${t.warn_after_days ?? "—"} days, fail after ${t.fail_after_days ?? "—"} days)`;
  return [
    {
      check: "freshness",
      status,
      message: `The newest '${newest.name}' is ${newest.max}, ${age} old${limitText}.${status === "pass" ? "" : " Refresh the data before training, or override with the reason old data is right here."}`,
      column: newest.name,
      value: Number(ageDays.toFixed(3)),
      ...(limits.length ? { threshold: status === "fail" ? t.fail_after_days! : (t.warn_after_days ?? t.fail_after_days!) } : {}),
    },
  ];
}
