import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { openBrowserSession, shotsDir as shots, type BrowserSession } from "../helpers/browserSession.js";
import type { JupyterLab } from "../helpers/jupyterLab.js";
import type { LabPage } from "../helpers/labPage.js";
import { makeTempWorkspace, repoRoot } from "../helpers/tempWorkspace.js";
import type { TempWorkspace } from "../helpers/tempWorkspace.js";

// The sidebar's Team registry in a real JupyterLab with the dw labextension, the dw kernel and
// Chromium, over a bare repository that Ada's workspace (the one JupyterLab serves) and Bob's
// clone both have as origin. Ada pushes from the sidebar (by keyboard); Bob pulls, registers his
// v2, moves production to it and pushes with the CLI; Ada registers her own v2 and moves production
// too; her Pull in the sidebar renumbers her v2 to v3 and shows the alias conflict with both sides;
// Take theirs, confirmed in the dialog, takes Bob's and names where Ada's is kept.

const MINUTE = 60_000;
const run = promisify(execFile);

let dir: string;
let bare: string;
let session: BrowserSession;
let A: TempWorkspace;
let B: TempWorkspace;
let lab: JupyterLab;
let page: Page;
let ui: LabPage;

/** `node bin/dw.js <args>` as a user types it; its JSON output. */
async function dw(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [join(repoRoot, "bin", "dw.js"), ...args], { cwd: dir, encoding: "utf8" });
  return JSON.parse(stdout) as Record<string, unknown>;
}
const git = async (gitdir: string, ...args: string[]) => (await run("git", ["--git-dir", gitdir, ...args], { encoding: "utf8" })).stdout.trim();

