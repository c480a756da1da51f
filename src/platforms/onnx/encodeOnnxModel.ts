import { ProtoWriter } from "./ProtoWriter.js";

/** Element types dw's graphs use, with their TensorProto.DataType numbers (onnx.proto). */
export const ELEMENT_TYPES = { uint8: 2, int64: 7, string: 8, bool: 9, double: 11 } as const;
export type ElementType = keyof typeof ELEMENT_TYPES;

/** A constant tensor: an initializer of the graph, or a tensor-valued attribute. Numbers are stored little-endian in raw_data. */
export interface OnnxTensor {
  name?: string;
  type: ElementType;
  dims: number[];
  values: ArrayLike<number> | readonly string[] | readonly boolean[];
}

export type OnnxAttribute =
  | { name: string; kind: "int"; value: number }
  | { name: string; kind: "ints"; value: ArrayLike<number> }
  | { name: string; kind: "string"; value: string }
  | { name: string; kind: "strings"; value: readonly string[] }
  | { name: string; kind: "tensor"; value: OnnxTensor };

export interface OnnxNode {
  opType: string;
  /** "" (or absent) for the standard operators, "ai.onnx.ml" for the classical-ML ones. */
  domain?: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: OnnxAttribute[];
}

/** A graph input or output: a tensor of one element type; a string dimension is symbolic (the batch, "N"). */
export interface OnnxValueInfo {
  name: string;
  type: ElementType;
  shape: (number | string)[];
  doc?: string;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  doc?: string;
}

export interface OnnxModel {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  modelVersion?: number;
  doc?: string;
  graph: OnnxGraph;
  /** metadata_props: what the model is (dw's model name, version, run, target, classes). */
  metadata: Record<string, string>;
}

// Attribute types (AttributeProto.AttributeType).
const ATTRIBUTE_TYPES = { int: 2, string: 3, tensor: 4, ints: 7, strings: 8 } as const;

/**
 * An ONNX model as the bytes of a ModelProto (onnx.proto, IR version 10 fields): the graph with its
 * nodes, initializers, typed inputs and outputs, the operator sets it imports and its metadata.
 * Only the fields dw writes are encoded; the rest keep their defaults.
 */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int64(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.modelVersion !== undefined) w.int64(5, model.modelVersion);
  if (model.doc) w.string(6, model.doc);
  w.message(7, (g) => writeGraph(g, model.graph));
  for (const o of model.opsets) w.message(8, (m) => m.string(1, o.domain).int64(2, o.version));
  for (const [key, value] of Object.entries(model.metadata)) w.message(14, (m) => m.string(1, key).string(2, value));
  return w.finish();
}

function writeGraph(w: ProtoWriter, g: OnnxGraph): void {
  for (const n of g.nodes) w.message(1, (m) => writeNode(m, n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, (m) => writeTensor(m, t));
  if (g.doc) w.string(10, g.doc);
  for (const v of g.inputs) w.message(11, (m) => writeValueInfo(m, v));
  for (const v of g.outputs) w.message(12, (m) => writeValueInfo(m, v));
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attributes ?? []) w.message(5, (m) => writeAttribute(m, a));
  if (n.domain) w.string(7, n.domain);
}

function writeAttribute(w: ProtoWriter, a: OnnxAttribute): void {
  w.string(1, a.name);
  w.int64(20, ATTRIBUTE_TYPES[a.kind]);
  switch (a.kind) {
    case "int":
      w.int64(3, a.value);
      break;
    case "string":
      w.string(4, a.value);
      break;
    case "tensor":
      w.message(5, (m) => writeTensor(m, a.value));
      break;
    case "ints":
      w.packedInt64(8, a.value);
      break;
    case "strings":
      for (const s of a.value) w.string(9, s);
      break;
  }
}

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  if (t.dims.length) w.packedInt64(1, t.dims);
  w.int64(2, ELEMENT_TYPES[t.type]);
  if (t.name !== undefined) w.string(8, t.name);
  if (t.type === "string") {
    for (const s of t.values as readonly string[]) w.string(6, s);
    return;
  }
  w.bytes(9, rawData(t));
}

/** A numeric or boolean tensor's elements as fixed-width little-endian bytes (TensorProto.raw_data). */
function rawData(t: OnnxTensor): Uint8Array {
  const n = t.values.length;
  const width = t.type === "double" || t.type === "int64" ? 8 : 1;
  const out = new Uint8Array(n * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = t.values[i] as number | boolean;
    if (t.type === "double") view.setFloat64(i * 8, v as number, true);
    else if (t.type === "int64") view.setBigInt64(i * 8, BigInt(v as number), true);
    else out[i] = v === true || v === 1 ? 1 : v === false ? 0 : (v as number);
  }
  return out;
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int64(1, ELEMENT_TYPES[v.type]);
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === "number" ? dim.int64(1, d) : dim.string(2, d)));
      });
    }),
  );
  if (v.doc) w.string(3, v.doc);
}
