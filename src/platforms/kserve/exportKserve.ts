import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import type { DomainContext } from "../../workspace/DomainContext.js";
import { atomicWrite } from "../../workspace/atomicWrite.js";
import { DwError } from "../../errors/DwError.js";
import { resolveExportedVersion } from "./resolveExportedVersion.js";
import { STORE_ALIAS, writeModelStore, type ModelStore } from "./writeModelStore.js";
import { writeDwRuntime } from "./writeDwRuntime.js";
import { LAYOUT, serveArgs, serviceName } from "./containerLayout.js";
import { renderDockerfile, renderDockerignore } from "./renderDockerfile.js";
import { renderInferenceService } from "./renderInferenceService.js";
import { renderExportReadme } from "./renderExportReadme.js";

/** What a KServe export wrote. */
export interface KserveExport {
  dir: string;
  model_name: string;
  version: number;
  /** model_id as given: `name@alias` or `name/version`. */
  source: string;
  /** The alias the store serves it under (`/v2/models/<name>` answers it). */
  alias: string;
  service_name: string;
  image: string;
  /** Top-level paths of the directory. */
  files: string[];
  store: ModelStore;
  runtime: { files: number; bytes: number; dependencies: Record<string, string> };
  /** The command the container runs, as arguments of `node /opt/dw/bin/dw.js`. */
  command: string[];
}

/**
 * Exports a deployed model version for KServe (`dw export temp@production --kserve out/`): a
 * directory holding a model store (writeModelStore: a dw workspace with only that version,
 * deployed as `production`), dw's runtime (writeDwRuntime), a Dockerfile, an InferenceService
 * manifest and a README. The directory must not exist or be empty; everything is written into a
 * temporary sibling first and renamed into place at the end, so a failed export leaves nothing
 * half-written. The source workspace is only read.
 *
 * @example
 * ```ts
 * const out = await exportKserve(ctx, { modelId: "temp@production", dir: "out/" });
 * out.service_name; out.files; // "temp", ["Dockerfile", "README.md", …]
 * ```
 */
export async function exportKserve(ctx: DomainContext, args: { modelId: string; dir: string; image?: string }): Promise<KserveExport> {
  const dir = resolve(ctx.cwd, args.dir);
  await checkTarget(dir);
  const v = await resolveExportedVersion(ctx.workspace, args.modelId);
  const { name, version } = v.info;
  const service = serviceName(name);
  const image = args.image?.trim() || `dw-${service}:v${version}`;
  if (/\s/.test(image)) {
    throw new DwError("INVALID_INPUT", "image must be an image reference without spaces, e.g. ghcr.io/team/temp:v3.", { details: { field: "image" } });
  }
  await mkdir(dirname(dir), { recursive: true });
  const tmp = join(dirname(dir), `.${basename(dir)}.dw-export-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(tmp);
    const store = await writeModelStore(ctx.workspace, v, join(tmp, LAYOUT.store), ctx.now());
    const runtime = await writeDwRuntime(join(tmp, LAYOUT.runtime));
    const modelJson = await ctx.workspace.readText(v.info.commit, "model.json");
    const nodeMajor = Number(process.versions.node.split(".")[0]);
    await atomicWrite(join(tmp, LAYOUT.dockerfile), renderDockerfile({ nodeMajor, model: name, version }));
    await atomicWrite(join(tmp, LAYOUT.dockerignore), renderDockerignore());
    await atomicWrite(
      join(tmp, LAYOUT.manifest),
      renderInferenceService({ service, image, model: name, version, source: v.source, modelJsonChars: modelJson?.length ?? 0 }),
    );
    await atomicWrite(join(tmp, LAYOUT.readme), renderExportReadme({ model: name, version, source: v.source, service, image, nodeMajor }));
    await rm(join(tmp, LAYOUT.store, ".dw"), { recursive: true, force: true });
    await rename(tmp, dir).catch((e: NodeJS.ErrnoException) => {
      throw e.code === "ENOTEMPTY" || e.code === "EEXIST" ? notEmpty(dir) : e;
    });
    return {
      dir,
      model_name: name,
      version,
      source: v.source,
      alias: STORE_ALIAS,
      service_name: service,
      image,
      files: (await readdir(dir)).sort(),
      store,
      runtime,
      command: ["node", `${LAYOUT.containerRuntime}/bin/dw.js`, ...serveArgs()],
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The target must be absent or an empty directory (an export never mixes with other files). */
async function checkTarget(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => null);
  if (!st) return;
  if (!st.isDirectory()) {
    throw new DwError("INVALID_INPUT", `${dir} is a file; an export writes a directory.`, {
      hint: "Name a new directory for --kserve.",
      details: { field: "kserve" },
    });
  }
  if ((await readdir(dir)).length > 0) throw notEmpty(dir);
}

function notEmpty(dir: string): DwError {
  return new DwError("CONFLICT", `${dir} is not empty; an export writes a directory of its own.`, {
    hint: "Name a new (or empty) directory for --kserve, or remove that one first.",
    details: { field: "kserve" },
  });
}
