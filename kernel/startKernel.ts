/**
 * The kernel's composition root, imported by main.ts once the converter thread is started: reads
 * the connection file, wires the parts together, handles signals.
 */
// First: tslab's executor parses each cell's leading comment with TypeScript, so the main thread
// loads it too, through V8's code cache (written by the converter thread), before tslab requires it.
import "./typescriptCodeCache.js";
import { createRequire } from "node:module";
import { inspect } from "node:util";
import { tools } from "../src/index.js";
import { deferMetricFolds, foldOwnMetrics } from "../src/runs/metricsWriter.js";
import { createComms, type Comms } from "./comms.js";
import { createToolCaller } from "./createToolCaller.js";
import { createKernel } from "./createKernel.js";
import { createBridge } from "./createBridge.js";
import { createResultRegistry, type MimeBundle } from "./display.js";
import { BRIDGE_SYMBOL, dwBindings, dwGlobalDeclarations } from "./dwObject.js";
import { createExecutor } from "./executor.js";
import type { ConverterThread } from "./converterThread.js";
import { createExecuteHandler } from "./handlers/execute.js";
import { createCompleteHandler, createInspectHandler, createIsCompleteHandler } from "./handlers/introspection.js";
import { createHistory } from "./history.js";
import { createBrowserNotebook } from "./browserNotebook.js";
import { findNotebookPath } from "./notebookOrigin.js";
import { kernelInfo } from "./kernelInfo.js";
import { createOutputs, type Outputs } from "./outputs.js";
import { createChannels, type RequestChannel } from "./jupyterProtocol/channels.js";
import { readConnectionFile } from "./jupyterProtocol/connection.js";
import type { JupyterMessage } from "./jupyterProtocol/message.js";

const stderrWrite = process.stderr.write.bind(process.stderr);
const log = (message: string) => void stderrWrite(`[dw kernel] ${message}\n`);

/**
 * Starts the kernel for a connection file, with the converter thread already building
 * the TypeScript program.
 *
 * @example
 * ```ts
 * await startKernel("/tmp/kernel-1234.json", startConverterThread());
 * ```
 */
export async function startKernel(connectionFile: string, converters: ConverterThread): Promise<void> {
  // First, while the converter thread is still building the program: it reads them with it.
  converters.declareGlobals(dwGlobalDeclarations(tools));
  const info = await readConnectionFile(connectionFile);
  // A cell logging metrics in a loop appends each point (about a millisecond) instead of making a
  // commit per call; what a request logged is committed before the kernel reports idle.
  deferMetricFolds();

  // Requests that arrive while the kernel is still starting wait here.
  let dispatch: ((channel: RequestChannel, msg: JupyterMessage) => void) | undefined;
  const early: [RequestChannel, JupyterMessage][] = [];
  const channels = await createChannels(info, {
    onMessage: (channel, msg) => (dispatch ? dispatch(channel, msg) : early.push([channel, msg])),
    onBadMessage: (channel, e) => log(`${channel}: ${e.message}`),
  });
  const outputs = createOutputs(channels);
  const results = createResultRegistry();
  const executor = createExecutor({ rootDir: process.cwd(), converters });
  const history = createHistory();
  const browserNotebook = createBrowserNotebook({ notebookPath: () => findNotebookPath(process.env, process.cwd()) });

  let currentCell: string | undefined;
  let currentCellId: string | undefined;
  // Aborted on interrupt, so a tool call the cell awaits can stop too; renewed for each cell.
  let cellAbort = new AbortController();
  const interrupt = () => {
    cellAbort.abort(new Error("interrupted"));
    executor.interrupt();
  };
  let comms: Comms | undefined;
  const caller = createToolCaller({
    cwd: () => process.cwd(),
    currentCell: () => currentCell,
    currentCellId: () => currentCellId,
    signal: () => (currentCell === undefined ? undefined : cellAbort.signal),
    env: process.env,
    results,
    onStateChange: (ctx) => void comms?.pushState(ctx).catch((e: Error) => log(`state push failed: ${e.message}`)),
    history,
    browserNotebook: () => browserNotebook.latest(),
    // Updated in place: update_display_data on the call's display_id.
    progress: (message, callId, first) => outputs.display({ "text/plain": message }, {}, { display_id: callId }, !first),
  });
  comms = createComms({ outputs, caller, log, browserNotebook });
  const bridge = createBridge({ tools, caller, locals: () => executor.locals, display: (bundle) => outputs.display(bundle) });
  (globalThis as Record<symbol, unknown>)[Symbol.for(BRIDGE_SYMBOL)] = bridge;
  const prelude = await executor.execute(dwBindings());
  if (!prelude.ok) log(`the dw prelude did not compile; dw and %dw will not work:\n${prelude.error.traceback.join("\n")}`);
  hookTslabDisplay(outputs);
  const restoreStreams = outputs.captureProcessStreams();

  const report = (what: string) => (e: unknown) => outputs.stream("stderr", `${what}: ${e instanceof Error ? (e.stack ?? e.message) : inspect(e)}\n`);
  process.on("unhandledRejection", report("Unhandled promise rejection"));
  process.on("uncaughtException", report("Uncaught exception"));
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", () => void shutdown());
  // Like ipykernel's parent poller: a kernel whose launcher died without shutting it down exits.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void shutdown(), 2000).unref();

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    restoreStreams();
    await foldOwnMetrics().catch((e: Error) => log(`logged metrics not folded (the next fold in the workspace takes them): ${e.message}`));
    await channels.close().catch(() => undefined);
    executor.close();
    process.exit(0);
  };

  const kernel = createKernel({
    channels,
    outputs,
    comms,
    interrupt,
    kernelInfo: kernelInfo(),
    execute: createExecuteHandler({
      executor,
      outputs,
      router: bridge.router,
      results,
      history,
      interrupted: () => cellAbort.signal.aborted,
      setCurrentCell: (c, id) => {
        currentCell = c;
        currentCellId = id;
        if (c !== undefined) cellAbort = new AbortController();
      },
    }),
    complete: createCompleteHandler(executor, tools, async () => (await caller.context()).workspace),
    inspect: createInspectHandler(executor, tools),
    isComplete: createIsCompleteHandler(executor),
    history: (content) => history.reply(content),
    shutdown: () => void shutdown(),
    log,
    beforeIdle: async () => void (await foldOwnMetrics()),
  });
  dispatch = kernel.handle;
  kernel.starting();
  for (const [channel, msg] of early.splice(0)) kernel.handle(channel, msg);
}

/** `import * as tslab from "tslab"; tslab.display.html(...)` in a cell shows display_data here. */
function hookTslabDisplay(outputs: Outputs): void {
  const jupyter = createRequire(import.meta.url)("tslab/dist/jupyter.js") as {
    lastWriteDisplayData: ((d: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void) | null;
  };
  jupyter.lastWriteDisplayData = (d, update) => outputs.display(d.data, d.metadata, d.transient, update);
}
