/**
 * The TypeScript (dw) kernel: `node dist/kernel/main.js <connection_file>`, as Jupyter starts it.
 *
 * Most of a kernel's start is TypeScript building the program cells are checked against, so the
 * thread that builds it starts first, with nothing but `node:worker_threads` loaded; dw's modules,
 * tslab's executor and the sockets are loaded and opened on this thread meanwhile.
 */
import { startConverterThread } from "./converterThread.js";

const log = (message: string) => void process.stderr.write(`[dw kernel] ${message}\n`);

const connectionFile = process.argv[2];
if (!connectionFile) {
  log("usage: node dist/kernel/main.js <connection_file>");
  process.exit(2);
}
const converters = startConverterThread();
import("./startKernel.js")
  .then(({ startKernel }) => startKernel(connectionFile, converters))
  .catch((e: unknown) => {
    log(`failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  });
