import { spawn, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { Dealer, Subscriber } from "zeromq";
import { repoRoot } from "../../helpers/tempWorkspace.js";
import { createMessageFactory, type JupyterMessage } from "../../../kernel/jupyterProtocol/message.js";
import { createSigner, decodeMessage, encodeMessage } from "../../../kernel/jupyterProtocol/wire.js";

export interface Exchange {
  reply: JupyterMessage;
  /** iopub messages for the request, from busy to idle. */
  iopub: JupyterMessage[];
}

/**
 * A real kernel process (node dist/kernel/main.js) on free ports, and a client that talks to it
 * over zeromq as jupyter_client does.
 */
export interface KernelProcess {
  child: ChildProcess;
  /** `metadata` is the request's metadata part (e.g. execute_request's `cellId`, as JupyterLab sends it). */
  request(channel: "shell" | "control", msgType: string, content: Record<string, unknown>, metadata?: Record<string, unknown>): Promise<Exchange>;
  /** comm_open, comm_msg, comm_close: no reply, only iopub from busy to idle. */
  notify(msgType: string, content: Record<string, unknown>): Promise<JupyterMessage[]>;
  /** Sends without waiting; the id lets a test collect the reply later. */
  send(
    channel: "shell" | "control",
    msgType: string,
    content: Record<string, unknown>,
    metadata?: Record<string, unknown>,
  ): { id: string; done: Promise<Exchange> };
  /** iopub messages that answer no request of ours (e.g. pushed comm state), and all others too. */
  readonly allIopub: JupyterMessage[];
  waitForIopub(predicate: (m: JupyterMessage) => boolean, timeoutMs?: number): Promise<JupyterMessage>;
  sendRaw(channel: "shell", frames: Buffer[]): Promise<void>;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startKernel(options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<KernelProcess> {
  const ports = await Promise.all([0, 1, 2, 3, 4].map(() => freePort()));
  const key = randomUUID();
  const conn = {
    transport: "tcp",
    ip: "127.0.0.1",
    key,
    signature_scheme: "hmac-sha256",
    shell_port: ports[0],
    control_port: ports[1],
    iopub_port: ports[2],
    stdin_port: ports[3],
    hb_port: ports[4],
  };
  const file = join(options.cwd, `kernel-${randomUUID()}.json`);
  await writeFile(file, JSON.stringify(conn));
  const child = spawn(process.execPath, [join(repoRoot, "dist", "kernel", "main.js"), file], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();

  const signer = createSigner(key);
  const messages = createMessageFactory({ username: "test" });
  const shell = new Dealer();
  const control = new Dealer();
  const iopub = new Subscriber();
  shell.connect(`tcp://127.0.0.1:${conn.shell_port}`);
  control.connect(`tcp://127.0.0.1:${conn.control_port}`);
  iopub.connect(`tcp://127.0.0.1:${conn.iopub_port}`);
  iopub.subscribe();

  const replies = new Map<string, (m: JupyterMessage) => void>();
  const iopubFor = new Map<string, { msgs: JupyterMessage[]; idle: () => void }>();
  const allIopub: JupyterMessage[] = [];
  const waiters: { pred: (m: JupyterMessage) => boolean; resolve: (m: JupyterMessage) => void }[] = [];
  const parentId = (m: JupyterMessage) => (m.parent_header as { msg_id?: string }).msg_id ?? "";

  const receive = async (sock: Dealer) => {
    for await (const frames of sock) {
      const m = decodeMessage(frames, signer);
      replies.get(parentId(m))?.(m);
    }
  };
  const receiveIopub = async () => {
    for await (const frames of iopub) {
      const m = decodeMessage(frames, signer);
      allIopub.push(m);
      for (const w of [...waiters]) {
        if (w.pred(m)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
      const entry = iopubFor.get(parentId(m));
      if (entry) {
        entry.msgs.push(m);
        if (m.header.msg_type === "status" && (m.content as { execution_state?: string }).execution_state === "idle") entry.idle();
      }
    }
  };
  const loops = [receive(shell), receive(control), receiveIopub()].map((p) => p.catch(() => undefined));

  const send: KernelProcess["send"] = (channel, msgType, content, metadata) => {
    const msg = messages.create(msgType, content);
    if (metadata) msg.metadata = metadata;
    const id = msg.header.msg_id;
    const entry = { msgs: [] as JupyterMessage[], idle: () => {} };
    const idle = new Promise<void>((r) => (entry.idle = r));
    iopubFor.set(id, entry);
    const reply = msgType.endsWith("_request") ? new Promise<JupyterMessage>((r) => replies.set(id, r)) : Promise.resolve(msg);
    void (channel === "shell" ? shell : control).send(encodeMessage(msg, signer));
    const done = Promise.all([reply, idle]).then(([r]) => ({ reply: r, iopub: entry.msgs }));
    return { id, done };
  };
  const request: KernelProcess["request"] = (channel, msgType, content, metadata) =>
    withTimeout(send(channel, msgType, content, metadata).done, 120_000, `${msgType} reply; kernel stderr:\n${err}`);

  // The iopub subscription joins late: ask for kernel_info until its busy/idle reach us.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kernel exited with ${child.exitCode}:\n${err}`);
    const attempt = send("shell", "kernel_info_request", {});
    const got = await Promise.race([attempt.done.then(() => true), sleep(1000).then(() => false)]);
    if (got) break;
    if (Date.now() > deadline) throw new Error(`kernel did not answer kernel_info within 60 s:\n${err}`);
  }

  return {
    child,
    request,
    notify: async (msgType, content) =>
      (await withTimeout(send("shell", msgType, content).done, 120_000, `${msgType} to finish; kernel stderr:\n${err}`)).iopub,
    send,
    allIopub,
    waitForIopub(pred, timeoutMs = 60_000) {
      const found = allIopub.find(pred);
      if (found) return Promise.resolve(found);
      return withTimeout(new Promise((resolve) => waiters.push({ pred, resolve })), timeoutMs, "an iopub message");
    },
    sendRaw: async (_channel, frames) => shell.send(frames),
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await Promise.race([new Promise((r) => child.once("exit", r)), sleep(5000)]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      for (const s of [shell, control, iopub]) s.close();
      await Promise.all(loops);
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
