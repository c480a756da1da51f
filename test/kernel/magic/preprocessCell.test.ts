import { test } from "node:test";
import assert from "node:assert/strict";
import { blankMagicLines, preprocessCell } from "../../../kernel/magic/preprocessCell.js";
import { MagicError } from "../../../src/adapters/MagicError.js";

const opts = { bridge: "_k" };

test("each magic line becomes one awaited statement in place; TypeScript lines are untouched", () => {
  const cell = ["const n = 1;", "%dw load_dataset data/x.csv --as weather", "  %dw train_model --data weather --target t", "console.log(n);"].join("\n");
  const out = preprocessCell(cell, opts);
  const lines = out.code.split("\n");
  assert.equal(lines.length, 4);
  assert.equal(lines[0], "const n = 1;");
  assert.equal(lines[1], `const weather: any = await _k.magic(2, "%dw load_dataset data/x.csv --as weather");`);
  assert.equal(lines[2], `  void (await _k.magic(3, "%dw train_model --data weather --target t"));`);
  assert.equal(lines[3], "console.log(n);");
  assert.deepEqual(out.magicLines, [2, 3]);
});

test("line numbers stay put with CRLF and quotes in the line", () => {
  const out = preprocessCell('a\r\n%dw t --x "q \\"r\\""\r\nb', opts);
  const lines = out.code.split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[1], `void (await _k.magic(2, ${JSON.stringify('%dw t --x "q \\"r\\""')}));`);
});

test("a %%dw first line hands the whole cell to cellMagic and blanks the body lines", () => {
  const out = preprocessCell('\n%%dw train_model --as run\ndataset_id: weather\ntarget: "temp_max"', opts);
  assert.deepEqual(out.code.split("\n"), [
    "",
    `const run: any = await _k.cellMagic(" train_model --as run", "dataset_id: weather\\ntarget: \\"temp_max\\"");`,
    "",
    "",
  ]);
});

test("%%dw after the first line, and syntax errors, are reported with their line", () => {
  assert.throws(() => preprocessCell("x\n%%dw t", opts), /line 2: %%dw must be the first line/);
  assert.throws(() => preprocessCell("x\n%dw t --", opts), /line 2: malformed flag/);
  assert.throws(
    () => preprocessCell("%dw t --", opts),
    (e: unknown) => e instanceof MagicError && e.message.startsWith("malformed flag"),
  );
});

test("validate sees every parsed line before anything runs", () => {
  const seen: string[] = [];
  preprocessCell("%dw a\nx\n%dw b --k v", { ...opts, validate: (p) => void seen.push(p.tool) });
  assert.deepEqual(seen, ["a", "b"]);
  assert.throws(
    () =>
      preprocessCell("x\n%dw nope", {
        ...opts,
        validate: () => {
          throw new MagicError("unknown tool 'nope'");
        },
      }),
    /line 2: unknown tool 'nope'/,
  );
});

test("lines that merely mention %dw are left alone", () => {
  const cell = 'const s = "%dw x";\n// %dw in a comment\n%dwx';
  assert.equal(preprocessCell(cell, opts).code, cell);
});

test("blankMagicLines keeps offsets so completion positions still match", () => {
  const cell = "%dw load_dataset x.csv\ndw.lo";
  const blanked = blankMagicLines(cell);
  assert.equal(blanked.length, cell.length);
  assert.equal(blanked.split("\n")[1], "dw.lo");
  assert.equal(blanked.split("\n")[0].trim(), "");
});
