import { z } from "zod";
import { fieldPath } from "../workspace/parseDocument.js";

/**
 * Zod building blocks for the fitted parameters read from `model.json`, which may come from
 * anywhere (a pushed ref): every check stops at the first bad element, so a hostile array of a
 * million strings costs one look, not a million issues, and arrays are checked in place, never
 * copied. Every refinement here and in the models' schemas adds its issue with `continue: false`:
 * zod would otherwise go on to run the enclosing object's refinements on the value that failed,
 * and those index into it.
 */

/** One problem in a JSON value: where (keys and indices from the value's root) and what is wrong. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

export const FiniteNumber = z.number({ error: "expected a finite number" });

/** A whole number ≥ min (a count or a size). */
export function wholeNumber(min: number) {
  return z
    .number({ error: "expected a whole number" })
    .int({ error: "expected a whole number" })
    .min(min, { error: `expected a whole number ≥ ${min}` });
}

/** An array of finite numbers (JSON cannot hold NaN; 1e999 parses as Infinity and is refused). */
export const FiniteNumbers = z
  .custom<number[]>((v) => Array.isArray(v), { error: "expected an array of numbers" })
  .superRefine((a, ctx) => {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) {
        ctx.addIssue({ code: "custom", continue: false, path: [i], message: "expected a finite number" });
        return;
      }
    }
  });

/** An array whose elements a later rule checks (a tree's per-node arrays: see treeIssue). */
export const NumberArray = z.custom<number[]>((v) => Array.isArray(v), { error: "expected an array of numbers" });

/** An array of `item`s, reporting only the first bad one. Elements are returned as given (no copy). */
export function listOf<S extends z.ZodType>(item: S) {
  return z
    .custom<z.output<S>[]>((v) => Array.isArray(v), { error: "expected an array" })
    .superRefine((a, ctx) => {
      for (let i = 0; i < a.length; i++) {
        const r = item.safeParse(a[i]);
        if (!r.success) {
          const first = r.error.issues[0];
          ctx.addIssue({ code: "custom", continue: false, path: [i, ...(first?.path ?? [])], message: first?.message ?? "invalid" });
          return;
        }
      }
    });
}

/** `value` checked against `schema`; a TypeError naming the first bad field (from `root`) and what is wrong otherwise. */
export function parseFitted<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  throw new TypeError(`${fieldPath(root, first?.path ?? [])}: ${first?.message ?? "invalid"}`);
}
