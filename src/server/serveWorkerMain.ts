/**
 * The entry point of a `dw serve` worker process (forked by startWorkers in serveWorkers.ts): waits
 * for its configuration from the primary over IPC, then serves the workspace on the shared port
 * until the primary goes away.
 */
import { openWorkspace } from "../workspace/Workspace.js";
import { createServer, boundPort } from "./createServer.js";
import { createMetricsRecorder } from "./metrics/createMetricsRecorder.js";
import { loadThroughPrimary, statsFromPrimary, type WorkerMessage } from "./serveWorkers.js";

const tell = (msg: WorkerMessage) => process.send?.(msg);

process.once("message", async (msg: WorkerMessage) => {
  if (msg.type !== "dw-config") return;
  const { config } = msg;
  try {
    const ws = await openWorkspace(config.workspace);
    const recorder = createMetricsRecorder();
    const server = createServer(ws, {
      limits: config.limits,
      allowedHosts: config.allowedHosts ? new Set(config.allowedHosts) : null,
      token: config.token,
      log: (line) => tell({ type: "dw-log", line }),
      metrics: { recorder, stats: statsFromPrimary(() => recorder.snapshot()) },
      loadEverywhere: loadThroughPrimary,
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => resolve());
    });
    // The primary gone (stopped, or killed with -9): stop serving rather than outlive it on its port.
    process.on("disconnect", () => {
      server.close();
      server.closeAllConnections();
      process.exit(0);
    });
    tell({ type: "dw-listening", port: boundPort(server) });
  } catch (e) {
    tell({ type: "dw-failed", message: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  }
});

tell({ type: "dw-ready" });
