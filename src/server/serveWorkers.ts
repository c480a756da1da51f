import cluster, { type Worker } from "node:cluster";
import net from "node:net";
import { fileURLToPath } from "node:url";
import type { ServerLimits } from "./createServer.js";
import type { MetricsSnapshot } from "./metrics/MetricsSnapshot.js";
import { mergeSnapshots } from "./metrics/mergeSnapshots.js";

/** What a worker process needs to serve: sent by the primary over IPC (the token never goes through the environment). */
export interface WorkerConfig {
  workspace: string;
  host: string;
  port: number;
  limits: ServerLimits;
  /** Host names the Host header may carry, or null for any. */
  allowedHosts: string[] | null;
  token: string | null;
}

/** The messages between the primary and its workers. */
export type WorkerMessage =
  | { type: "dw-ready" }
  | { type: "dw-config"; config: WorkerConfig }
  | { type: "dw-listening"; port: number }
  | { type: "dw-failed"; message: string }
  | { type: "dw-log"; line: string }
  | { type: "dw-stats-request"; id: number }
  | { type: "dw-stats-collect"; id: number }
  | { type: "dw-stats-reply"; id: number; snapshot: MetricsSnapshot }
  | { type: "dw-stats-result"; id: number; snapshot: MetricsSnapshot | null }
  | { type: "dw-load-request"; id: number; name: string; version: number }
  | { type: "dw-load"; id: number; name: string; version: number }
  | { type: "dw-load-reply"; id: number }
  | { type: "dw-load-result"; id: number };

const WORKER_MAIN = fileURLToPath(new URL("./serveWorkerMain.js", import.meta.url));
/** How long the primary waits for every worker's counts before answering with those that came. */
const STATS_TIMEOUT_MS = 1_000;
/** How long a worker's request that every worker load a version waits for them at most. */
const LOAD_TIMEOUT_MS = 10_000;
/** A worker that dies sooner than this after starting is restarted only after a pause (no tight crash loop). */
const CRASH_PAUSE_MS = 1_000;

/**
 * Runs `count` worker processes (node:cluster) that share one listening port, each a whole
 * createServer of its own: request parsing, scoring and answering use every core, with no
 * per-request hop between processes (the primary hands out connections; keep-alive connections
 * stay with their worker). The primary restarts a worker that dies, writes the workers' log lines
 * (one writer, so rotation stays safe), and answers a worker's request for the whole server's
 * counts by asking every worker and merging (for /metrics and /status). Resolves once every
 * worker listens, with the port they share.
 */
