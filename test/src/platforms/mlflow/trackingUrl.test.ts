import { test } from "node:test";
import assert from "node:assert/strict";
import { trackingAuth, trackingUrl } from "../../../../src/platforms/mlflow/trackingUrl.js";
import { isDwError } from "../../../../src/errors/DwError.js";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isDwError(e) ? e.code : "not a DwError";
  }
  return undefined;
}

test("a tracking URL is http or https, without credentials, query or fragment; a trailing slash is dropped, a path prefix kept", () => {
  assert.equal(trackingUrl("http://127.0.0.1:5000/"), "http://127.0.0.1:5000");
  assert.equal(trackingUrl("https://ml.example.com/mlflow/"), "https://ml.example.com/mlflow");
  for (const bad of ["file:///tmp/mlruns", "sqlite:///mlflow.db", "databricks", "127.0.0.1:5000", "ftp://host/", "http://host/?x=1", "http://host/#f"]) {
    assert.equal(
      code(() => trackingUrl(bad)),
      "INVALID_INPUT",
      bad,
    );
  }
  assert.equal(
    code(() => trackingUrl("http://me:secret@host:5000")),
    "INVALID_INPUT",
  );
});

test("credentials come from MLflow's own variables: a token as Bearer, else username and password as Basic", () => {
  assert.equal(trackingAuth({}), undefined);
  assert.equal(trackingAuth({ MLFLOW_TRACKING_TOKEN: "t0k" }), "Bearer t0k");
  assert.equal(trackingAuth({ MLFLOW_TRACKING_USERNAME: "ana", MLFLOW_TRACKING_PASSWORD: "pä:ss" }), `Basic ${Buffer.from("ana:pä:ss").toString("base64")}`);
  assert.equal(trackingAuth({ MLFLOW_TRACKING_TOKEN: "t", MLFLOW_TRACKING_USERNAME: "ana", MLFLOW_TRACKING_PASSWORD: "p" }), "Bearer t");
  assert.equal(
    code(() => trackingAuth({ MLFLOW_TRACKING_USERNAME: "ana" })),
    "CONFIG_ERROR",
  );
  assert.equal(
    code(() => trackingAuth({ MLFLOW_TRACKING_PASSWORD: "p" })),
    "CONFIG_ERROR",
  );
});
