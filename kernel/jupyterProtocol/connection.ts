import { readFile } from "node:fs/promises";
import { z } from "zod";

/** The connection file Jupyter writes and passes as the kernel's argument. */
export const ConnectionInfo = z.object({
  transport: z.enum(["tcp", "ipc"]).default("tcp"),
  ip: z.string().min(1),
  key: z.string().default(""),
  signature_scheme: z.string().default("hmac-sha256"),
  shell_port: z.number().int().nonnegative(),
  control_port: z.number().int().nonnegative(),
  iopub_port: z.number().int().nonnegative(),
  stdin_port: z.number().int().nonnegative(),
  hb_port: z.number().int().nonnegative(),
  kernel_name: z.string().optional(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;

export type Channel = "shell" | "control" | "iopub" | "stdin" | "hb";

export async function readConnectionFile(path: string): Promise<ConnectionInfo> {
  const text = await readFile(path, "utf8");
  const parsed = ConnectionInfo.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Connection file ${path} is not valid: ${issues}`);
  }
  return parsed.data;
}

/** The zeromq endpoint of one channel: tcp://ip:port, or ipc://ip-port as jupyter_client names them. */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port`];
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
