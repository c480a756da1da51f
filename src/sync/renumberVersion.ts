import type { Workspace } from "../workspace/Workspace.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { documentText } from "../workspace/documentText.js";
import { aliasRef, deploymentRef, modelVersionRef } from "../registry/refs.js";
import { readDeploymentRecord, readRegistration } from "../registry/readRegistry.js";
import { DwError } from "../errors/DwError.js";
import { writeBackup } from "./syncRefs.js";
import type { Renumbered } from "./SyncReport.js";

/**
 * Gives a version this clone registered but never pushed a new number, `to`, because the remote
 * holds another registration under its number: a new registration commit (the same run and tree,
 * registration.json with the new number and the old one as `renumbered_from`), this clone's
 * aliases that named it moved to it, and its deployments whose last record named it recorded
 * again with the new number, so the alias refs and the records still agree (dw serve trusts the
 * record). The old registration is kept under a backup ref and its ref is removed, for the
 * remote's version to take its place. Call under the workspace lock.
 */
export async function renumberVersion(
  ws: Workspace,
  args: { model: string; from: number; to: number; oid: string; remote: string; stamp: string; now: Date },
): Promise<Renumbered> {
  const { model, from, to, oid, now } = args;
  const reg = await readRegistration(ws, oid);
  if (!reg || reg.model_name !== model || reg.version !== from) {
    throw new DwError("DATA_ERROR", `refs/dw/models/${model}/${from} does not hold a registration of ${model} v${from}, so it cannot be renumbered.`, {
      hint: `Inspect it with: git show refs/dw/models/${model}/${from}`,
      details: { ref: modelVersionRef(model, from) },
    });
  }
  const old = await ws.readCommit(oid);
  const body = old.message
    .split("\n")
    .slice(1)
    .join("\n")
    .replace(/\n(Dw-[A-Za-z-]+: .*\n?)+$/, "")
    .trim();
  const message = commitMessage(
    `dw model ${model} v${to}: register run ${reg.run_id} (renumbered from v${from})`,
    [`Registered here as v${from}; before it was shared, ${args.remote} got another v${from}, so it is v${to} now.`, ...(body ? ["", body] : [])],
    { "Dw-Model": model, "Dw-Version": to, "Dw-Run": reg.run_id },
  );
  const registration = { ...reg, version: to, renumbered_from: from, renumbered_at: now.toISOString() };
  const commit = await ws.commit({
    ref: modelVersionRef(model, to),
    message,
    base: oid,
    parents: old.parents,
    files: { "registration.json": documentText(registration) },
    now,
  });
  const backup = await writeBackup(ws, args.stamp, modelVersionRef(model, from), oid);

  const deployments: string[] = [];
  for (const alias of await ws.listRefs(`refs/dw/deployments/${model}`)) {
    if (alias.includes("/")) continue;
    const head = await ws.readRef(deploymentRef(model, alias)).catch(() => null);
    const rec = head ? await readDeploymentRecord(ws, head, model) : null;
    if (!head || !rec || rec.version !== from) continue;
    await ws.commit({
      ref: deploymentRef(model, alias),
      message: commitMessage(
        `dw deploy ${model}@${alias} -> v${to} (renumbered from v${from})`,
        [`The version deployed here as v${from} is v${to} after a pull from ${args.remote}.`],
        {
          "Dw-Model": model,
          "Dw-Version": to,
          "Dw-Alias": alias,
          "Dw-Via": "pull_registry",
        },
      ),
      parents: [head],
      files: { "deployment.json": documentText({ ...rec, version: to }) },
      now,
    });
    deployments.push(alias);
  }
  const aliases: string[] = [];
  for (const alias of await ws.listRefs(`refs/dw/aliases/${model}`)) {
    if (alias.includes("/")) continue;
    if ((await ws.readRef(aliasRef(model, alias)).catch(() => null)) !== oid) continue;
    await ws.writeRef(aliasRef(model, alias), commit);
    aliases.push(alias);
  }
  await ws.deleteRef(modelVersionRef(model, from));
  return { model_name: model, from, to, commit, backup, aliases, deployments };
}
