import { listDatasetIds, readDatasetRecord } from "../data/datasetRecords.js";
import { listModels, readAliases } from "../registry/readRegistry.js";
import { RUN_ID } from "../runs/runId.js";
import type { Workspace } from "../workspace/Workspace.js";
import { isModelName } from "../workspace/refNames.js";

/** A registered model as completion offers it: its name and versions, newest first. */
export interface CatalogModel {
  name: string;
  versions: number[];
}

/**
 * The workspace's names that flag values are completed from, read lazily: each kind of name at
 * most once per catalog (one catalog per completion request), and only the kinds asked for. Only
 * names and recorded schemas are read, never a data file, so a Tab answers at once on a workspace
 * with large data. A part that cannot be read (a damaged record, a ref gone meanwhile) is empty:
 * completion offers what it can and never fails a request.
 */
export interface ValueCatalog {
  /** Dataset ids, sorted. */
  datasets(): Promise<string[]>;
  /** The columns of a dataset as its record lists them; empty for an unknown dataset. */
  columns(datasetId: string): Promise<string[]>;
  /** Run ids, newest first. */
  runs(): Promise<string[]>;
  /** Registered models, sorted by name. */
  models(): Promise<CatalogModel[]>;
  /** A model's aliases and the versions they serve now, as the server resolves them. */
  aliases(model: string): Promise<Record<string, number>>;
  /** Experiment names, sorted. */
  experiments(): Promise<string[]>;
  /** Feature pipeline names, sorted. */
  pipelines(): Promise<string[]>;
}

/**
 * A catalog of `ws`, for one completion request.
 *
 * @example
 * const catalog = readValueCatalog(ctx.workspace);
 * await catalog.columns("weather"); // ["date", "precipitation", "temp_max", …]
 */
export function readValueCatalog(ws: Workspace): ValueCatalog {
  const once = new Map<string, Promise<unknown>>();
  const memo = <T>(key: string, read: () => Promise<T>, empty: T): Promise<T> => {
    let p = once.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read().catch(() => empty);
      once.set(key, p);
    }
    return p;
  };
  const names = (prefix: string) => async () => (await ws.listRefs(prefix)).filter(isModelName).sort();
  return {
    datasets: () => memo("datasets", () => listDatasetIds(ws), []),
    columns: (id) => memo(`columns\0${id}`, async () => (await readDatasetRecord(ws, id)).columns.map((c) => c.name), []),
    runs: () =>
      memo(
        "runs",
        async () =>
          (await ws.listRefs("refs/dw/runs"))
            .filter((r) => RUN_ID.test(r))
            .sort()
            .reverse(),
        [],
      ),
    models: () =>
      memo(
        "models",
        async () => [...(await listModels(ws))].sort(([a], [b]) => a.localeCompare(b)).map(([name, versions]) => ({ name, versions: [...versions].reverse() })),
        [],
      ),
    aliases: (model) => memo(`aliases\0${model}`, () => (isModelName(model) ? readAliases(ws, model) : Promise.resolve({})), {}),
    experiments: () => memo("experiments", names("refs/dw/experiments"), []),
    pipelines: () => memo("pipelines", names("refs/dw/pipelines"), []),
  };
}
