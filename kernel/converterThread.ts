import { existsSync } from "node:fs";
import { MessageChannel, Worker, receiveMessageOnPort, type ResourceLimits } from "node:worker_threads";
import type { CompletionInfo, Converter, ConvertResult, Diagnostic } from "tslab/dist/converter.js";
import type { CodeMetadata } from "tslab/dist/metadata.js";
import type * as ts from "@tslab/typescript-for-tslab";

/** What the kernel asks the converter thread; `browser` picks the converter with the DOM's declarations. */
export type ConverterRequest = { browser: boolean } & (
  | { method: "convert"; prevDecl: string; src: string }
  | { method: "inspect"; prevDecl: string; src: string; position: number }
  | { method: "complete"; prevDecl: string; src: string; position: number }
  | { method: "addModule"; name: string; content: string; meta?: CodeMetadata }
);

/** The converter's answer, or what it threw (rethrown in the kernel as an Error with that message). */
export type ConverterReply = { ok: true; value: unknown } | { ok: false; message: string; stack?: string };

/** tslab's two converters, as its executor takes them, answered by another thread. */
export interface ConverterThread {
  readonly node: Converter;
  readonly browser: Converter;
  /**
   * Declarations every cell's program sees as globals (serveKernelGlobals.ts), sent without
   * waiting: a program being built reads them if they arrived in time, else its next build does.
   */
  declareGlobals(text: string): void;
  close(): void;
}

/**
 * Starts the thread that builds and holds tslab's converters (each a whole TypeScript program: the
 * lib files and `@types/node` parsed and bound, about 2 s of CPU for the first one on a loaded
 * machine) and answers their calls synchronously, as tslab's executor expects: a call posts the
 * request, sleeps on a shared flag (`Atomics.wait`) until the thread has answered, and takes the
 * answer off the port. The kernel starts it first, so the program is built while the main thread
 * loads dw's modules and opens the sockets; a call made before it is built waits for it.
 * `resourceLimits` bounds the thread's heap (Node's default otherwise); a thread that runs out of
 * it ends, and every call then throws instead of waiting.
 *
 * @example
 * ```ts
 * const converters = startConverterThread(); // as early as possible
 * const result = converters.node.convert("", "const x: number = 1;");
 * converters.close();
 * ```
 */
export function startConverterThread(options: { resourceLimits?: ResourceLimits } = {}): ConverterThread {
  const { port1, port2 } = new MessageChannel();
  // The global declarations' own channel: read by the thread when it reads their file, even in the
  // middle of a build, which a message on the requests' port would wait for.
  const globals = new MessageChannel();
  // [0]: 1 once an answer is posted; [1]: the thread's id in the OS, when it has one in /proc.
  const signal = new SharedArrayBuffer(8);
  const flag = new Int32Array(signal);
  const worker = new Worker(new URL("./converterThreadMain.js", import.meta.url), {
    workerData: { port: port2, signal, globals: globals.port2 },
    transferList: [port2, globals.port2],
    resourceLimits: options.resourceLimits,
  });
  // Neither keeps the kernel alive: it exits when the main thread is done (shutdown exits anyway).
  worker.unref();
  port1.unref();
  globals.port1.unref();
  let ended: string | undefined;
  // Told through this thread's event loop, after a call that was waiting has noticed on its own.
  worker.on("error", (e) => {
    ended ??= `the TypeScript converter thread ended (${e.message}) and cells can no longer be compiled: restart the kernel`;
  });

  const call = (request: ConverterRequest): unknown => {
    if (ended) throw new Error(ended);
    Atomics.store(flag, 0, 0);
    port1.postMessage(request);
    // In slices, so that a thread that ended without answering (out of memory: Node ends the
    // thread, not the process, and tells this thread through its event loop, which is waiting
    // here) is noticed instead of waited for forever. Without /proc, no check is possible.
    while (Atomics.wait(flag, 0, 0, 500) === "timed-out") {
      const tid = Atomics.load(flag, 1);
      if (tid !== 0 && !existsSync(`/proc/self/task/${tid}`)) {
        ended = "the TypeScript converter thread ended (it ran out of memory?) and cells can no longer be compiled: restart the kernel";
        throw new Error(ended);
      }
    }
    const received = receiveMessageOnPort(port1);
    if (!received) throw new Error(`the TypeScript converter thread did not answer ${request.method}`);
    const reply = received.message as ConverterReply;
    if (reply.ok) return reply.value;
    const error = new Error(reply.message);
    if (reply.stack) error.stack = reply.stack;
    throw error;
  };
  const converter = (browser: boolean): Converter => ({
    convert: (prevDecl, src) => call({ browser, method: "convert", prevDecl, src }) as ConvertResult,
    inspect: (prevDecl, src, position) => call({ browser, method: "inspect", prevDecl, src, position }) as ts.QuickInfo,
    complete: (prevDecl, src, position) => call({ browser, method: "complete", prevDecl, src, position }) as CompletionInfo,
    addModule: (name, content, meta) => call({ browser, method: "addModule", name, content, meta }) as Diagnostic[],
    // tslab closes each converter; the thread closes both on one request.
    close: () => undefined,
  });

  return {
    node: converter(false),
    browser: converter(true),
    declareGlobals: (text) => globals.port1.postMessage(text),
    // Ending the thread releases both programs and their file watchers, even one still being built.
    close() {
      ended = "the TypeScript converter was closed";
      void worker.terminate();
    },
  };
}
