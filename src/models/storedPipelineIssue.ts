import type { FieldIssue } from "./fittedJson.js";
import { MODEL_JSON_LIMITS as LIMITS } from "./modelJsonLimits.js";
import { DATE_PARTS, inputSignature, outputNames, type Pipeline, type PipelineStep } from "./preprocessing.js";

/** A model's input columns as its signature lists them. */
type SignatureInputs = readonly { name: string; type: string }[];

/**
 * The first way a pipeline read from a model.json (already of Pipeline's shape) does not fit
 * itself or the model's signature, or undefined: each step's sizes within MODEL_JSON_LIMITS and
 * its own numbers consistent (a date step imputes each part it produces, a scale divides by a
 * positive std, an imputed category is one of the categories, no category twice),
 * `feature_names` exactly the columns the steps produce (so a request's matrix has the width the
 * estimator was checked against, and no step writes past its row), and `signature.inputs`
 * exactly the columns the steps read, with their types (the columns a request must carry).
 * Paths start at the model's root; messages name positions, never the names themselves.
 * Linear in the size of the pipeline.
 */
export function storedPipelineIssue(pipeline: Pipeline, inputs: SignatureInputs): FieldIssue | undefined {
  const at = (...path: (string | number)[]) => ["preprocessing", ...path];
  if (pipeline.steps.length > LIMITS.maxFeatures) return { path: at("steps"), message: `more than ${LIMITS.maxFeatures} steps` };
  if (pipeline.feature_names.length > LIMITS.maxFeatures) return { path: at("feature_names"), message: `more than ${LIMITS.maxFeatures} matrix columns` };
  if (inputs.length > LIMITS.maxFeatures) return { path: ["signature", "inputs"], message: `more than ${LIMITS.maxFeatures} input columns` };
  for (let s = 0; s < pipeline.steps.length; s++) {
    const issue = stepIssue(pipeline.steps[s]);
    if (issue) return { path: at("steps", s, ...issue.path), message: issue.message };
  }
  let j = 0;
  for (let s = 0; s < pipeline.steps.length; s++) {
    for (const name of outputNames(pipeline.steps[s])) {
      if (j >= pipeline.feature_names.length)
        return { path: at("feature_names"), message: `the steps produce more matrix columns than the ${pipeline.feature_names.length} named` };
      if (pipeline.feature_names[j] !== name) return { path: at("feature_names", j), message: `expected the name of the column step ${s} produces there` };
      j++;
    }
  }
  if (j !== pipeline.feature_names.length)
    return { path: at("feature_names"), message: `expected ${j} names, one per matrix column the steps produce, got ${pipeline.feature_names.length}` };
  const read = inputSignature(pipeline);
  for (let i = 0; i < Math.max(read.length, inputs.length); i++) {
    if (i >= inputs.length)
      return { path: ["signature", "inputs"], message: `expected ${read.length} inputs, one per column the steps read, got ${inputs.length}` };
    if (i >= read.length)
      return { path: ["signature", "inputs", i], message: `expected ${read.length} inputs, one per column the steps read; the steps read no more` };
    if (inputs[i].name !== read[i].name || inputs[i].type !== read[i].type)
      return { path: ["signature", "inputs", i], message: "expected the column the steps read there, with its type" };
  }
  return undefined;
}

/** The first problem in one step's own numbers and sizes, path from the step. */
function stepIssue(step: PipelineStep): FieldIssue | undefined {
  switch (step.kind) {
    case "numeric":
    case "interaction":
      return step.scale && !(step.scale.std > 0)
        ? { path: ["scale", "std"], message: "expected a positive standard deviation (values are divided by it)" }
        : undefined;
    case "boolean":
      return step.impute === 0 || step.impute === 1 ? undefined : { path: ["impute"], message: "expected 0 or 1" };
    case "date": {
      // The transform writes the k-th part it computes into the k-th column, so the list must be
      // exactly the parts in dw's order (as dw writes it); another would put a year under "month".
      if (step.parts.length !== DATE_PARTS.length || step.parts.some((p, k) => p !== DATE_PARTS[k]))
        return { path: ["parts"], message: `expected the date parts ${DATE_PARTS.join(", ")} in this order, got ${step.parts.join(", ") || "none"}` };
      if (step.impute.length !== step.parts.length)
        return { path: ["impute"], message: `expected ${step.parts.length} values, one per date part, got ${step.impute.length}` };
      return undefined;
    }
    case "onehot":
    case "ordinal": {
      const max = step.kind === "onehot" ? LIMITS.maxOneHotCategories : LIMITS.maxOrdinalCategories;
      if (step.categories.length > max) return { path: ["categories"], message: `more than ${max} categories` };
      const seen = new Set<string>();
      for (let k = 0; k < step.categories.length; k++) {
        if (seen.has(step.categories[k])) return { path: ["categories", k], message: "a category listed twice" };
        seen.add(step.categories[k]);
      }
      if (step.impute !== undefined && !seen.has(step.impute)) return { path: ["impute"], message: "expected one of the step's categories" };
      return undefined;
    }
  }
}
