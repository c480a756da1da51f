"""Scores rows with an ONNX model in onnxruntime, for dw's export tests.

    python scoreOnnx.py <model.onnx> <request.json>

request.json: {"inputs": {column: [value or null, ...]}, "threads": n}. Each input is fed as
docs/onnx.md says: a string input as text ("" for null); a date (dw.inputs metadata: datetime)
given as ISO text as its milliseconds since 1970 UTC (date-only text at UTC midnight); any other
as doubles (NaN for null). Prints JSON: the session's inputs and outputs (name, type, shape),
each output's values as lists, and the model's metadata.
"""

import json
import sys
from datetime import datetime, timedelta, timezone

import numpy as np
import onnxruntime as ort

model_path, request_path = sys.argv[1], sys.argv[2]
with open(request_path, encoding="utf-8") as f:
    request = json.load(f)

options = ort.SessionOptions()
if request.get("threads"):
    options.intra_op_num_threads = request["threads"]
session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])

meta = session.get_modelmeta()
kinds = {f["name"]: f["type"] for f in json.loads(meta.custom_metadata_map["dw.inputs"])}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def milliseconds(text):
    """ISO date or timestamp text as milliseconds since 1970 UTC; a date alone is UTC midnight."""
    d = datetime.fromisoformat(text)
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return (d - EPOCH) / timedelta(milliseconds=1)


feeds = {}
for spec in session.get_inputs():
    values = request["inputs"][spec.name]
    if spec.type == "tensor(string)":
        feeds[spec.name] = np.array(["" if v is None else v for v in values], dtype=object)
    elif kinds[spec.name] == "datetime":
        feeds[spec.name] = np.array([np.nan if v is None else milliseconds(v) for v in values], dtype=np.float64)
    else:
        feeds[spec.name] = np.array([np.nan if v is None else v for v in values], dtype=np.float64)

names = [o.name for o in session.get_outputs()]
results = session.run(names, feeds)


def describe(specs):
    return [{"name": s.name, "type": s.type, "shape": [d if isinstance(d, int) else str(d) for d in s.shape]} for s in specs]


print(
    json.dumps(
        {
            "inputs": describe(session.get_inputs()),
            "outputs": describe(session.get_outputs()),
            "values": {name: value.tolist() for name, value in zip(names, results)},
            "dtypes": {name: str(value.dtype) for name, value in zip(names, results)},
            "metadata": dict(meta.custom_metadata_map),
            "producer": meta.producer_name,
            "version": meta.version,
        }
    )
)
