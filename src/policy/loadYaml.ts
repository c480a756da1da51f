import { createRequire } from "node:module";
import type * as Yaml from "yaml";

const requireCjs = createRequire(import.meta.url);
let yaml: typeof Yaml | undefined;

/**
 * The `yaml` package, loaded the first time a policy file is parsed rather than with every module
 * that may read one: most projects have no dw.policy.yaml, and each training reads the policy
 * (quality, governance, cost), so an import would load its 73 files (290 kB) into every process that
 * trains. Required as CommonJS (its build for node, the one an import resolves to as well), so the
 * call stays synchronous for the error paths that find a field's line.
 *
 * @example
 * ```ts
 * const doc = loadYaml().parseDocument(text);
 * ```
 */
export function loadYaml(): typeof Yaml {
  yaml ??= requireCjs("yaml") as typeof Yaml;
  return yaml;
}
