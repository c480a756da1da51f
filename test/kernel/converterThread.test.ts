import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type * as ts from "@tslab/typescript-for-tslab";
import { createConverter } from "tslab/dist/converter.js";
import { startConverterThread } from "../../kernel/converterThread.js";
import { declareOnlyNodeGlobals } from "../../kernel/declareOnlyNodeGlobals.js";
import { expandShorthandProperties } from "../../kernel/expandShorthandProperties.js";

const typescript = createRequire(createRequire(import.meta.url).resolve("tslab/package.json"))("@tslab/typescript-for-tslab") as typeof ts;

// The kernel's converters live on a thread of their own; each answer must be the one tslab's
// converter gives on this thread, for the same cells (shorthand properties written out, which the
// thread does) in the same order.
test("the converter thread answers convert, complete, inspect and addModule as tslab's converter does here", () => {
  declareOnlyNodeGlobals(typescript.sys); // as the thread does, so both programs see the same globals
  const here = createConverter();
  const thread = startConverterThread();
  try {
    let prevHere = "";
    let prevThread = "";
    const cells = [
      "const features: string[] = ['a', 'b'];\nfeatures.length",
      "let total = 0;\nfor (const f of features) total += f.length;\ntotal",
      "const wrong: number = 'text';",
      "await new Promise((r) => setTimeout(r, 1));\nprocess.version.startsWith('v')",
      "import { join } from 'node:path';\njoin('a', 'b')",
      "/** a shorthand property reads an earlier cell's variable */\n({ target: 't', features, total })",
    ];
    for (const cell of cells) {
      const a = here.convert(prevHere, expandShorthandProperties(cell, typescript));
      const b = thread.node.convert(prevThread, cell);
      assert.deepEqual(b, a, `convert ${JSON.stringify(cell)}`);
      assert.ok(b.diagnostics.length > 0 || b.output, "each cell either compiles or says why");
      if (a.diagnostics.length === 0) {
        prevHere = a.declOutput ?? "";
        prevThread = b.declOutput ?? "";
      }
    }
    assert.match(JSON.stringify(thread.node.convert(prevThread, "const wrong: number = 'text';").diagnostics), /not assignable to type 'number'/);

    const { original: _original, ...completeHere } = here.complete(prevHere, "features.le", 11);
    assert.deepEqual(thread.node.complete(prevThread, "features.le", 11), completeHere);
    assert.ok(completeHere.candidates.includes("length"));

    const inspected = thread.node.inspect(prevThread, "total.toFixed", 8);
    assert.deepEqual(inspected, here.inspect(prevHere, "total.toFixed", 8));
    assert.match(JSON.stringify(inspected.displayParts), /toFixed/);

    assert.match(thread.node.convert(prevThread, "({ features })").output ?? "", /features: /, "written out in full on the thread");
    const module = "export const answer: number = 'forty-two';";
    assert.deepEqual(thread.node.addModule("answers", module), here.addModule("answers", module));
    assert.match(JSON.stringify(thread.node.addModule("answers2", module)), /not assignable to type 'number'/);

    // What the converter throws there is thrown here, with its message.
    assert.throws(() => thread.node.addModule("", "export {};"), /invalid module name/);
    // The thread goes on answering after a failure.
    assert.equal(thread.node.convert("", "1 + 1").diagnostics.length, 0);
  } finally {
    here.close();
    thread.close();
  }
  assert.throws(() => thread.node.convert("", "1"), /closed/, "a closed thread says so instead of waiting for an answer");
});

test("the browser converter, with the DOM's declarations, is on the thread too", () => {
  const thread = startConverterThread();
  try {
    assert.deepEqual(thread.browser.addModule("page", "export const title: string = document.title;"), []);
    assert.match(JSON.stringify(thread.node.addModule("server", "export const title: string = document.title;")), /Cannot find name 'document'/);
  } finally {
    thread.close();
  }
});

test("a converter thread that runs out of memory ends, and a call says so instead of waiting for ever", {
  skip: process.platform !== "linux" && "the check reads /proc",
}, () => {
  // The lib files and @types/node do not fit in 16 MB: Node ends the thread while it builds them.
  const thread = startConverterThread({ resourceLimits: { maxOldGenerationSizeMb: 16 } });
  assert.throws(() => thread.node.convert("", "1 + 1"), /converter thread ended .*restart the kernel/);
  assert.throws(() => thread.node.complete("", "Ma", 2), /converter thread ended/, "and every later call");
  thread.close();
});
