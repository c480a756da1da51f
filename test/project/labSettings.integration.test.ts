import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startJupyterLab } from "../helpers/jupyterLab.js";

// npm start opens straight onto the quickstart: JupyterLab's "get notified about official Jupyter
// news?" toast would cover the corner of the first screen. The set-up puts defaults in .venv's
// settings overrides (no news fetched, no update check); a new user's JupyterLab, with no settings
// of its own, must read them from the server.
test("the environment's JupyterLab defaults to no news prompt and no update check, with no user settings", { timeout: 120_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), "dw-labsettings-"));
  const lab = await startJupyterLab({ rootDir: root, noUserSettings: true });
  try {
    const r = await fetch(`${lab.url}/lab/api/settings/@jupyterlab/apputils-extension:notification`, {
      headers: { Authorization: `token ${lab.token}` },
    });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { raw: string; schema: { properties: Record<string, { default?: unknown }> } };
    assert.equal(body.schema.properties.fetchNews.default, "false");
    assert.equal(body.schema.properties.checkForUpdates.default, false);
    // Nothing of the user's: the defaults come from the environment, and a user's choice still wins.
    assert.doesNotMatch(body.raw, /fetchNews/);
  } finally {
    await lab.stop();
    await rm(root, { recursive: true, force: true });
  }
});
