/**
 * The entry point of a `dw serve` worker process (forked by startWorkers in serveWorkers.ts): waits
 * for its configuration from the primary over IPC, then serves the workspace on the shared port
 * until the primary goes away.
 */
import { openWorkspace } from "../workspace/Workspace.js";
import { createServer, boundPort } from "./createServer.js";
import { createMetricsRecorder } from "./metrics/createMetricsRecorder.js";
import { createInferenceLog } from "../monitoring/log/createInferenceLog.js";
import { loadThroughPrimary, statsFromPrimary, type WorkerMessage } from "./serveWorkers.js";

const tell = (msg: WorkerMessage) => process.send?.(msg);

process.once("message", async (msg: WorkerMessage) => {
  if (msg.type !== "dw-config") return;
  const { config } = msg;
  try {
    const ws = await openWorkspace(config.workspace);
    const recorder = createMetricsRecorder();
    const log = (line: string) => tell({ type: "dw-log", line });
    const inferenceLog = createInferenceLog(ws, { report: log });
    const server = createServer(ws, {
      inferenceLog,
      limits: config.limits,
      allowedHosts: config.allowedHosts ? new Set(config.allowedHosts) : null,
      token: config.token,
      log,
      metrics: { recorder, stats: statsFromPrimary(() => recorder.snapshot()) },
      loadEverywhere: loadThroughPrimary,
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => resolve());
    });
    // The primary gone (stopped, or killed with -9), or this worker signalled itself (a system
    // shutdown signals every process): stop serving rather than outlive the primary on its port,
    // once the inference log has written what it holds (at most 2 s: the primary kills a worker
    // that takes 5).
    const stop = async () => {
      server.close();
      server.closeAllConnections();
      await Promise.race([inferenceLog.close(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      process.exit(0);
    };
    process.once("disconnect", () => void stop());
    process.once("SIGTERM", () => void stop());
    tell({ type: "dw-listening", port: boundPort(server) });
  } catch (e) {
    tell({ type: "dw-failed", message: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  }
});

tell({ type: "dw-ready" });
