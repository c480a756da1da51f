import { stringify } from "yaml";
import { LAYOUT, serveArgs } from "./containerLayout.js";

const MIB = 2 ** 20;

/**
 * Memory for a server of one model: Node and dw at rest (about 150 MiB measured with dw serve
 * idle) plus the loaded model, about 5 bytes per character of model.json (docs/architecture.md,
 * "A model.json is data"), with room for requests; rounded up to 64 MiB. The limit is twice it.
 */
export function memoryRequestMiB(modelJsonChars: number): number {
  const need = 256 + Math.ceil((modelJsonChars * 8) / MIB);
  return Math.ceil(need / 64) * 64;
}

/**
 * The KServe InferenceService (serving.kserve.io/v1beta1) of an export: a custom predictor
 * container (`kserve-container`) running the image with the same arguments as the Dockerfile's
 * CMD, port 8080, `PROTOCOL=v2` (KServe's marker that a custom container speaks the Open
 * Inference Protocol), readiness on /v2/health/ready and liveness on /v2/health/live (answered
 * without a token: the server runs with --public behind KServe's ingress), one dw worker per
 * container and resources sized from the model. Annotations name the dw model, version and
 * source. YAML text.
 *
 * @example
 * ```ts
 * renderInferenceService({ service: "temp", image: "dw-temp:3", model: "temp", version: 3, source: "temp@production", modelJsonChars: 4000 });
 * ```
 */
export function renderInferenceService(args: {
  service: string;
  image: string;
  model: string;
  version: number;
  source: string;
  modelJsonChars: number;
}): string {
  const memory = memoryRequestMiB(args.modelJsonChars);
  const manifest = {
    apiVersion: "serving.kserve.io/v1beta1",
    kind: "InferenceService",
    metadata: {
      name: args.service,
      annotations: {
        "dw/model-name": args.model,
        "dw/model-version": String(args.version),
        "dw/exported-from": args.source,
      },
    },
    spec: {
      predictor: {
        minReplicas: 1,
        containers: [
          {
            name: "kserve-container",
            image: args.image,
            args: serveArgs(),
            env: [
              { name: "PROTOCOL", value: "v2" },
              { name: "DW_SERVE_WORKERS", value: "1" },
            ],
            ports: [{ containerPort: LAYOUT.port, protocol: "TCP" }],
            readinessProbe: { httpGet: { path: "/v2/health/ready", port: LAYOUT.port }, periodSeconds: 5, failureThreshold: 3 },
            livenessProbe: { httpGet: { path: "/v2/health/live", port: LAYOUT.port }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 },
            resources: {
              requests: { cpu: "500m", memory: `${memory}Mi` },
              limits: { cpu: "1", memory: `${memory * 2}Mi` },
            },
          },
        ],
      },
    },
  };
  return `# dw export --kserve: ${args.model} v${args.version} (${args.source}). Apply with: kubectl apply -f ${LAYOUT.manifest}\n${stringify(manifest, { lineWidth: 0 })}`;
}
