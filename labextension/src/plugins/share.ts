import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { Dialog, Notification, showDialog } from "@jupyterlab/apputils";
import type { ReadonlyPartialJSONObject } from "@lumino/coreutils";
import { Widget } from "@lumino/widgets";
import { CommandIds } from "../commandIds.js";
import { IDwClient } from "../tokens.js";
import type { ShareRequest } from "../tokens.js";
import { confirmNode } from "../widgets/shareDom.js";
import { resolutionConfirm, shareView } from "../widgets/shareView.js";

/**
 * The Push and Pull commands of the team registry: push_registry and pull_registry through the
 * kernel comm (args: `remote`, default origin; `take`, the conflicts to resolve). A resolution
 * (a pull taking the remote's side, a push keeping this clone's) first asks to confirm, saying
 * what is replaced and where the replaced value is kept. The sidebar's Team registry section runs
 * them and shows the result; a notification says how each ended.
 */
export const sharePlugin: JupyterFrontEndPlugin<void> = {
  id: "dw-labextension:share",
  description: "Push and pull the team registry (refs/dw/*) through a git remote, and resolve its conflicts.",
  autoStart: true,
  requires: [IDwClient],
  activate: (app: JupyterFrontEnd, client: IDwClient): void => {
    const add = (id: string, action: ShareRequest["action"]) =>
      app.commands.addCommand(id, {
        label: (args) => `${action === "push" ? "Push" : "Pull"} the Team Registry${typeof args.remote === "string" ? ` (${args.remote})` : ""}`,
        caption:
          action === "push"
            ? "Send this clone's models, versions and aliases (refs/dw/*) to a git remote, all or none"
            : "Take the team's models, versions and aliases (refs/dw/*) from a git remote, and see the conflicts",
        isEnabled: () => client.sharing?.state !== "running",
        execute: (args) => run(client, requestOf(action, args)),
      });
    add(CommandIds.pushRegistry, "push");
    add(CommandIds.pullRegistry, "pull");
  },
};

function requestOf(action: ShareRequest["action"], args: ReadonlyPartialJSONObject): ShareRequest {
  const remote = typeof args.remote === "string" && args.remote.trim() ? args.remote.trim() : "origin";
  const take = Array.isArray(args.take) ? args.take.filter((t): t is string => typeof t === "string" && t !== "") : [];
  return take.length ? { action, remote, take } : { action, remote };
}

async function run(client: IDwClient, request: ShareRequest): Promise<void> {
  if (request.take && !(await confirmed(client, request))) return;
  const what = request.action === "push" ? `Push to ${request.remote}` : `Pull from ${request.remote}`;
  try {
    const outcome = await client.share(request);
    if (!outcome.ok) {
      Notification.error(`${what}: ${outcome.error.message}`, { autoClose: 8000 });
      return;
    }
    const headline = shareView({ state: "done", request, result: outcome.result }).outcome?.headline ?? what;
    if (outcome.result.conflicts.length) Notification.warning(`${headline}: see the dw sidebar`, { autoClose: 8000 });
    else Notification.success(headline, { autoClose: 5000 });
  } catch (error) {
    Notification.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, { autoClose: 8000 });
  }
}

/** Asks before a resolution replaces a side, saying what is replaced and where it is kept; true when accepted. */
async function confirmed(client: IDwClient, request: ShareRequest): Promise<boolean> {
  const take = request.action === "pull" ? "theirs" : "ours";
  const conflicts = shareView(client.sharing).outcome?.conflicts ?? [];
  for (const target of request.take ?? []) {
    const conflict = conflicts.find((c) => c.target === target);
    const confirm = conflict
      ? resolutionConfirm(conflict, take, request.remote)
      : {
          title: `${take === "theirs" ? "Take the remote's" : "Keep this clone's"} ${target}?`,
          body: [`The other side's ${target} is replaced; what is replaced is kept under refs/dw-backup/ (the result names the ref).`],
          accept: take === "theirs" ? "Take theirs" : "Keep ours",
        };
    const answer = await showDialog({
      title: confirm.title,
      body: new Widget({ node: confirmNode(confirm) }),
      buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: confirm.accept })],
    });
    if (!answer.button.accept) return false;
  }
  return true;
}
