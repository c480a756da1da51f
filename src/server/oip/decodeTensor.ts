import { DwError } from "../../errors/DwError.js";
import { type Datatype, elementSize, integerRange } from "./datatypes.js";

/**
 * A tensor's elements in row-major order as the values a model's signature casts: numbers (every
 * integer and float type, as doubles; a NaN is a missing value), booleans (BOOL) or text (BYTES,
 * UTF-8).
 */
export type TensorValues = Float64Array | boolean[] | string[];

/**
 * The elements of a tensor given in JSON (`data`): a list, flat or nested (row-major; only the
 * count of elements is checked against the shape, as Triton does), each of the JSON type its
 * datatype takes: a boolean for BOOL, a whole number in range for the integer types, a number for
 * the float types, text for BYTES. Linear in the data; nesting is walked without recursion.
 */
export function jsonTensorValues(data: unknown, datatype: Datatype, count: number, where: string): TensorValues {
  if (!Array.isArray(data)) throw bad(`${where}.data must be a list of values (flat, or nested in row-major order).`);
  const flat = flatten(data);
  if (flat.length !== count) {
    throw bad(`${where}.data has ${flat.length} element${flat.length === 1 ? "" : "s"}, not the number its shape holds (data is counted flat, row-major).`);
  }
  if (datatype === "BYTES") {
    for (let k = 0; k < flat.length; k++) if (typeof flat[k] !== "string") throw bad(`${where}.data element ${k}: expected text (BYTES).`);
    return flat as string[];
  }
  if (datatype === "BOOL") {
    for (let k = 0; k < flat.length; k++) if (typeof flat[k] !== "boolean") throw bad(`${where}.data element ${k}: expected true or false (BOOL).`);
    return flat as boolean[];
  }
  const range = integerRange(datatype);
  const out = new Float64Array(flat.length);
  for (let k = 0; k < flat.length; k++) {
    const v = flat[k];
    if (typeof v !== "number") throw bad(`${where}.data element ${k}: expected a number (${datatype}).`);
    if (range && !(Number.isInteger(v) && v >= range[0] && v <= range[1])) {
      throw bad(`${where}.data element ${k}: expected a whole number in the range of ${datatype}.`);
    }
    out[k] = v;
  }
  return out;
}

/**
 * The elements of a tensor given in the binary tensor extension: little-endian, row-major, without
 * padding; BOOL one byte (0 or 1); BYTES each a 4-byte little-endian length and that many bytes of
 * UTF-8. The bytes must hold exactly `count` elements.
 */
export function binaryTensorValues(bytes: Buffer, datatype: Datatype, count: number, where: string): TensorValues {
  if (datatype === "BYTES") return binaryStrings(bytes, count, where);
  const size = elementSize(datatype);
  if (bytes.length !== count * size) {
    throw bad(`${where}: binary_data_size is not what its shape takes in ${datatype} (${size} byte${size === 1 ? "" : "s"} per element).`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (datatype === "BOOL") {
    const out = new Array<boolean>(count);
    for (let k = 0; k < count; k++) {
      const b = view.getUint8(k);
      if (b > 1) throw bad(`${where}: binary element ${k} is not a BOOL (a byte 0 or 1).`);
      out[k] = b === 1;
    }
    return out;
  }
  const read = numberReader(datatype, view);
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = read(k * size);
  return out;
}

function numberReader(datatype: Exclude<Datatype, "BYTES" | "BOOL">, view: DataView): (at: number) => number {
  switch (datatype) {
    case "UINT8":
      return (at) => view.getUint8(at);
    case "INT8":
      return (at) => view.getInt8(at);
    case "UINT16":
      return (at) => view.getUint16(at, true);
    case "INT16":
      return (at) => view.getInt16(at, true);
    case "UINT32":
      return (at) => view.getUint32(at, true);
    case "INT32":
      return (at) => view.getInt32(at, true);
    case "UINT64":
      return (at) => Number(view.getBigUint64(at, true));
    case "INT64":
      return (at) => Number(view.getBigInt64(at, true));
    case "FP16":
      return (at) => halfToNumber(view.getUint16(at, true));
    case "BF16": {
      const f = new DataView(new ArrayBuffer(4));
      return (at) => {
        f.setUint32(0, view.getUint16(at, true) << 16);
        return f.getFloat32(0);
      };
    }
    case "FP32":
      return (at) => view.getFloat32(at, true);
    case "FP64":
      return (at) => view.getFloat64(at, true);
  }
}

/** An IEEE 754 half-precision value (FP16) as a number. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function binaryStrings(bytes: Buffer, count: number, where: string): string[] {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const out: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const k = out.length;
    if (k >= count) throw bad(`${where}: the binary data holds more BYTES elements than its shape.`);
    if (at + 4 > bytes.length) throw bad(`${where}: binary BYTES element ${k} is cut inside its 4-byte length.`);
    const length = bytes.readUInt32LE(at);
    at += 4;
    if (length > bytes.length - at) throw bad(`${where}: binary BYTES element ${k} is longer than the tensor's binary data.`);
    try {
      out.push(decoder.decode(bytes.subarray(at, at + length)));
    } catch {
      throw bad(`${where}: binary BYTES element ${k} is not valid UTF-8.`);
    }
    at += length;
  }
  if (out.length !== count) throw bad(`${where}: the binary data holds ${out.length} BYTES element${out.length === 1 ? "" : "s"}, fewer than its shape.`);
  return out;
}

/** Every non-list element of a nested list, depth first, with an explicit stack. */
function flatten(data: unknown[]): unknown[] {
  const out: unknown[] = [];
  const lists: unknown[][] = [data];
  const next: number[] = [0];
  while (lists.length) {
    const top = lists.length - 1;
    const list = lists[top];
    if (next[top] >= list.length) {
      lists.pop();
      next.pop();
      continue;
    }
    const v = list[next[top]++];
    if (Array.isArray(v)) {
      lists.push(v);
      next.push(0);
    } else out.push(v);
  }
  return out;
}

function bad(message: string): DwError {
  return new DwError("INVALID_INPUT", message);
}
