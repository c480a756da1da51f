import type { ResourceTemplate } from "@modelcontextprotocol/sdk/types.js";
import { UriTemplate } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";

/** The media type of every dw resource: a JSON document. */
export const RESOURCE_MIME = "application/json";

/** A resource kind: its URI template, and what resources/templates/list says of it. */
interface TemplateSpec {
  kind: "models" | "model" | "version" | "runs" | "run" | "runGate" | "deployments" | "deployment" | "deploymentGate";
  template: string;
  name: string;
  title: string;
  description: string;
}

const SPECS: readonly TemplateSpec[] = [
  { kind: "models", template: "dw://models", name: "models", title: "Registered models", description: "Every registered model with its versions and aliases." },
  {
    kind: "model",
    template: "dw://models/{name}",
    name: "model",
    title: "A registered model",
    description: "A registered model's versions (newest first) with their runs, metrics and aliases.",
  },
  {
    kind: "version",
    template: "dw://models/{name}/{version}",
    name: "model-version",
    title: "A model version",
    description: "A registered version: its registration, metrics, model card fields, aliases, and links to its run and gate reports.",
  },
  { kind: "runs", template: "dw://runs", name: "runs", title: "Training runs", description: "Every training run's id, newest first." },
  {
    kind: "run",
    template: "dw://runs/{run_id}",
    name: "run",
    title: "A training run",
    description: "A run's run.json, params.json and metrics.json, with links to its gate reports.",
  },
  {
    kind: "runGate",
    template: "dw://runs/{run_id}/gates/{gate}",
    name: "run-gate",
    title: "A run's gate report",
    description: "gates/<gate>.json of a run: quality, governance, cost, or override (who let a failed gate pass, and why).",
  },
  {
    kind: "deployments",
    template: "dw://deployments",
    name: "deployments",
    title: "Deployments",
    description: "Every deployed alias with the version it serves.",
  },
  {
    kind: "deployment",
    template: "dw://deployments/{name}/{alias}",
    name: "deployment",
    title: "A deployment",
    description: "The last deployment record of a model's alias (or its undeployment), with links to its gate reports.",
  },
  {
    kind: "deploymentGate",
    template: "dw://deployments/{name}/{alias}/gates/{gate}",
    name: "deployment-gate",
    title: "A deployment's gate report",
    description: "gates/<gate>.json of an alias's last deployment: governance, or override.",
  },
];

const COMPILED = SPECS.map((s) => ({ kind: s.kind, template: new UriTemplate(s.template) }));

function expand(kind: TemplateSpec["kind"], vars: Record<string, string | number> = {}): string {
  const found = COMPILED.find((c) => c.kind === kind)!;
  return found.template.expand(Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)])));
}

/**
 * The address of each kind of record, expanded from the templates above, so the listing, the
 * templates and the links inside documents spell them alike.
 */
export const resourceUri = {
  models: () => expand("models"),
  model: (name: string) => expand("model", { name }),
  version: (name: string, version: number) => expand("version", { name, version }),
  runs: () => expand("runs"),
  run: (runId: string) => expand("run", { run_id: runId }),
  runGate: (runId: string, gate: string) => expand("runGate", { run_id: runId, gate }),
  deployments: () => expand("deployments"),
  deployment: (name: string, alias: string) => expand("deployment", { name, alias }),
  deploymentGate: (name: string, alias: string, gate: string) => expand("deploymentGate", { name, alias, gate }),
};

/** What resources/templates/list returns: the addresses with a part to fill in (the fixed ones are in resources/list). */
export function resourceTemplates(): ResourceTemplate[] {
  return SPECS.filter((s) => UriTemplate.isTemplate(s.template)).map((s) => ({
    uriTemplate: s.template,
    name: s.name,
    title: s.title,
    description: s.description,
    mimeType: RESOURCE_MIME,
  }));
}

export type ResourceAddress = { kind: TemplateSpec["kind"]; vars: Record<string, string> };

/** The kind of record `uri` addresses and its parts, or null when it matches no template. */
export function parseResourceUri(uri: string): ResourceAddress | null {
  // Bounded before any pattern runs on it: no dw address comes near this length.
  if (uri.length > 1024) return null;
  for (const { kind, template } of COMPILED) {
    const m = template.match(uri);
    if (!m) continue;
    const vars: Record<string, string> = {};
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== "string") return null;
      vars[k] = v;
    }
    return { kind, vars };
  }
  return null;
}
