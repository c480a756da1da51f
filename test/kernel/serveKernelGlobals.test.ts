import { test } from "node:test";
import assert from "node:assert/strict";
import { startConverterThread } from "../../kernel/converterThread.js";
import { dwBindings, dwGlobalDeclarations } from "../../kernel/dwObject.js";
import { tools } from "../../src/tools/allTools.js";

const names = (diagnostics: { messageText: string }[]) => diagnostics.map((d) => d.messageText).join("; ");

// The kernel sends the DwTools interface while the program is being built; the first cell (the
// bindings) and every later one are checked against it without carrying it in their declarations.
test("declarations sent before the first cell are global in every cell, and not carried from cell to cell", () => {
  const thread = startConverterThread();
  try {
    thread.declareGlobals(dwGlobalDeclarations(tools));
    const bindings = thread.node.convert("", dwBindings());
    assert.deepEqual(bindings.diagnostics, []);
    // What the next cell re-reads is the bindings, not the ~35 KB interface.
    assert.doesNotMatch(bindings.declOutput ?? "", /interface DwTools|loadDataset/);
    const prev = bindings.declOutput ?? "";
    assert.deepEqual(thread.node.convert(prev, "dw.trainModel").diagnostics, []);
    // Checked against the tools' input schemas: train_model's target is a string.
    assert.match(names(thread.node.convert(prev, "dw.trainModel({ dataset_id: 'w', target: 3 })").diagnostics), /not assignable to type 'string'/);
    assert.equal(thread.node.complete(prev, "dw.trai", 7).candidates[0], "trainModel");
    assert.match(JSON.stringify(thread.node.inspect(prev, "dw.loadDataset", 14).displayParts), /loadDataset/);
  } finally {
    thread.close();
  }
});

test("declarations sent after the program was built, or changed, are read by the next cell", () => {
  const thread = startConverterThread();
  try {
    // Built without them (a call waits for the build): the name is unknown.
    assert.match(names(thread.node.convert("", "const a: Answer = { value: 42 };").diagnostics), /Cannot find name 'Answer'/);
    thread.declareGlobals("interface Answer { value: number }");
    assert.deepEqual(thread.node.convert("", "const a: Answer = { value: 42 };").diagnostics, []);
    // Changed: the old declarations are gone, the new ones are there.
    thread.declareGlobals("interface Answer { value: string }");
    assert.match(names(thread.node.convert("", "const a: Answer = { value: 42 };").diagnostics), /not assignable to type 'string'/);
    // Only the last of several sent before a cell counts.
    thread.declareGlobals("interface Answer { first: true }");
    thread.declareGlobals("interface Answer { last: true }");
    assert.deepEqual(thread.node.convert("", "const a: Answer = { last: true };").diagnostics, []);
    // The browser converter, built later, reads them too.
    assert.deepEqual(thread.browser.convert("", "const a: Answer = { last: true }; document.title").diagnostics, []);
  } finally {
    thread.close();
  }
});
