import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endpoint, readConnectionFile } from "../../../kernel/jupyterProtocol/connection.js";

test("reads a connection file and names tcp and ipc endpoints as jupyter_client does", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-conn-"));
  try {
    const file = join(dir, "kernel.json");
    await writeFile(
      file,
      JSON.stringify({
        ip: "127.0.0.1",
        key: "k",
        transport: "tcp",
        signature_scheme: "hmac-sha256",
        shell_port: 1,
        control_port: 2,
        iopub_port: 3,
        stdin_port: 4,
        hb_port: 5,
        kernel_name: "dw",
      }),
    );
    const info = await readConnectionFile(file);
    assert.equal(endpoint(info, "iopub"), "tcp://127.0.0.1:3");
    assert.equal(endpoint({ ...info, transport: "ipc", ip: "/tmp/k" }, "hb"), "ipc:///tmp/k-5");
    await writeFile(file, JSON.stringify({ ip: "127.0.0.1", shell_port: "x" }));
    await assert.rejects(readConnectionFile(file), /is not valid: shell_port/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
