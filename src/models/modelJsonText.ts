/**
 * The text of a `model.json`: JSON indented by two spaces as `JSON.stringify(value, null, 2)`
 * writes it, except that an array holding only finite numbers stays on one line with no spaces,
 * so a forest's node arrays stay small and a diff shows one line per array. Written in one pass:
 * formatting a million-node forest through JSON.stringify and a regular expression took seconds
 * and a string several times the file's size.
 *
 * @example
 * modelJsonText({ a: [1, 2], b: { c: "x" } });
 * // '{\n  "a": [1,2],\n  "b": {\n    "c": "x"\n  }\n}\n'
 */
export function modelJsonText(value: unknown): string {
  const out: string[] = [];
  write(value, "", out);
  return out.join("") + "\n";
}

/** Appends `v` at the given indentation; false (nothing written) for what JSON leaves out: undefined, functions, symbols. */
function write(v: unknown, indent: string, out: string[]): boolean {
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") v = (v as { toJSON(): unknown }).toJSON();
  if (v === undefined || typeof v === "function" || typeof v === "symbol") return false;
  if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf(); // boxed primitives, as JSON.stringify
  if (v === null || typeof v !== "object") {
    out.push(typeof v === "bigint" ? failBigInt() : JSON.stringify(v));
    return true;
  }
  const inner = indent + "  ";
  if (Array.isArray(v)) {
    const items: unknown[] = v;
    // An index loop, not every/forEach: a hole in a sparse array is written as null, as JSON does.
    let numbers = true;
    for (let i = 0; i < items.length && numbers; i++) numbers = typeof items[i] === "number" && Number.isFinite(items[i]);
    if (items.length === 0) out.push("[]");
    else if (numbers) out.push("[", items.join(","), "]");
    else {
      out.push("[\n");
      for (let i = 0; i < items.length; i++) {
        out.push(inner);
        if (!write(items[i], inner, out)) out.push("null");
        out.push(i < items.length - 1 ? ",\n" : "\n");
      }
      out.push(indent, "]");
    }
    return true;
  }
  let first = true;
  for (const [k, x] of Object.entries(v)) {
    const at = out.length;
    out.push(first ? "{\n" : ",\n", inner, JSON.stringify(k), ": ");
    if (write(x, inner, out)) first = false;
    else out.length = at; // a property JSON leaves out
  }
  out.push(first ? "{}" : `\n${indent}}`);
  return true;
}

function failBigInt(): never {
  throw new TypeError("modelJsonText: a BigInt cannot be written as JSON");
}
