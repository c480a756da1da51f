import assert from "node:assert/strict";
import { test } from "node:test";
import { KernelArena } from "../../../src/wasm/KernelArena.js";
import { withSharedMemory } from "../../../src/wasm/withSharedMemory.js";

test("the kernels on a shared memory compute what they compute on an unshared one", () => {
  const results = [false, true].map((shared) => {
    const arena = new KernelArena(KernelArena.bytesFor({ f64: 2048, i32: 2048 }), shared);
    assert.equal(arena.memory.buffer instanceof SharedArrayBuffer, shared);
    const a = arena.f64(1000);
    const tmp = arena.f64(1000);
    const counts = arena.i32(2048);
    for (let i = 0; i < 1000; i++) a.view[i] = Math.sin(i * 7.3) * 1e3;
    arena.kernels.sortF64(a.ptr, 1000, tmp.ptr, counts.ptr);
    return [Array.from(a.view), arena.kernels.exp(1.2345)];
  });
  assert.deepEqual(results[1], results[0]);
});

test("withSharedMemory refuses what is not a module importing one memory", () => {
  assert.throws(() => withSharedMemory(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), /not a WebAssembly module/);
  // A module with no sections at all imports no memory.
  assert.throws(() => withSharedMemory(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])), /expected one imported memory, found 0/);
  // An import section cut short.
  assert.throws(() => withSharedMemory(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 2, 5, 1, 3])), /truncated|malformed/);
});
