import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findNotebookPath, readNotebook } from "../../kernel/notebookOrigin.js";

const root = await mkdtemp(join(tmpdir(), "dw-nb-origin-"));
after(() => rm(root, { recursive: true, force: true }));
const folder = join(root, "examples");
await mkdir(folder);
const nb = join(folder, "quickstart.ipynb");
await writeFile(nb, '{"cells": []}');

test("JPY_SESSION_NAME as an absolute path, relative to the server root, or relative to the kernel's folder", async () => {
  assert.equal(await findNotebookPath({ JPY_SESSION_NAME: nb }, folder), nb);
  // Server-root-relative: the kernel runs in the notebook's folder, so the file name finds it.
  assert.equal(await findNotebookPath({ JPY_SESSION_NAME: "examples/quickstart.ipynb" }, folder), nb);
  assert.equal(await findNotebookPath({ JPY_SESSION_NAME: "examples/quickstart.ipynb" }, root), nb);
  assert.equal(await readNotebook(nb), '{"cells": []}');
});

test("DW_NOTEBOOK comes first; names that are not an existing .ipynb are ignored", async () => {
  const other = join(folder, "other.ipynb");
  await writeFile(other, "{}");
  assert.equal(await findNotebookPath({ DW_NOTEBOOK: other, JPY_SESSION_NAME: nb }, folder), other);
  assert.equal(await findNotebookPath({ JPY_SESSION_NAME: "Untitled.ipynb" }, folder), undefined);
  assert.equal(await findNotebookPath({ JPY_SESSION_NAME: "console-1-abc" }, folder), undefined);
  assert.equal(await findNotebookPath({}, folder), undefined);
  assert.equal(await readNotebook(join(folder, "missing.ipynb")), undefined);
});
