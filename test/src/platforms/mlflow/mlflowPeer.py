"""What MLflow's own Python client reads from a tracking server, as JSON on stdout.

usage: mlflowPeer.py URL COMMAND [ARGS...]
  dump EXPERIMENT... DOWNLOAD_DIR  every active run of those experiments (info, tags, params, latest
                                   metrics, each metric's history) and every registered model
                                   (versions with tags, source, run id; aliases), with each run's
                                   model/model.json downloaded to DOWNLOAD_DIR/<run id>/
  delete-experiment NAME           deletes the experiment (and so its runs), as a user in the UI
  preexisting MODEL DW_RUN_ID      what a user (or a sync that died early) left before dw syncs:
                                   a registered model MODEL with one version of its own, and in
                                   experiment "dw" a RUNNING run tagged dw.run_id=DW_RUN_ID only
"""
import json
import os
import sys

from mlflow.tracking import MlflowClient


def dump(client, experiments, download_dir):
    out = {"experiments": {}, "models": {}}
    for name in experiments:
        exp = client.get_experiment_by_name(name)
        if exp is None:
            out["experiments"][name] = None
            continue
        runs = []
        for run in client.search_runs([exp.experiment_id], max_results=1000):
            rid = run.info.run_id
            history = {
                key: [{"step": m.step, "value": m.value, "timestamp": m.timestamp} for m in client.get_metric_history(rid, key)]
                for key in run.data.metrics
            }
            dst = os.path.join(download_dir, rid)
            os.makedirs(dst, exist_ok=True)
            try:
                model_path = client.download_artifacts(rid, "model/model.json", dst)
            except Exception as e:  # reported, so the test names what is missing
                model_path = "error: %s" % e
            runs.append({
                "run_id": rid,
                "status": run.info.status,
                "start_time": run.info.start_time,
                "end_time": run.info.end_time,
                "tags": run.data.tags,
                "params": run.data.params,
                "metrics": run.data.metrics,
                "history": history,
                "artifacts": sorted(a.path for a in client.list_artifacts(rid, "gates")) + sorted(a.path for a in client.list_artifacts(rid, "model")),
                "model_json": model_path,
            })
        out["experiments"][name] = runs
    for rm in client.search_registered_models():
        versions = [
            {"version": v.version, "tags": v.tags, "source": v.source, "run_id": v.run_id, "description": v.description}
            for v in client.search_model_versions("name = '%s'" % rm.name)
        ]
        aliases = {}
        for alias in rm.aliases:
            mv = client.get_model_version_by_alias(rm.name, alias)
            aliases[alias] = mv.version
        out["models"][rm.name] = {"versions": versions, "aliases": aliases}
    return out


def preexisting(client, model, dw_run_id):
    client.create_registered_model(model)
    client.create_model_version(model, "s3://team-bucket/elsewhere/model", description="made by hand in MLflow")
    exp = client.get_experiment_by_name("dw")
    exp_id = exp.experiment_id if exp else client.create_experiment("dw")
    run = client.create_run(exp_id, tags={"dw.run_id": dw_run_id})
    return {"run_id": run.info.run_id}


def main():
    url, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    client = MlflowClient(tracking_uri=url)
    if command == "dump":
        result = dump(client, args[:-1], args[-1])
    elif command == "delete-experiment":
        exp = client.get_experiment_by_name(args[0])
        client.delete_experiment(exp.experiment_id)
        result = {"experiment_id": exp.experiment_id}
    elif command == "preexisting":
        result = preexisting(client, args[0], args[1])
    else:
        raise SystemExit("unknown command " + command)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
