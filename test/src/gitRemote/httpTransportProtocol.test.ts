import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { CommitQueue } from "../../../src/gitRemote/CommitQueue.js";
import { FLUSH_PKT, PktLineReader, bytesReader, pktLine, sideBand } from "../../../src/gitRemote/pktLine.js";
import { MAX_REF_NAME_BYTES, isGitRefName } from "../../../src/gitRemote/readAdvertisement.js";
import { redactUrl } from "../../../src/gitRemote/redactUrl.js";

/** Chunks of `bytes` cut every `size` bytes, as a network delivers them. */
function chunked(bytes: Buffer, size: number): AsyncIterator<Uint8Array> {
  let at = 0;
  return {
    async next() {
      if (at >= bytes.length) return { done: true, value: undefined };
      const chunk = bytes.subarray(at, at + size);
      at += size;
      return { done: false, value: chunk };
    },
  };
}

test("pkt-lines are framed with their length in hex and read back across any chunking", async () => {
  assert.equal(pktLine("want abc\n").toString(), "000dwant abc\n");
  const big = Buffer.alloc(65516, 7);
  const stream = Buffer.concat([pktLine("a\n"), FLUSH_PKT, pktLine(big), Buffer.from("0001"), pktLine("")]);
  for (const size of [1, 3, 4096, stream.length]) {
    const reader = new PktLineReader(chunked(stream, size));
    const first = await reader.next();
    assert.equal(first.kind === "data" && first.payload.toString(), "a\n");
    assert.equal((await reader.next()).kind, "flush");
    const second = await reader.next();
    assert.ok(second.kind === "data" && second.payload.equals(big));
    assert.equal((await reader.next()).kind, "delim");
    const empty = await reader.next();
    assert.ok(empty.kind === "data" && empty.payload.length === 0);
    assert.equal((await reader.next()).kind, "end");
  }
  assert.throws(() => pktLine(Buffer.alloc(65517)), /at most 65516/);
});

test("a stream that is not pkt-lines, ends inside one, or runs past its limit is an error", async () => {
  await assert.rejects(bytesReader(Buffer.from("<html>")).next(), /expected a pkt-line length, found "<htm"/);
  await assert.rejects(bytesReader(Buffer.from("0010abc")).next(), /ended after 3 of 12/);
  await assert.rejects(bytesReader(Buffer.from("0003")).next(), /length of 3 is not allowed/);
  const reader = new PktLineReader(chunked(Buffer.concat([pktLine("x".repeat(100)), pktLine("y".repeat(100))]), 50), 120);
  await assert.rejects(async () => {
    for (;;) if ((await reader.next()).kind === "end") break;
  }, /longer than the 120 bytes/);
});

test("side-band data is channel 1; progress goes aside; channel 3 is the server's error", async () => {
  const band = (channel: number, text: string) => pktLine(Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));
  const progress: string[] = [];
  const data: string[] = [];
  for await (const chunk of sideBand(
    bytesReader(Buffer.concat([band(1, "PA"), band(2, "counting\n"), band(1, "CK"), FLUSH_PKT, band(1, "after")])),
    undefined,
    (t) => progress.push(t),
  )) {
    data.push(Buffer.from(chunk).toString());
  }
  assert.deepEqual(data, ["PA", "CK"]);
  assert.deepEqual(progress, ["counting\n"]);
  await assert.rejects(async () => {
    for await (const _ of sideBand(bytesReader(Buffer.concat([band(1, "x"), band(3, "disk full\n")])))) void _;
  }, /remote error: disk full/);
  await assert.rejects(async () => {
    for await (const _ of sideBand(bytesReader(band(9, "x")))) void _;
  }, /channel 9/);
});

test("redactUrl hides user names, passwords and tokens, and keeps the rest", () => {
  assert.equal(redactUrl("https://ann:s3cret@git.example.com/team/models.git"), "https://***@git.example.com/team/models.git");
  assert.equal(redactUrl("https://ghp_token123@github.com/org/repo"), "https://***@github.com/org/repo");
  assert.equal(redactUrl("https://git.example.com/a@b/repo.git"), "https://git.example.com/a@b/repo.git");
  assert.equal(redactUrl("git@github.com:org/repo.git"), "git@github.com:org/repo.git");
  assert.equal(redactUrl("ann:tok@host:org/repo.git"), "***@host:org/repo.git");
  assert.equal(redactUrl("/srv/git/team.git"), "/srv/git/team.git");
});

test("ref names from a remote follow git's check-ref-format (refs/dw/scratch/_wip included: dw's own rule is the sync planner's), with a length bound", () => {
  const names = [
    "refs/heads/main",
    "refs/dw/models/churn/1",
    "refs/dw/aliases/churn/production",
    "refs/dw/scratch/_wip",
    "refs/dw/runs/-x",
    "refs/dw/runs/@",
    "refs/dw",
    "refs/heads/feature/x-1",
    "refs/tags/v1.0",
    "refs/heads/ünï",
    "refs/dw/runs/.h",
    "refs/dw/runs/a..b",
    "refs/dw/runs/a b",
    "refs/heads/a..b",
    "refs/heads/x.lock",
    "refs/heads/x.lock/y",
    "refs/heads/a~1",
    "refs/heads/a^",
    "refs/heads/a:b",
    "refs/heads/a?",
    "refs/heads/a*",
    "refs/heads/a[b",
    "refs/heads/a\\b",
    "refs/heads/a@{1}",
    "refs/heads/tab\there",
    "refs/heads/del\x7f",
    "refs//x",
    "refs/x/",
    "refs/heads/x.",
  ];
  // git itself is the reference: the same verdict for every name.
  const gitAccepts = (name: string) => spawnSync("git", ["check-ref-format", name]).status === 0;
  for (const name of names) assert.equal(isGitRefName(name), gitAccepts(name), name);
  assert.ok(isGitRefName("refs/dw/scratch/_wip"));
  assert.ok(isGitRefName("HEAD"));
  for (const bad of ["main", "refs", "refs/", "@"]) assert.ok(!isGitRefName(bad), bad);
  // git has no bound of its own; a name past 4096 cannot be a loose ref on any system.
  const long = `refs/dw/runs/${"x".repeat(MAX_REF_NAME_BYTES)}`;
  assert.ok(gitAccepts(long));
  assert.ok(!isGitRefName(long));
  assert.ok(isGitRefName(long.slice(0, MAX_REF_NAME_BYTES)));
});

test("CommitQueue gives the newest commit first", () => {
  const q = new CommitQueue<{ time: number; id: number }>();
  const times = [5, 1, 9, 3, 9, 7, 2, 8];
  times.forEach((time, id) => q.push({ time, id }));
  const out: number[] = [];
  while (q.size > 0) out.push(q.pop()!.time);
  assert.deepEqual(
    out,
    [...times].sort((a, b) => b - a),
  );
  assert.equal(q.pop(), undefined);
});
