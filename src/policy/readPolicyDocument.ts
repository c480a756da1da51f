import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { loadYaml } from "./loadYaml.js";

/** The project's policy file, versioned with the project (not under `.dw/`, which git ignores). */
export const POLICY_FILE = "dw.policy.yaml";

/** The policy file as read: where it is, its text (to find a field's line for an error) and its parsed sections. */
export interface PolicyDocument {
  path: string;
  text: string;
  doc: Record<string, unknown>;
}

/** The last policy parsed, by file: a training reads the policy once per gate, and the file rarely changes between trainings. */
const lastParsed = new Map<string, PolicyDocument>();

/**
 * The policy file as parsed YAML, or null when the project has none (every section then takes its
 * defaults). Each section is validated by its owner (governance, quality, cost), so a mistake is
 * reported with the section's own field names. A YAML syntax error names the line and column.
 * The file is read on every call; its parse is reused while the text is the same (the document
 * is shared: readers validate it into their own values and never change it).
 */
export async function readPolicyDocument(ws: Workspace): Promise<PolicyDocument | null> {
  const path = join(ws.root, POLICY_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new DwError("CONFIG_ERROR", `${POLICY_FILE} could not be read: ${(e as Error).message}.`, { details: { file: path } });
  }
  const last = lastParsed.get(path);
  if (last !== undefined && last.text === text) return last;
  const parsed = loadYaml().parseDocument(text, { prettyErrors: true });
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0];
    const line = first.linePos?.[0]?.line;
    throw new DwError("CONFIG_ERROR", `${POLICY_FILE}${line ? `, line ${line}` : ""}: not valid YAML: ${first.message.split("\n")[0]}`, {
      hint: "Fix the YAML syntax; docs/policy.md shows the format.",
      details: { file: path, line },
    });
  }
  const doc = parsed.toJS() as unknown;
  if (doc === null || doc === undefined) return kept({ path, text, doc: {} });
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new DwError(
      "CONFIG_ERROR",
      `${POLICY_FILE} must be a mapping of sections (governance:, quality:, cost:), not ${Array.isArray(doc) ? "a list" : typeof doc}.`,
      {
        hint: "docs/policy.md shows the format.",
        details: { file: path },
      },
    );
  }
  return kept({ path, text, doc: doc as Record<string, unknown> });
}

function kept(read: PolicyDocument): PolicyDocument {
  lastParsed.set(read.path, read);
  return read;
}
