/**
 * Where things are in a KServe export and in its container, written once: the Dockerfile, the
 * InferenceService, the README and the tests all read them from here.
 */
export const LAYOUT = {
  /** In the export directory: the model store (a dw workspace). */
  store: "store",
  /** In the export directory: dw's runtime (bin, dist/src, package.json, package-lock.json). */
  runtime: "dw",
  dockerfile: "Dockerfile",
  dockerignore: ".dockerignore",
  manifest: "inferenceservice.yaml",
  readme: "README.md",
  /** In the container. */
  containerRuntime: "/opt/dw",
  containerStore: "/srv/dw/store",
  port: 8080,
} as const;

/**
 * The arguments of `node /opt/dw/bin/dw.js` that start the server in the container: dw serve on
 * every address at port 8080 without a token (KServe's ingress authenticates; see docs/export.md),
 * on the model store. The Dockerfile's CMD and the InferenceService's args are both this list.
 */
export function serveArgs(store: string = LAYOUT.containerStore): string[] {
  return ["serve", "--host", "0.0.0.0", "--port", String(LAYOUT.port), "--public", "--workspace", store];
}

/**
 * A Kubernetes name for the InferenceService from a dw model name: a DNS-1035 label (lowercase
 * letters, digits and '-', starting with a letter, ending with a letter or digit), at most 45
 * characters so the names KServe derives from it (`<name>-predictor-…`) stay within 63.
 *
 * @example
 * ```ts
 * serviceName("Temp_Model.v2"); // "temp-model-v2"
 * serviceName("3d"); // "dw-3d"
 * ```
 */
export function serviceName(model: string): string {
  let s = model
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (!/^[a-z]/.test(s)) s = `dw-${s}`;
  return s.slice(0, 45).replace(/-+$/, "");
}
