import { isDeepStrictEqual } from "node:util";
import type { TrainingParameters } from "../runs/RunRecord.js";
import type { Difference } from "./ReproduceOutcome.js";

/**
 * Where params.json disagrees with what the same commit recorded at training time: run.json's
 * copy of the parameters (every field) and the stored model.json (algorithm, task, target,
 * hyperparameters). Any disagreement means the commit was edited after training; the rebuild
 * follows params.json, so each is a reason the model may differ. One entry per field.
 *
 * @example
 * ```ts
 * parameterDifferences(params, run.parameters, storedModel);
 * // [{ kind: "parameter", path: "hyperparameters.max_depth", stored: 3, rebuilt: 4, message: "params.json says … " }]
 * ```
 */
export function parameterDifferences(params: TrainingParameters, recorded: Record<string, unknown> | undefined, model: Record<string, unknown>): Difference[] {
  const found = new Map<string, { said: unknown; trained: unknown; where: string[] }>();
  const add = (path: string, said: unknown, trained: unknown, where: string) => {
    const known = found.get(path);
    if (known) known.where.push(where);
    else found.set(path, { said, trained, where: [where] });
  };
  const p: Record<string, unknown> = params;
  const hp = (x: unknown): Record<string, unknown> => (x !== null && typeof x === "object" && !Array.isArray(x) ? { ...x } : {});
  if (recorded) {
    for (const key of keysOf(p, recorded)) {
      if (key === "hyperparameters") {
        const a = hp(p[key]);
        const b = hp(recorded[key]);
        for (const k of keysOf(a, b)) if (!isDeepStrictEqual(a[k], b[k])) add(`hyperparameters.${k}`, a[k], b[k], "run.json");
      } else if (!isDeepStrictEqual(p[key], recorded[key])) add(key, p[key], recorded[key], "run.json");
    }
  }
  for (const key of ["algorithm", "task", "target"]) {
    if (p[key] !== undefined && !isDeepStrictEqual(p[key], model[key])) add(key, p[key], model[key], "model.json");
  }
  const a = hp(p.hyperparameters);
  const b = hp(model.hyperparameters);
  for (const k of keysOf(a, b)) if (!isDeepStrictEqual(a[k], b[k])) add(`hyperparameters.${k}`, a[k], b[k], "model.json");
  return [...found].map(([path, f]) => ({
    kind: "parameter" as const,
    path,
    stored: f.trained,
    rebuilt: f.said,
    message: `params.json says ${path} = ${show(f.said)}, but ${f.where.join(" and ")} ${f.where.length > 1 ? "record" : "records"} ${show(f.trained)}: the commit was edited after training, and the rebuild follows params.json.`,
  }));
}

function keysOf(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function show(v: unknown): string {
  if (v === undefined) return "(absent)";
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
