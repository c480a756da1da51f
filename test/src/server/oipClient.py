"""Runs Open Inference Protocol calls against a server with Triton's own HTTP client (tritonclient[http]).

    python oipClient.py <host:port> <calls.json>

calls.json is a list of calls; the answers are printed as one JSON list, in order. Each call is
{"op": ...} with
  live | ready | server_metadata
  model_ready | model_metadata: "model", "version" ("" for none)
  infer: "model", "version", "id", "inputs": [{"name", "datatype", "shape", "data" (flat), "binary"}],
         "outputs": null or [{"name", "binary"}]
An error the server answers becomes {"error": message, "status": status}. Used by
oip.integration.test.ts, so that dw serve is tested against the client a Triton or KServe user has.
"""

import json
import sys

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException, triton_to_np_dtype


def as_list(array):
    if array.dtype == np.object_:
        return [v.decode("utf-8") if isinstance(v, bytes) else v for v in array.reshape(-1).tolist()]
    return array.reshape(-1).tolist()


def infer(client, call):
    inputs = []
    for spec in call["inputs"]:
        tensor = httpclient.InferInput(spec["name"], spec["shape"], spec["datatype"])
        dtype = triton_to_np_dtype(spec["datatype"])
        data = np.array(spec["data"], dtype=dtype).reshape(spec["shape"])
        tensor.set_data_from_numpy(data, binary_data=spec.get("binary", True))
        inputs.append(tensor)
    outputs = None
    if call.get("outputs") is not None:
        outputs = [httpclient.InferRequestedOutput(o["name"], binary_data=o.get("binary", True)) for o in call["outputs"]]
    result = client.infer(
        call["model"], inputs, model_version=call.get("version", ""), outputs=outputs, request_id=call.get("id", "")
    )
    response = result.get_response()
    return {
        "model_name": response.get("model_name"),
        "model_version": response.get("model_version"),
        "id": response.get("id"),
        "outputs": {
            o["name"]: {
                "datatype": o["datatype"],
                "shape": o["shape"],
                "binary": "binary_data_size" in (o.get("parameters") or {}),
                "data": as_list(result.as_numpy(o["name"])),
            }
            for o in response["outputs"]
        },
    }


def run(client, call):
    op = call["op"]
    if op == "live":
        return {"live": client.is_server_live()}
    if op == "ready":
        return {"ready": client.is_server_ready()}
    if op == "server_metadata":
        return client.get_server_metadata()
    if op == "model_ready":
        return {"ready": client.is_model_ready(call["model"], call.get("version", ""))}
    if op == "model_metadata":
        return client.get_model_metadata(call["model"], call.get("version", ""))
    if op == "infer":
        return infer(client, call)
    raise ValueError("unknown op " + op)


def main():
    url, calls_path = sys.argv[1], sys.argv[2]
    with open(calls_path, encoding="utf-8") as f:
        calls = json.load(f)
    client = httpclient.InferenceServerClient(url=url, network_timeout=30)
    answers = []
    for call in calls:
        try:
            answers.append(run(client, call))
        except InferenceServerException as e:
            answers.append({"error": e.message(), "status": e.status()})
    client.close()
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
