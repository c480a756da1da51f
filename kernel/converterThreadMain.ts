/**
 * The converter thread's entry (`startConverterThread` starts it): tslab's converters, the
 * TypeScript programs cells are checked against, live here, so that building the first one (most of
 * a kernel's start) runs while the main thread loads dw and opens the Jupyter sockets.
 *
 * Requests come one at a time on `workerData.port`: the main thread posts one, then sleeps on
 * `workerData.signal` until the answer is posted and the signal set. This file exports nothing.
 */
import { readlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import type * as ts from "@tslab/typescript-for-tslab";
import type { Converter } from "tslab/dist/converter.js";
import type { ConverterReply, ConverterRequest } from "./converterThread.js";

const { port, signal, globals: globalsPort } = workerData as { port: MessagePort; signal: SharedArrayBuffer; globals: MessagePort };
const flag = new Int32Array(signal);
// This thread's id in the OS, where there is /proc (Linux): the main thread checks the thread is
// still there while it waits for an answer (a thread ended by running out of memory never answers).
try {
  Atomics.store(flag, 1, Number(readlinkSync("/proc/thread-self").split("/").pop()) || 0);
} catch {
  // No /proc: the main thread waits without that check.
}

// A file watcher's callback that throws (TypeScript watches the files cells import) must not end
// the thread the kernel waits on: it is reported as the main thread reports its own.
process.on("uncaughtException", (e) => process.stderr.write(`Uncaught exception in the TypeScript converter: ${e.stack ?? e.message}\n`));

interface Converters {
  node: Converter;
  browser(): Converter;
  /** expandShorthandProperties with this thread's TypeScript. */
  expand(code: string): string;
  /** Takes the kernel's latest global declarations, if new ones were sent, into the programs. */
  refreshGlobals(): void;
}

/** The last global declarations the kernel sent, if any arrived since the last look. */
function latestGlobals(): string | undefined {
  let latest: string | undefined;
  for (let m = receiveMessageOnPort(globalsPort); m; m = receiveMessageOnPort(globalsPort)) latest = m.message as string;
  return latest;
}

// Loaded dynamically, so that a module that fails to load is an answer to the first request
// instead of a thread that died while the main thread waits for it.
const ready: Promise<Converters> = (async () => {
  // First: TypeScript through V8's code cache, before tslab's modules require it.
  const { typescriptCodeCache } = await import("./typescriptCodeCache.js");
  const { createConverter } = await import("tslab/dist/converter.js");
  const { declareOnlyNodeGlobals } = await import("./declareOnlyNodeGlobals.js");
  const { expandShorthandProperties } = await import("./expandShorthandProperties.js");
  const { serveKernelGlobals } = await import("./serveKernelGlobals.js");
  const typescript = createRequire(createRequire(import.meta.url).resolve("tslab/package.json"))("@tslab/typescript-for-tslab") as typeof ts;
  declareOnlyNodeGlobals(typescript.sys);
  const globals = serveKernelGlobals(typescript.sys, latestGlobals);
  // Built now, before any request: the main thread's first convert (the dw prelude) waits for it.
  const node = createConverter();
  // The cache holds what is compiled when it is written: after the first cells, the parser's and
  // checker's functions too.
  setTimeout(() => typescriptCodeCache.save(), 3000).unref();
  let browser: Converter | undefined;
  return {
    node,
    // A second whole program, with the DOM's declarations: made when a browser cell first needs it.
    browser: () => (browser ??= createConverter({ isBrowser: true })),
    expand: (code) => expandShorthandProperties(code, typescript),
    refreshGlobals: () => {
      const latest = latestGlobals();
      if (latest !== undefined) globals.set(latest);
    },
  };
})();

port.on("message", (request: ConverterRequest) => {
  void ready.then(
    (converters) => {
      try {
        reply({ ok: true, value: answer(converters, request) });
      } catch (e) {
        reply(failure(e));
      }
    },
    (e: unknown) => reply(failure(e)),
  );
});

function answer(converters: Converters, request: ConverterRequest): unknown {
  converters.refreshGlobals();
  const converter = request.browser ? converters.browser() : converters.node;
  switch (request.method) {
    // A cell, and a `/** @module */` cell, is converted with its shorthand properties written out
    // (expandShorthandProperties.ts says why); its leading comment, which tslab reads the cell's
    // mode and module name from on the main thread, is left as it is.
    case "convert":
      return converter.convert(request.prevDecl, converters.expand(request.src));
    case "inspect":
      return converter.inspect(request.prevDecl, request.src, request.position);
    case "complete": {
      // `original` is TypeScript's own answer, kept by tslab for debugging; nobody here reads it.
      const { start, end, candidates } = converter.complete(request.prevDecl, request.src, request.position);
      return { start, end, candidates };
    }
    case "addModule":
      return converter.addModule(request.name, converters.expand(request.content), request.meta);
  }
}

function failure(e: unknown): ConverterReply {
  return { ok: false, message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
}

function reply(message: ConverterReply): void {
  try {
    port.postMessage(message);
  } catch (e) {
    // A value the structured clone cannot copy: the caller gets the reason instead of waiting forever.
    port.postMessage(failure(new Error(`the converter's answer could not be sent to the kernel: ${(e as Error).message}`)));
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
