import { LAYOUT, serveArgs } from "./containerLayout.js";

/**
 * The container build file of a KServe export: Node (the major version the export was made with)
 * on Debian slim; dw's runtime installed from the export's own `dw/` folder with `npm ci --omit=dev`
 * (the lock pins every package; the registry is reached at build time, not at run time); the
 * model store copied owned by the unprivileged `node` user, because dw serve writes its state,
 * lock and inference log under the store's `.dw/`; `dw serve` on 0.0.0.0:8080 as the command.
 * Every COPY source is a path of the export directory.
 *
 * @example
 * ```ts
 * renderDockerfile({ nodeMajor: 20, model: "temp", version: 3 }).startsWith("# dw export"); // true
 * ```
 */
export function renderDockerfile(args: { nodeMajor: number; model: string; version: number }): string {
  const cmd = JSON.stringify(serveArgs());
  return `# dw export --kserve: ${args.model} v${args.version} served by dw serve over the Open Inference Protocol (v2).
# Build from this directory: docker build -t IMAGE .   (see README.md)
FROM node:${args.nodeMajor}-bookworm-slim

ENV NODE_ENV=production \\
    DW_SERVE_WORKERS=1

# dw's runtime: its compiled code and the packages that code imports, at the versions the lock pins.
WORKDIR ${LAYOUT.containerRuntime}
COPY ${LAYOUT.runtime}/package.json ${LAYOUT.runtime}/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY ${LAYOUT.runtime}/ ./

# The model store: a dw workspace holding this one deployed version (no data files).
COPY --chown=node:node ${LAYOUT.store}/ ${LAYOUT.containerStore}/

USER node
EXPOSE ${LAYOUT.port}
ENTRYPOINT ["node", "${LAYOUT.containerRuntime}/bin/dw.js"]
CMD ${cmd}
`;
}

/** What the build context leaves out: nothing dw wrote needs leaving out, but a store's runtime state (a server run locally on the export) must not be baked into the image. */
export function renderDockerignore(): string {
  return `# Runtime state a local dw serve of the store writes (server record, log, lock, inference log):
# the image starts from the store as exported.
${LAYOUT.store}/.dw/
${LAYOUT.runtime}/node_modules/
`;
}
