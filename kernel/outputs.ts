import type { Channels } from "./jupyterProtocol/channels.js";
import type { JupyterMessage } from "./jupyterProtocol/message.js";
import type { MimeBundle } from "./display.js";

export type StreamName = "stdout" | "stderr";

/**
 * Everything a cell shows goes through here to iopub, tagged with the request it belongs to.
 * The parent stays after a cell ends, so output from timers lands on the last cell, as IPython
 * does. Stream text is batched briefly and always flushed before any other output.
 */
export interface Outputs {
  setParent(msg: JupyterMessage): void;
  readonly parent: JupyterMessage | undefined;
  stream(name: StreamName, text: string): void;
  display(data: MimeBundle, metadata?: Record<string, unknown>, transient?: Record<string, unknown>, update?: boolean): void;
  /** Any iopub message for the current parent (flushes streams first). */
  publish(msgType: string, content: Record<string, unknown>, parent?: JupyterMessage): void;
  flush(): void;
  /** Routes process.stdout/stderr writes to the current cell; returns a function that undoes it. */
  captureProcessStreams(): () => void;
}

export function createOutputs(channels: Channels): Outputs {
  let parent: JupyterMessage | undefined;
  let pending: { name: StreamName; text: string } | undefined;
  let timer: NodeJS.Immediate | undefined;

  const flush = () => {
    if (timer) clearImmediate(timer);
    timer = undefined;
    if (!pending || !parent) return;
    const { name, text } = pending;
    pending = undefined;
    channels.publish(channels.messages.create("stream", { name, text }, parent));
  };
  const stream = (name: StreamName, text: string) => {
    if (pending && pending.name !== name) flush();
    pending = { name, text: (pending?.text ?? "") + text };
    timer ??= setImmediate(flush);
  };
  const publish = (msgType: string, content: Record<string, unknown>, to?: JupyterMessage) => {
    flush();
    const p = to ?? parent;
    if (p) channels.publish(channels.messages.create(msgType, content, p));
  };

  return {
    setParent(msg) {
      flush();
      parent = msg;
    },
    get parent() {
      return parent;
    },
    stream,
    display(data, metadata = {}, transient = {}, update = false) {
      publish(update ? "update_display_data" : "display_data", { data, metadata, transient });
    },
    publish,
    flush,
    captureProcessStreams() {
      const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
      const patch = (name: StreamName) => {
        const original = originals[name];
        const target = process[name];
        target.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void) => {
          if (!parent) return original.call(target, chunk, encoding as BufferEncoding, cb);
          const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString(typeof encoding === "string" ? encoding : "utf8");
          stream(name, text);
          const done = typeof encoding === "function" ? encoding : cb;
          if (done) queueMicrotask(() => done());
          return true;
        }) as typeof target.write;
      };
      patch("stdout");
      patch("stderr");
      return () => {
        process.stdout.write = originals.stdout;
        process.stderr.write = originals.stderr;
      };
    },
  };
}
