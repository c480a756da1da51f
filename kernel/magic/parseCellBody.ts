import { MagicError } from "../../src/adapters/MagicError.js";
import type { FlagValue } from "../../src/adapters/parseFlags.js";

export type CellBody = { kind: "json"; input: Record<string, unknown> } | { kind: "lines"; entries: { key: string; value: FlagValue; line: number }[] };

/**
 * The body of a `%%dw` cell: a JSON object, or `key: value` lines (blank lines and `#` comments
 * skipped; a value in quotes is literal text). Values of `key: value` lines are coerced later,
 * by field type, like flags on a magic line.
 */
export function parseCellBody(body: string): CellBody {
  const trimmed = body.trim();
  if (trimmed.startsWith("{")) {
    let input: unknown;
    try {
      input = JSON.parse(trimmed);
    } catch (e) {
      throw new MagicError(`the %%dw body is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw new MagicError("the %%dw body must be a JSON object");
    return { kind: "json", input: input as Record<string, unknown> };
  }
  const entries: { key: string; value: FlagValue; line: number }[] = [];
  body.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const m = /^([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*)$/.exec(line);
    if (!m) throw new MagicError(`line ${i + 2} of the %%dw body is not 'key: value': ${line}`);
    const text = m[2].trim();
    const quote = text[0];
    const quoted = text.length >= 2 && (quote === '"' || quote === "'") && text.endsWith(quote);
    entries.push({ key: m[1], value: { text: quoted ? text.slice(1, -1) : text, quoted }, line: i + 2 });
  });
  return { kind: "lines", entries };
}
