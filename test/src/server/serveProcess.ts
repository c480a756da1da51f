import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../../helpers/tempWorkspace.js";

const DW = join(repoRoot, "bin", "dw.js");

export interface ServeProcess {
  child: ChildProcess;
  /** The URL it printed (`http://0.0.0.0:PORT` when bound to every address). */
  url: string;
  /** The same port reached through 127.0.0.1, for clients. */
  base: string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Starts `dw serve --workspace dir ...args` as a user does, and waits for its "listening on" line. */
export async function startServe(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [DW, "serve", "--workspace", dir, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`dw serve exited with ${code}: ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    url,
    base: url.replace("//0.0.0.0:", "//127.0.0.1:"),
    stdout: () => out,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Runs `dw serve ...args` expecting it to fail at once; its exit code and stderr. */
export function failingServe(dir: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [DW, "serve", "--workspace", dir, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  let out = "";
  child.stderr!.on("data", (d: Buffer) => (err += d));
  child.stdout!.on("data", (d: Buffer) => {
    out += d;
    // It started after all: stop it, so the test fails on the exit code rather than hanging.
    if (/listening on/.test(out)) child.kill("SIGTERM");
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr: err })));
}
