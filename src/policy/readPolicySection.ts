import type { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { POLICY_FILE, readPolicyDocument } from "./readPolicyDocument.js";
import { policyFieldLine } from "./policyFieldLine.js";

/** A validated policy section and where it came from (null: no file, or no such section: defaults). */
export interface PolicySection<T> {
  policy: T;
  file: string | null;
}

/**
 * Reads and validates one top-level section (`governance:`, `cost:`) of dw.policy.yaml. The other
 * sections belong to other owners and are left alone. A missing file or section gives the
 * schema's defaults. A mistake is a CONFIG_ERROR naming the file, the field path, the line (read
 * back from the YAML document) and what is allowed there.
 */
export async function readPolicySection<S extends z.ZodType>(
  ws: Workspace,
  section: string,
  schema: S,
  allowed: (path: string) => string,
): Promise<PolicySection<z.output<S>>> {
  const read = await readPolicyDocument(ws);
  const raw = read?.doc[section];
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return { policy: parsed.data, file: raw === undefined ? null : read!.path };
  const issue = parsed.error.issues[0];
  const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
  const path = [section, ...issue.path.map(String)];
  const where = keys.length ? [...path, keys[0]] : path;
  const line = read ? policyFieldLine(read.text, where, keys.length > 0) : undefined;
  const field = where.join(".");
  const given = valueAt(raw, issue.path);
  const what = keys.length
    ? `unknown field '${keys[0]}'`
    : `${issue.message}${given !== undefined && typeof given !== "object" ? ` (got ${JSON.stringify(given)})` : ""}`;
  throw new DwError("CONFIG_ERROR", `${POLICY_FILE}${line ? `, line ${line}` : ""}, field ${field}: ${what}.`, {
    hint: `${allowed(keys.length ? path.join(".") : field)} docs/policy.md shows the format.`,
    details: { file: read?.path, field, ...(line ? { line } : {}) },
  });
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
