import type { GraphBuilder } from "./GraphBuilder.js";
import type { ElementType } from "./encodeOnnxModel.js";

/** The graph outputs' value names: a regression's, and a classifier's two. */
export const OUTPUTS = { prediction: "prediction", label: "label", probabilities: "probabilities" } as const;

/** [N, 1] as [N] into `output`. */
export function squeezedGraph(b: GraphBuilder, x: string, output: string): void {
  b.node("Squeeze", [x, b.constant("axis1", "int64", [1], [1])], { output });
}

/** [N, 1] probabilities of class 1 as `probabilities` [N, 2]: 1 − p1 (the subtraction dw makes), then p1. */
export function binaryProbabilitiesGraph(b: GraphBuilder, p1: string): void {
  const p0 = b.node("Sub", [b.constant("one", "double", [], [1]), p1], { hint: "p0.column" });
  b.node("Concat", [p0, p1], { output: OUTPUTS.probabilities, attributes: [{ name: "axis", kind: "int", value: 1 }] });
}

/** The label output's element type: numbers as doubles, booleans as bools, anything else (text, or a mix) as strings. */
export function labelType(classes: readonly (string | number | boolean)[]): ElementType {
  if (classes.every((c) => typeof c === "number")) return "double";
  if (classes.every((c) => typeof c === "boolean")) return "bool";
  return "string";
}

/** `label`: the class of the highest probability, the first on ties (as dw's argmax), looked up in the class labels. */
export function labelGraph(b: GraphBuilder, classes: readonly (string | number | boolean)[]): void {
  const index = b.node("ArgMax", [OUTPUTS.probabilities], {
    hint: "class_index",
    attributes: [
      { name: "axis", kind: "int", value: 1 },
      { name: "keepdims", kind: "int", value: 0 },
    ],
  });
  const type = labelType(classes);
  const values = type === "string" ? classes.map(String) : (classes as number[] | boolean[]);
  const labels = b.constant("classes", type, [classes.length], values);
  b.node("Gather", [labels, index], { output: OUTPUTS.label, attributes: [{ name: "axis", kind: "int", value: 0 }] });
}
