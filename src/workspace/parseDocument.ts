import type { z } from "zod";
import { DwError, isDwError } from "../errors/DwError.js";

/** Where a stored document is, for the error that says it is damaged. */
export interface DocumentPlace {
  /** Names the document, e.g. "The ref refs/dw/runs/… is damaged: run.json"; the problem follows it. */
  label: string;
  /** What to do about it: how to inspect the document and how to write it again. */
  hint: string;
  /** Where, as data (ref, commit, file); `field` is added. */
  details: Record<string, unknown>;
}

/**
 * A stored JSON document's text parsed and checked against its schema: the schema's output, or a
 * DATA_ERROR naming the document (`place`), the first field that fails and what is wrong there,
 * with the value found when it is a short one. Documents in refs/dw/* may come from a teammate's
 * push or a hand edit, so they are data to check, never trusted by a cast.
 *
 * @example
 * parseDocument(z.object({ rows: z.number() }), '{"rows":"ten"}', { label: "x.json", hint: "Write it again.", details: {} });
 * // throws DATA_ERROR: x.json, field rows: expected number, received string (got "ten").
 */
export function parseDocument<S extends z.ZodType>(schema: S, text: string, place: DocumentPlace): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DwError("DATA_ERROR", `${place.label} is not JSON (${(e as Error).message}).`, { hint: place.hint, details: place.details });
  }
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const keys = issue?.code === "unrecognized_keys" ? issue.keys : [];
  const path = [...(issue?.path ?? []), ...keys.slice(0, 1)];
  const field = fieldPath("", path);
  const found = valueAt(raw, path);
  const given = keys.length ? undefined : shortValue(found);
  const what = keys.length
    ? "unknown field"
    : issue?.code === "invalid_type" && found === undefined
      ? `missing (expected ${issue.expected})`
      : `${issue?.message ?? "invalid"}${given !== undefined ? ` (got ${given})` : ""}`;
  throw new DwError("DATA_ERROR", `${place.label}, field ${field}: ${what}.`, { hint: place.hint, details: { ...place.details, field } });
}

/**
 * The place of a file in a commit: named by `refName` when the reader came through a ref (what the
 * user knows), else by the commit; `line` for one line of a JSON-lines file.
 */
export function committedDocument(commitOid: string, file: string, refName?: string, line?: number): DocumentPlace {
  // The commit, not the ref: a reader that walks a ref's history reads commits below its tip.
  const at = commitOid.slice(0, 12);
  return {
    label: `${refName ? `The ref ${refName}` : `Commit ${at}`} is damaged: ${file}${line !== undefined ? `, line ${line}` : ""}`,
    hint: `Inspect it with: git show ${at}:${file}. It was changed outside dw (a push or a hand edit): write it again with dw${refName ? `, or delete the ref with: git update-ref -d ${refName}` : ""}.`,
    details: { ...(refName ? { ref: refName } : {}), commit: commitOid, file, ...(line !== undefined ? { line } : {}) },
  };
}

/** `root` followed by the path as JavaScript writes it, e.g. `params.model.trees[3].left[5]`; "(root)" for the document itself. */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const k of path) out += typeof k === "number" ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out || "(root)";
}

/**
 * For a reader that goes over many documents and leaves out the damaged ones (a listing, a
 * search): null for a DATA_ERROR, any other error thrown again.
 *
 * @example
 * const run = await ws.readDocument(RunRecord, oid, "run.json", ref).catch(nullIfDamaged);
 */
export function nullIfDamaged(e: unknown): null {
  if (isDwError(e) && e.code === "DATA_ERROR") return null;
  throw e;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = Reflect.get(v, k);
  }
  return v;
}

/** A primitive as JSON, cut to 40 characters; undefined for an object, an array or nothing. */
function shortValue(v: unknown): string | undefined {
  if (v === undefined || (v !== null && typeof v === "object")) return undefined;
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