export async function startWorkers(
  config: WorkerConfig,
  count: number,
  log: (line: string) => void,
): Promise<{ port: number; pids(): number[]; close(): Promise<void> }> {
  // Each worker accepts from the shared socket itself (SCHED_NONE): with round-robin the primary
  // accepts and hands a connection over, and one handed to a worker killed a moment before hangs
  // in the primary for good; here the kernel queues it until a live worker accepts.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: WORKER_MAIN, args: [], silent: false });
  let closing = false;
  let port = config.port;
  const workers = new Set<Worker>();
  let nextId = 1;
  /** Collections under way: who asked (and under which id of its own), how many answers are due, those that came. */
  const collecting = new Map<number, { from: Worker; theirId: number; want: number; got: MetricsSnapshot[]; timer: NodeJS.Timeout }>();

  const finishCollect = (id: number) => {
    const c = collecting.get(id);
    if (!c) return;
    collecting.delete(id);
    clearTimeout(c.timer);
    const snapshot = c.got.length ? mergeSnapshots(c.got) : null;
    if (c.from.isConnected()) send(c.from, { type: "dw-stats-result", id: c.theirId, snapshot });
  };

  /** Loads under way: who asked (and its own id), how many workers still have to answer. */
  const loads = new Map<number, { from: Worker; theirId: number; left: number; timer: NodeJS.Timeout }>();
  const finishLoad = (id: number) => {
    const l = loads.get(id);
    if (!l) return;
    loads.delete(id);
    clearTimeout(l.timer);
    if (l.from.isConnected()) send(l.from, { type: "dw-load-result", id: l.theirId });
  };

  function onMessage(worker: Worker, msg: WorkerMessage) {
    if (msg.type === "dw-log") log(msg.line);
    else if (msg.type === "dw-load-request") {
      const id = nextId++;
      const others = [...workers].filter((w) => w !== worker && w.isConnected());
      const timer = setTimeout(() => finishLoad(id), LOAD_TIMEOUT_MS);
      timer.unref();
      loads.set(id, { from: worker, theirId: msg.id, left: others.length, timer });
      if (!others.length) finishLoad(id);
      for (const w of others) send(w, { type: "dw-load", id, name: msg.name, version: msg.version });
    } else if (msg.type === "dw-load-reply") {
      const l = loads.get(msg.id);
      if (l && --l.left <= 0) finishLoad(msg.id);
    } else if (msg.type === "dw-stats-request") {
      const id = nextId++;
      const live = [...workers].filter((w) => w.isConnected());
      const timer = setTimeout(() => finishCollect(id), STATS_TIMEOUT_MS);
      timer.unref();
      collecting.set(id, { from: worker, theirId: msg.id, want: live.length, got: [], timer });
      for (const w of live) send(w, { type: "dw-stats-collect", id });
    } else if (msg.type === "dw-stats-reply") {
      const c = collecting.get(msg.id);
      if (!c) return;
      c.got.push(msg.snapshot);
      if (c.got.length >= c.want) finishCollect(msg.id);
    }
  }

  function send(worker: Worker, msg: WorkerMessage) {
    try {
      worker.send(msg);
    } catch {
      // The worker is going away; its restart gets the config again.
    }
  }

  function fork(): Promise<number> {
    // libuv then accepts one connection per wake-up, so a burst of new connections is shared
    // between the workers rather than taken whole by the first one awake.
    const worker = cluster.fork({ UV_TCP_SINGLE_ACCEPT: "1" });
    const started = Date.now();
    workers.add(worker);
    return new Promise<number>((resolve, reject) => {
      worker.on("message", (msg: WorkerMessage) => {
        // Asked for once the worker listens for messages (one sent earlier could be lost).
        if (msg.type === "dw-ready") send(worker, { type: "dw-config", config: { ...config, port } });
        else if (msg.type === "dw-listening") resolve(msg.port);
        else if (msg.type === "dw-failed") reject(new Error(msg.message));
        else onMessage(worker, msg);
      });
      worker.on("exit", (code, signal) => {
        workers.delete(worker);
        reject(new Error(`a worker exited before listening (${signal ?? `code ${code}`})`));
        if (closing) return;
        log(`dw serve: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another.`);
        const pause = Date.now() - started < CRASH_PAUSE_MS * 5 ? CRASH_PAUSE_MS : 0;
        setTimeout(() => {
          if (!closing) fork().catch((e: Error) => log(`dw serve: a replacement worker did not start: ${e.message}`));
        }, pause).unref();
      });
    });
  }

  const close = async () => {
    closing = true;
    const exits = [...workers].map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once("exit", () => resolve()))));
    for (const w of workers) w.disconnect();
    const timer = setTimeout(() => {
      for (const w of workers) w.process.kill("SIGKILL");
    }, 5_000);
    await Promise.all(exits);
    clearTimeout(timer);
  };

  try {
    // Every worker (and any that replaces one) listens on the same port, so port 0 is made a
    // definite free port first: workers asking for port 0 would share it only while one lives.
    if (port === 0) port = await freePort(config.host);
    await Promise.all(Array.from({ length: count }, () => fork()));
  } catch (e) {
    await close();
    throw e;
  }
  return { port, pids: () => [...workers].map((w) => w.process.pid ?? 0), close };
}

/** A port free on `host` now (the kernel's choice for port 0), for the workers to share. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * In a worker: the whole server's counts, asked of the primary (which asks every worker); this
 * worker's own when the primary does not answer in time.
 */
export function statsFromPrimary(own: () => MetricsSnapshot): () => Promise<MetricsSnapshot> {
  let nextId = 1;
  const waiting = new Map<number, (s: MetricsSnapshot | null) => void>();
  process.on("message", (msg: WorkerMessage) => {
    if (msg.type === "dw-stats-collect") process.send?.({ type: "dw-stats-reply", id: msg.id, snapshot: own() } satisfies WorkerMessage);
    else if (msg.type === "dw-stats-result") {
      waiting.get(msg.id)?.(msg.snapshot);
      waiting.delete(msg.id);
    }
  });
  return () =>
    new Promise<MetricsSnapshot>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve(own());
      }, STATS_TIMEOUT_MS * 2);
      waiting.set(id, (s) => {
        clearTimeout(timer);
        resolve(s ?? own());
      });
      process.send?.({ type: "dw-stats-request", id } satisfies WorkerMessage);
    });
}

/**
 * In a worker: `loadEverywhere` for createServer (asks the primary to have every other worker load
 * a version, resolving once they have or after LOAD_TIMEOUT_MS), and this worker's answer to such
 * a request from another, by `load` (resolving the version's pinned path loads and warms it).
 */
export function loadThroughPrimary(load: (name: string, version: number) => Promise<unknown>): (name: string, version: number) => Promise<void> {
  let nextId = 1;
  const waiting = new Map<number, () => void>();
  process.on("message", (msg: WorkerMessage) => {
    if (msg.type === "dw-load") {
      load(msg.name, msg.version)
        .catch(() => undefined)
        .finally(() => process.send?.({ type: "dw-load-reply", id: msg.id } satisfies WorkerMessage));
    } else if (msg.type === "dw-load-result") {
      waiting.get(msg.id)?.();
      waiting.delete(msg.id);
    }
  });
  return (name, version) =>
    new Promise<void>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve();
      }, LOAD_TIMEOUT_MS + 1_000);
      waiting.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      process.send?.({ type: "dw-load-request", id, name, version } satisfies WorkerMessage);
    });
}
