import type { ElementType, OnnxAttribute, OnnxNode, OnnxTensor } from "./encodeOnnxModel.js";

/**
 * Collects the nodes and constants of one ONNX graph and names its values. A value is named after
 * what it holds (`age.imputed`), made unique with a counter, and never takes a name reserved for
 * the graph's inputs and outputs: a column may be called anything, so no name is assumed free.
 *
 * @example
 * const b = new GraphBuilder(["age"]);
 * const one = b.constant("one", "double", [], [1]);
 * const y = b.node("Add", ["age", one], { hint: "age.plus_one" }); // "age.plus_one"
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly taken: Set<string>;

  constructor(reserved: Iterable<string>) {
    this.taken = new Set(reserved);
  }

  /** A value name not used yet: `hint`, or `hint#2`, `hint#3`, … */
  name(hint: string): string {
    let name = hint;
    for (let k = 2; this.taken.has(name); k++) name = `${hint}#${k}`;
    this.taken.add(name);
    return name;
  }

  /** A constant (an initializer) of `type` and shape `dims` ([] for a scalar); its value name. */
  constant(hint: string, type: ElementType, dims: number[], values: OnnxTensor["values"]): string {
    const name = this.name(hint);
    this.initializers.push({ name, type, dims, values });
    return name;
  }

  /**
   * Adds a node and returns its first output: a fresh name from `hint` (default: the op type), or
   * `output`, a name the caller reserved (a graph output).
   */
  node(opType: string, inputs: string[], options: { hint?: string; output?: string; domain?: string; attributes?: OnnxAttribute[] } = {}): string {
    const output = options.output ?? this.name(options.hint ?? opType);
    this.nodes.push({
      opType,
      inputs,
      outputs: [output],
      ...(options.domain ? { domain: options.domain } : {}),
      ...(options.attributes ? { attributes: options.attributes } : {}),
    });
    return output;
  }
}
