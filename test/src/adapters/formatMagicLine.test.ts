import { test } from "node:test";
import assert from "node:assert/strict";
import { createMagicRouter } from "../../../kernel/magic/createMagicRouter.js";
import { formatMagicLine, type MagicToolSchema } from "../../../src/adapters/formatMagicLine.js";
import { MagicError } from "../../../src/adapters/MagicError.js";
import { toolFields, type FieldKind, type ToolField } from "../../../src/adapters/toolFields.js";
import { toolSchemaDocument } from "../../../src/schema/toolSchemas.js";
import { tools } from "../../../src/index.js";

/** Kernel variables named like the values below: a bare `wine` or `quality` would be read as these, so the line must quote them. */
const scope = { wine: { dataset_id: "other" }, quality: 123, alcohol: ["from a variable"], x: { y: 1 }, data: "variable text", ridge: "variable" };

let seen: Record<string, unknown> | undefined;
/** The real router of the kernel: a line goes through parseMagicLine, the flag checks and coerceInput with the scope above. */
const router = createMagicRouter({
  tools,
  scope: () => scope,
  callTool: async (_name, input) => {
    seen = input;
    return {};
  },
  showHelp: () => assert.fail("help shown"),
});

async function kernelInput(line: string): Promise<Record<string, unknown>> {
  seen = undefined;
  await router.magic(1, line);
  assert.ok(seen, `no call for ${line}`);
  return seen;
}

const TEXTS = [
  "wine",
  "data/wine.csv",
  "a b",
  "it's",
  'say "hi"',
  "both ' and \"",
  "5",
  "true",
  "null",
  "",
  "--x",
  "quality",
  "x.y",
  "back\\slash",
  "ünï cödé",
  "[x",
  "{",
  "-3",
  "a=b",
];
const NUMBERS = [0, -3, 2.5, 1e-7, 12345];
const INTEGERS = [0, -3, 7, 12345];

/** Values of every shape a field of this kind can take, the awkward ones included. */
function valuesFor(f: ToolField): unknown[] {
  if (f.schema.enum) return f.schema.enum;
  const items = (kind: FieldKind | undefined): unknown[][] => {
    if (kind === "number" || kind === "integer") return [[1, 2.5], [], [3]];
    if (kind === "string") return [["alcohol"], ["alcohol", "ph"], ["a b", "c"], ["5"], ["it's", 'x"y'], [], [" padded "], ["a,b"], ["[x", "y"]];
    return [[{ a: 1 }, "x"], []];
  };
  switch (f.kind) {
    case "string":
      return TEXTS;
    case "number":
      return NUMBERS;
    case "integer":
      return INTEGERS;
    case "boolean":
      return [true, false];
    case "array":
      return items(f.itemKind);
    case "object":
      return [{}, { l2: 0.1, "a b": [1, "it's"], nested: { q: null } }];
    default:
      return ["text", "5", 5, true, false, null, { k: "v" }, ["q"], "x.y", "[x"];
  }
}

test("every tool: formatting an input as a %dw line and running that line through the kernel's parser gives the same input back", async () => {
  let checked = 0;
  for (const tool of tools) {
    const schema = toolSchemaDocument(tool.name) as unknown as MagicToolSchema;
    const fields = toolFields(tool).fields;
    const variants = Math.max(...fields.map((f) => valuesFor(f).length), 1);
    for (let i = 0; i < variants; i++) {
      const input: Record<string, unknown> = {};
      for (const f of fields) {
        const values = valuesFor(f);
        const value = values[i % values.length];
        // A line break cannot go on a %dw line (below); everything else must round-trip.
        input[f.name] = value;
      }
      const line = formatMagicLine(schema, input);
      assert.deepEqual(await kernelInput(line), input, `${tool.name}: ${line}`);
      checked++;
    }
    // One field at a time too, so no field's flag leans on another's.
    for (const f of fields) {
      for (const value of valuesFor(f)) {
        const line = formatMagicLine(schema, { [f.name]: value });
        assert.deepEqual(await kernelInput(line), { [f.name]: value }, `${tool.name}: ${line}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 500, `only ${checked} lines checked`);
});

test("the line reads as a person would write it: plain paths and numbers bare, names that could be variables quoted, lists as a,b", () => {
  const train = toolSchemaDocument("train_model") as unknown as MagicToolSchema;
  assert.equal(
    formatMagicLine(train, { dataset_id: "wine", target: "quality", features: ["alcohol", "ph"], test_size: 0.25 }),
    "%dw train_model --dataset_id 'wine' --target 'quality' --features alcohol,ph --test_size 0.25",
  );
  const load = toolSchemaDocument("load_dataset") as unknown as MagicToolSchema;
  assert.equal(formatMagicLine(load, { path: "data/wine.csv", tags: ["red wine", "raw"] }), "%dw load_dataset --path data/wine.csv --tags 'red wine,raw'");
  assert.equal(formatMagicLine(load, { path: "it's here.csv" }), `%dw load_dataset --path "it's here.csv"`);
  assert.equal(formatMagicLine(load, {}), "%dw load_dataset");
});

test("a text value with a line break is refused with what to do instead; the same text inside JSON is fine", async () => {
  const load = toolSchemaDocument("load_dataset") as unknown as MagicToolSchema;
  assert.throws(
    () => formatMagicLine(load, { query: "select 1\nfrom t" }),
    (e: unknown) => e instanceof MagicError && /--query holds a line break/.test(e.message) && /%%dw cell/.test(e.message),
  );
  const tags = ["a\nb"];
  assert.deepEqual(await kernelInput(formatMagicLine(load, { tags })), { tags });
});