/** Makes `workspace` a git repository with the bare registry as origin, committing as `who`. */
async function joinRegistry(workspace: string, who: string): Promise<void> {
  await run("git", ["init", "-q", workspace]);
  await git(join(workspace, ".git"), "remote", "add", "origin", bare);
  await git(join(workspace, ".git"), "config", "user.name", who);
  await git(join(workspace, ".git"), "config", "user.email", `${who.toLowerCase()}@example.com`);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "dw-browser-share-"));
  bare = join(dir, "registry.git");
  await run("git", ["init", "--bare", "-q", bare]);
  B = await makeTempWorkspace("dw-browser-share-bob-");
  await joinRegistry(B.dir, "Bob");
  session = await openBrowserSession({
    prefix: "dw-browser-share-ada-",
    shotsPrefix: "share",
    // A notebook with the dw kernel and nothing to run: the sidebar follows its kernel.
    files: {
      "share.ipynb": JSON.stringify({
        cells: [{ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: [] }],
        metadata: { kernelspec: { display_name: "TypeScript (dw)", language: "typescript", name: "dw" } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    },
    prepare: (workspace) => joinRegistry(workspace, "Ada"),
  });
  ({ tw: A, lab, page, ui } = session);
});

after(async () => {
  await session?.close();
  await B?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const section = () => page.locator(".dw-Sidebar .dw-Share");
const lines = async (kind: string) => (await section().locator(`.dw-Share-line[data-kind='${kind}']`).allInnerTexts()).map((t) => t.trim());

/** Waits for the push or pull started to end; fails with what the sidebar says when it failed and `ok` was expected. */
async function ended(what: string, expect: "done" | "failed" = "done"): Promise<string> {
  await ui.waitFor(`the ${what} to end`, MINUTE, async () => ["done", "failed"].includes((await section().getAttribute("data-share")) ?? ""));
  const state = await section().getAttribute("data-share");
  if (state !== expect) assert.fail(`${what} ${state}: ${await section().locator(".dw-Share-result").innerText()}`);
  return (await section().locator(".dw-Share-headline").innerText()).trim();
}

test("Push shares Ada's version; after Bob's conflicting work Pull renumbers hers and shows the alias conflict; Take theirs resolves it, naming the backup", {
  timeout: 4 * MINUTE,
}, async () => {
  const adaGit = join(A.dir, ".git");
  let runId = "";
  await ui.step("01-push-by-keyboard", async () => {
    await dw("load_dataset", join(A.dir, "data", "seattle-weather.csv"), "--workspace", A.dir);
    const trained = await dw("train_model", "--dataset_id", "seattle-weather", "--target", "temp_max", "--features", "temp_min,wind", "--workspace", A.dir);
    runId = String(trained.run_id);
    await dw("register_model", "--run_id", runId, "--name", "temp", "--alias", "production", "--workspace", A.dir);

    await page.goto(`${lab.url}/lab/tree/share.ipynb?token=${lab.token}`);
    await page.waitForSelector(".jp-NotebookPanel", { timeout: 2 * MINUTE });
    await page.locator(".jp-SideBar.jp-mod-right [data-id='dw-sidebar']").click();
    await page.waitForSelector(".dw-Sidebar[data-connection='connected']", { state: "visible", timeout: 2 * MINUTE });
    await page.locator(".dw-Sidebar .dw-Model[data-model='temp'] tr[data-version='1']").waitFor({ timeout: MINUTE });
    assert.equal((await page.locator(".dw-Sidebar .dw-Panel[data-panel='team'] .dw-Panel-toggle").textContent())?.trim(), "Team registry");
    assert.equal(await section().locator(".dw-Share-remote").inputValue(), "origin", "the remote defaults to origin");
    // The remote field, then Push, by keyboard.
    await section().locator(".dw-Share-remote").focus();
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(
      () => (globalThis as unknown as { document: { activeElement: { className: string } | null } }).document.activeElement?.className ?? "",
    );
    assert.ok(focused.split(" ").includes("dw-Share-push"), `Tab from the remote reaches Push, not ${focused}`);
    await page.keyboard.press("Enter");
    assert.equal(await ended("push"), "Pushed 3 refs to origin");
    assert.deepEqual(await lines("versions"), ["versions sent: temp/1"]);
    assert.deepEqual(await lines("aliases"), ["aliases: temp@production → v1"]);
    assert.deepEqual(await lines("data"), [
      `data staying in this clone only: seattle-weather (${(await git(adaGit, "show", `refs/dw/runs/${runId}:data/manifest.json`)).match(/"sha256": "([0-9a-f]{12})/)?.[1]})`,
    ]);
    assert.match((await lines("hint"))[0], /No shared data cache is configured/);
    const remoteRefs = (await git(bare, "for-each-ref", "--format=%(refname) %(objectname)", "refs/dw")).split("\n").sort();
    assert.deepEqual(
      remoteRefs.map((l) => l.split(" ")[0]),
      ["refs/dw/aliases/temp/production", "refs/dw/models/temp/1", `refs/dw/runs/${runId}`],
    );
    assert.ok(remoteRefs.includes(`refs/dw/models/temp/1 ${await git(adaGit, "rev-parse", "refs/dw/models/temp/1")}`), "the remote holds Ada's v1");
  });

  await ui.step("02-bob-pushes-his-v2-ada-registers-hers", async () => {
    await dw("pull", "origin", "--workspace", B.dir);
    await dw("register_model", "--run_id", runId, "--name", "temp", "--alias", "production", "--description", "Bob's", "--workspace", B.dir);
    const pushed = await dw("push", "origin", "--workspace", B.dir);
    assert.deepEqual(pushed.versions, ["temp/2"]);
    await dw("register_model", "--run_id", runId, "--name", "temp", "--alias", "production", "--description", "Ada's", "--workspace", A.dir);
    // The sidebar's next state shows Ada's v2.
    await page.locator(".dw-Sidebar .dw-Model[data-model='temp'] tr[data-version='2']").waitFor({ timeout: MINUTE });
  });

  await ui.step("03-pull-renumbers-and-shows-the-conflict", async () => {
    await section().locator(".dw-Share-pull").click();
    assert.equal(await ended("pull"), "Pulled 1 ref from origin; 1 conflict");
    const renumbered = await lines("renumbered");
    assert.equal(renumbered.length, 1);
    assert.match(
      renumbered[0],
      /^renumbered temp v2 → v3: origin holds another v2 \(@production moved with it\); the old registration is kept under refs\/dw-backup\/\S+\/models\/temp\/2$/,
    );
    assert.deepEqual(await lines("versions"), ["versions taken: temp/2"]);
    const conflict = section().locator(".dw-Conflict[data-target='temp@production']");
    assert.equal(await section().locator(".dw-Conflict").count(), 1);
    const sideText = async (side: string) => (await conflict.locator(`.dw-Conflict-side[data-side='${side}']`).innerText()).trim();
    assert.match(await sideText("base"), new RegExp(`^v1 · run ${runId} · Ada <ada@example.com> · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`));
    assert.match(await sideText("ours"), new RegExp(`^v3 · run ${runId} · Ada <ada@example.com> · `));
    assert.match(await sideText("theirs"), new RegExp(`^v2 · run ${runId} · Bob <bob@example.com> · `));
    assert.match(await conflict.locator(".dw-Conflict-why").innerText(), /moved on both sides since the last sync: here to v3, on the remote to v2/);
    // The kernel pushed the state after the pull: Bob's v2 and Ada's renumbered v3.
    await page.locator(".dw-Sidebar .dw-Model[data-model='temp'] tr[data-version='3']").waitFor({ timeout: MINUTE });
    assert.equal(await git(adaGit, "rev-parse", "refs/dw/models/temp/2"), await git(bare, "rev-parse", "refs/dw/models/temp/2"), "Bob's v2 is here");
    assert.equal(
      await git(adaGit, "rev-parse", "refs/dw/aliases/temp/production"),
      await git(adaGit, "rev-parse", "refs/dw/models/temp/3"),
      "Ada's production follows her v3",
    );
    await conflict.scrollIntoViewIfNeeded();
  });

  await ui.step("04-take-theirs-confirmed", async () => {
    const conflict = section().locator(".dw-Conflict[data-target='temp@production']");
    const dialog = page.locator(".jp-Dialog");
    // Cancel leaves everything as it was.
    await conflict.getByRole("button", { name: "Take origin's temp@production" }).click();
    await dialog.waitFor({ state: "visible", timeout: 10_000 });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached", timeout: 10_000 });
    assert.equal(await section().getAttribute("data-share"), "done");
    assert.equal(await section().locator(".dw-Conflict").count(), 1);

    const ours = await git(adaGit, "rev-parse", "refs/dw/aliases/temp/production");
    await conflict.getByRole("button", { name: "Take origin's temp@production" }).click();
    await dialog.waitFor({ state: "visible", timeout: 10_000 });
    assert.equal((await dialog.locator(".jp-Dialog-header").innerText()).trim(), "Take origin's temp@production?");
    const body = await dialog.locator(".dw-ResolveConfirm").innerText();
    assert.match(body, /refs\/dw\/aliases\/temp\/production: this clone's v3 · .* is replaced by origin's v2 · .*Bob/);
    assert.match(body, /This clone's value is kept under refs\/dw-backup\/<time>\/aliases\/temp\/production/);
    await page.screenshot({ path: join(shots, "share-04-confirm-dialog.png") });
    await dialog.getByRole("button", { name: "Take theirs" }).click();
    assert.equal(await ended("pull taking theirs"), "Pulled 1 ref from origin");
    const resolved = await lines("resolved");
    assert.equal(resolved.length, 1);
    const backup = resolved[0].match(
      /^resolved temp@production: took origin's; this clone's is kept under (refs\/dw-backup\/\S+\/aliases\/temp\/production)$/,
    )?.[1];
    assert.ok(backup, resolved[0]);
    assert.equal(await git(adaGit, "rev-parse", backup), ours, "Ada's production is kept under the backup ref the sidebar names");
    assert.equal(ours, await git(adaGit, "rev-parse", "refs/dw/models/temp/3"), "what was replaced: production on Ada's renumbered v3");
    assert.equal(
      await git(adaGit, "rev-parse", "refs/dw/aliases/temp/production"),
      await git(bare, "rev-parse", "refs/dw/aliases/temp/production"),
      "Ada has Bob's production",
    );
    assert.equal(await section().locator(".dw-Conflict").count(), 0);
    assert.deepEqual(await lines("aliases"), ["aliases: temp@production → v2"]);
    await ui.waitFor("the sidebar's models to show production on v2", MINUTE, async () =>
      (await page.locator(".dw-Sidebar .dw-Model[data-model='temp'] .dw-Model-title").innerText()).includes("@production → v2"),
    );
  });
});
