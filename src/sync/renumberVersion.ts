import type { Workspace } from "../workspace/Workspace.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { documentText } from "../workspace/documentText.js";
import { aliasRef, modelVersionRef } from "../registry/refs.js";
import { readRegistration } from "../registry/readRegistry.js";
import { DwError } from "../errors/DwError.js";
import { writeBackup } from "./syncRefs.js";
import { rewriteRecords } from "./rewriteRecords.js";
import type { Renumbered } from "./SyncReport.js";

/**
 * Gives a version this clone registered but never pushed a new number, `to`, because the remote
 * holds another registration under its number: a new registration commit (the same run and tree,
 * registration.json with the new number, `renumbered_from` and `renumbered_from_commit`, the old
 * registration commit), then every record this clone made after what the remote has that names
 * the old number rewritten to name the new one (rewriteRecords: deployments with their gate
 * reports and overrides, A/B tests, monitoring, and the reviews of this very registration, which
 * move to the new number), the aliases that named it moved to it, and the old ref removed, for the
 * remote's version to take its place. Everything replaced is kept under backup refs.
 *
 * Crash-safe: `copy` is the registration an interrupted renumbering of this very commit already
 * wrote (found by `renumbered_from_commit`); it is reused instead of a second number, and the
 * rewrite, which gives the same commits for the same records, finishes what was left.
 * Call under the workspace lock.
 */
export async function renumberVersion(
  ws: Workspace,
  args: {
    model: string;
    from: number;
    to: number;
    oid: string;
    copy?: string;
    remote: string;
    stamp: string;
    now: Date;
    known: (ref: string) => Promise<Set<string>>;
  },
): Promise<Renumbered> {
  const { model, from, oid } = args;
  const reg = await readRegistration(ws, oid);
  if (!reg || reg.model_name !== model || reg.version !== from) {
    throw new DwError("DATA_ERROR", `refs/dw/models/${model}/${from} does not hold a registration of ${model} v${from}, so it cannot be renumbered.`, {
      hint: `Inspect it with: git show refs/dw/models/${model}/${from}`,
      details: { ref: modelVersionRef(model, from) },
    });
  }
  const copyReg = args.copy ? await readRegistration(ws, args.copy) : null;
  const to = copyReg ? copyReg.version : args.to;
  const commit = args.copy && copyReg ? args.copy : await registerCopy(ws, { ...args, to, reg });
  if ((await ws.readRef(modelVersionRef(model, to)).catch(() => null)) !== commit) await ws.writeRef(modelVersionRef(model, to), commit);
  const backup = await writeBackup(ws, args.stamp, modelVersionRef(model, from), oid);

  const rewrites = await rewriteRecords(ws, { model, from, to, oldCommit: oid, newCommit: commit, map: new Map() }, args.known);
  for (const m of rewrites) if (m.old) await writeBackup(ws, args.stamp, m.ref, m.old);
  for (const m of rewrites) {
    if (m.new === null) await ws.deleteRef(m.ref);
    else await ws.writeRef(m.ref, m.new);
  }
  const deployments = rewrites.filter((m) => m.ref.startsWith(`refs/dw/deployments/`)).map((m) => m.ref.split("/")[4]);

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

/** The new registration commit: the old one's run and tree, registration.json saying the new number and where it came from. */
async function registerCopy(
  ws: Workspace,
  args: { model: string; from: number; to: number; oid: string; remote: string; now: Date; reg: NonNullable<Awaited<ReturnType<typeof readRegistration>>> },
): Promise<string> {
  const { model, from, to, oid, now, reg } = args;
  const old = await ws.readCommit(oid);
  const body = old.message
    .split("\n")
    .slice(1)
    .join("\n")
    .replace(/\n(Dw-[A-Za-z-]+: .*\n?)+$/, "")
    .trim();
  const message = commitMessage(
    `dw model ${model} v${to}: register run ${reg.run_id} (renumbered from v${from})`,
    [`Registered here as v${from} (${oid}); before it was shared, ${args.remote} got another v${from}, so it is v${to} now.`, ...(body ? ["", body] : [])],
    { "Dw-Model": model, "Dw-Version": to, "Dw-Run": reg.run_id },
  );
  const registration = { ...reg, version: to, renumbered_from: from, renumbered_from_commit: oid, renumbered_at: now.toISOString() };
  return ws.commit({
    ref: modelVersionRef(model, to),
    message,
    base: oid,
    parents: old.parents,
    files: { "registration.json": documentText(registration) },
    now,
  });
}

/**
 * The registration among `candidates` (version → commit) that a renumbering of `oid` wrote, if
 * any: a crash after it was written and before the old ref went leaves both, and the next pull
 * finishes that renumbering instead of giving the version yet another number.
 */
export async function findRenumberedCopy(ws: Workspace, model: string, oid: string, candidates: ReadonlyMap<number, string>): Promise<string | null> {
  for (const [version, commit] of [...candidates].sort((x, y) => x[0] - y[0])) {
    const reg = await readRegistration(ws, commit);
    if (reg && reg.model_name === model && reg.version === version && reg.renumbered_from_commit === oid) return commit;
  }
  return null;
}
