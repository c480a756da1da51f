import { DwError } from "../../errors/DwError.js";
import type { MlflowClient } from "./mlflowClient.js";
import { isRefusal } from "./MlflowRefusal.js";
import { CreatedExperiment, ExperimentAnswer, ExperimentsPage, readAnswer, RunsPage, tagRecord, type MlflowRun } from "./mlflowAnswers.js";

/**
 * The id of the active MLflow experiment named `name`, created when there is none. An
 * experiment of that name that was deleted in MLflow (it keeps the name) is a CONFLICT saying how
 * to restore it; dw never restores or renames anything in MLflow by itself.
 */
export async function ensureExperiment(mlflow: MlflowClient, name: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const { experiment } = readAnswer(
        ExperimentAnswer,
        await mlflow.call("GET", "experiments/get-by-name", { experiment_name: name }),
        mlflow.url,
        "experiments/get-by-name",
      );
      if (experiment.lifecycle_stage === "deleted") {
        throw new DwError("CONFLICT", `MLflow's experiment '${name}' is deleted; its name stays taken until it is restored or purged.`, {
          hint: `Restore it (mlflow experiments restore --experiment-id ${experiment.experiment_id}), or pass --experiment with another name.`,
          details: { experiment: name, experiment_id: experiment.experiment_id },
        });
      }
      return experiment.experiment_id;
    } catch (e) {
      if (!isRefusal(e, "RESOURCE_DOES_NOT_EXIST")) throw e;
    }
    try {
      const created = await mlflow.call("POST", "experiments/create", { name, tags: [{ key: "dw.created_by", value: "dw mlflow sync" }] });
      return readAnswer(CreatedExperiment, created, mlflow.url, "experiments/create").experiment_id;
    } catch (e) {
      // Someone created it between the two requests: read it again, once.
      if (!isRefusal(e, "RESOURCE_ALREADY_EXISTS") || attempt > 0) throw e;
    }
  }
}

/** Every active experiment of the server, id → name, read 1,000 a page. */
export async function listExperiments(mlflow: MlflowClient): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let pageToken: string | undefined;
  do {
    const answer = await mlflow.call("POST", "experiments/search", {
      max_results: 1000,
      view_type: "ACTIVE_ONLY",
      ...(pageToken ? { page_token: pageToken } : {}),
    });
    const page = readAnswer(ExperimentsPage, answer, mlflow.url, "experiments/search");
    for (const e of page.experiments) out.set(e.experiment_id, e.name);
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return out;
}

/** Experiments per runs/search request: the ids go into one SQL IN list on the server. */
const EXPERIMENTS_PER_SEARCH = 100;

/**
 * The active MLflow runs that mirror dw runs (those tagged dw.run_id) in the given experiments,
 * by dw run id, read 500 a page. Where two MLflow runs carry the same dw run id (made by hand, or
 * by another tool), the one that mirrors a commit completely (has dw.commit) is kept.
 */
export async function findMirroredRuns(mlflow: MlflowClient, experimentIds: readonly string[]): Promise<Map<string, MlflowRun>> {
  const out = new Map<string, MlflowRun>();
  for (let i = 0; i < experimentIds.length; i += EXPERIMENTS_PER_SEARCH) {
    let pageToken: string | undefined;
    do {
      const answer = await mlflow.call("POST", "runs/search", {
        experiment_ids: experimentIds.slice(i, i + EXPERIMENTS_PER_SEARCH),
        filter: "tags.`dw.run_id` LIKE '%'",
        run_view_type: "ACTIVE_ONLY",
        max_results: 500,
        order_by: ["attributes.start_time ASC"],
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      const page = readAnswer(RunsPage, answer, mlflow.url, "runs/search");
      for (const run of page.runs) {
        const tags = tagRecord(run.data.tags);
        const id = tags["dw.run_id"];
        if (!id) continue;
        const kept = out.get(id);
        if (!kept || (!tagRecord(kept.data.tags)["dw.commit"] && tags["dw.commit"])) out.set(id, run);
      }
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
  }
  return out;
}
