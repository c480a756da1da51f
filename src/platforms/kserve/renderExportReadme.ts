import { LAYOUT } from "./containerLayout.js";

/**
 * The README of a KServe export: what the directory holds, how to build, push and apply it, how
 * to score it over the Open Inference Protocol, and the token question (the container serves
 * without one; the cluster must authenticate).
 *
 * @example
 * ```ts
 * renderExportReadme({ model: "temp", version: 3, source: "temp@production", service: "temp", image: "dw-temp:3", nodeMajor: 20 });
 * ```
 */
export function renderExportReadme(a: { model: string; version: number; source: string; service: string; image: string; nodeMajor: number }): string {
  // Locally on loopback, where dw serve needs no token: the container's --public is for behind an ingress only.
  const local = `node ${LAYOUT.runtime}/bin/dw.js serve --port ${LAYOUT.port} --workspace ${LAYOUT.store}`;
  return `# ${a.model} v${a.version} for KServe

Exported by \`dw export ${a.source} --kserve\`: version ${a.version} of the dw model \`${a.model}\`,
served by \`dw serve\` over the Open Inference Protocol (v2) in one container.

| path | what |
| --- | --- |
| \`${LAYOUT.dockerfile}\` | the image: Node ${a.nodeMajor}, dw's runtime, the model store, \`dw serve\` on 0.0.0.0:${LAYOUT.port} |
| \`${LAYOUT.manifest}\` | the KServe InferenceService \`${a.service}\` (custom predictor, protocol v2, probes, resources) |
| \`${LAYOUT.store}/\` | the model store: a dw workspace (a git repository) holding this one version, deployed as \`${a.model}@production\`; no data files |
| \`${LAYOUT.runtime}/\` | dw itself: bin, compiled code, and package.json + package-lock.json pinning what the image installs |

## Build, push, apply

\`\`\`sh
docker build -t ${a.image} .
docker push ${a.image}            # or, on kind: kind load docker-image ${a.image}
kubectl apply -f ${LAYOUT.manifest}
kubectl get inferenceservice ${a.service}
\`\`\`

The manifest names the image \`${a.image}\`; change \`spec.predictor.containers[0].image\` (or export
again with \`--image\`) to the name your registry gives it. Building needs the npm registry
(\`npm ci\` installs dw's packages at the locked versions); running needs nothing outside the image.

## Score

\`\`\`sh
URL=$(kubectl get inferenceservice ${a.service} -o jsonpath='{.status.url}')
curl "$URL/v2/models/${a.model}"          # inputs, their datatypes, the version
curl "$URL/v2/models/${a.model}/infer" -H 'Content-Type: application/json' \\
  -d '{"inputs": [{"name": "<input>", "shape": [1], "datatype": "FP64", "data": [1.0]}, …]}'
\`\`\`

\`/v2/models/${a.model}\` is the \`production\` alias of the store, which serves version ${a.version};
\`/v2/models/${a.model}/versions/${a.version}\` names it pinned. The MLflow routes answer too
(\`/models/${a.model}@production/invocations\`).

## No token in the container: authenticate in the cluster

The container runs \`dw serve --public\`: it checks no token, because Kubernetes probes cannot send
one and the token would differ per pod. Anything that reaches port ${LAYOUT.port} can score. Put
authentication in front, as for any KServe predictor: KServe's ingress with an Istio
AuthorizationPolicy (or your gateway's auth), and a NetworkPolicy so only the ingress reaches the
pods. Never expose the pod's port directly.

## Try it without a cluster

\`\`\`sh
(cd ${LAYOUT.runtime} && npm ci --omit=dev)
${local}
\`\`\`

Running it writes runtime state under \`${LAYOUT.store}/.dw/\`, which \`${LAYOUT.dockerignore}\` keeps out of the image.
`;
}
