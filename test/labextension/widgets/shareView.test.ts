import { test } from "node:test";
import assert from "node:assert/strict";
import { resolutionConfirm, shareView, type ShareOutcomeView } from "../../../labextension/src/widgets/shareView.js";
import type { RefConflict, ShareResult } from "../../../src/comm/protocol.js";
import type { ShareActivity } from "../../../labextension/src/tokens.js";

// What the sidebar's Team registry shows for push_registry's and pull_registry's reports and
// errors, shaped as the tools return them (the values of a real run of the two-clone scenario).

const run = "20261204-105304-eb5a0d";
const sha = "0845078a290b48e3149ab8639966824110a251db4e06fc144c06ebb534af23be";
const v1 = {
  oid: "e192821024fafb266756414de00b4ebbc4981688",
  subject: `dw model temp v1: register run ${run}`,
  by: "Ada <ada@example.com>",
  at: "2026-12-04T10:53:11.000Z",
  version: 1,
  run_id: run,
};
const adas = {
  oid: "96d77fa92c0de198318da258a7458c0eeaa2045d",
  subject: `dw model temp v3: register run ${run}`,
  by: "Ada <ada@example.com>",
  at: "2026-12-04T10:53:27.000Z",
  version: 3,
  run_id: run,
};
const bobs = {
  oid: "9cbebd653ff865022e673cb1e2b4460b36adcf40",
  subject: `dw model temp v2: register run ${run}`,
  by: "Bob <bob@example.com>",
  at: "2026-12-04T10:53:18.000Z",
  version: 2,
  run_id: run,
};
const aliasConflict: RefConflict = {
  ref: "refs/dw/aliases/temp/production",
  target: "temp@production",
  kind: "alias",
  why: "moved on both sides since the last sync: here to v3, on the remote to v2",
  base: v1,
  ours: adas,
  theirs: bobs,
};
const empty: ShareResult = {
  remote: "origin",
  url: "/tmp/registry.git",
  moved: [],
  versions: [],
  aliases: {},
  renumbered: [],
  conflicts: [],
  resolved: [],
  waiting: [],
  refused: [],
  up_to_date: 0,
  data: { shared_cache: null, uploaded: [], staying_local: [], missing: [] },
};

function outcome(activity: ShareActivity): ShareOutcomeView {
  const view = shareView(activity);
  assert.equal(view.busy, false);
  assert.ok(view.outcome, "an ended push or pull shows its outcome");
  return view.outcome;
}
const lines = (o: ShareOutcomeView, kind: string) => o.lines.filter((l) => l.kind === kind).map((l) => l.text);

test("nothing shows before a push or pull; while one runs the buttons are disabled and the progress says what runs", () => {
  assert.deepEqual(shareView(null), { busy: false, progress: "", outcome: null });
  assert.deepEqual(shareView({ state: "running", request: { action: "push", remote: "origin" } }), {
    busy: true,
    progress: "Pushing to origin…",
    outcome: null,
  });
  assert.equal(
    shareView({ state: "running", request: { action: "pull", remote: "team", take: ["temp@production"] } }).progress,
    "Pulling from team, taking the remote's temp@production…",
  );
});

test("a push says what it sent (versions, aliases, runs) and names the data that stays local, with how to share it", () => {
  const o = outcome({
    state: "done",
    request: { action: "push", remote: "origin" },
    result: {
      ...empty,
      moved: [
        { ref: `refs/dw/runs/${run}`, kind: "chain", from: null, to: "384b2cf0cdb3a085a02736f90c812bc6196a6ddd" },
        { ref: "refs/dw/models/temp/1", kind: "version", from: null, to: v1.oid },
        { ref: "refs/dw/aliases/temp/production", kind: "alias", from: null, to: v1.oid },
      ],
      versions: ["temp/1"],
      aliases: { "temp@production": 1 },
      data: { shared_cache: null, uploaded: [], staying_local: [{ dataset_id: "seattle-weather", sha256: sha }], missing: [] },
    },
  });
  assert.equal(o.state, "done");
  assert.equal(o.headline, "Pushed 3 refs to origin");
  assert.deepEqual(lines(o, "versions"), ["versions sent: temp/1"]);
  assert.deepEqual(lines(o, "aliases"), ["aliases: temp@production → v1"]);
  assert.deepEqual(lines(o, "refs"), ["also: runs 1"]);
  assert.deepEqual(lines(o, "data"), ["data staying in this clone only: seattle-weather (0845078a290b)"]);
  assert.match(lines(o, "hint")[0], /No shared data cache is configured.*git config dw\.cache/);
  assert.deepEqual(o.conflicts, []);

  const uploaded = outcome({
    state: "done",
    request: { action: "push", remote: "origin" },
    result: { ...empty, up_to_date: 4, data: { shared_cache: "/srv/cache", uploaded: [sha], staying_local: [], missing: [] } },
  });
  assert.equal(uploaded.headline, "Nothing to push: origin has it all");
  assert.deepEqual(lines(uploaded, "data"), ["data: 1 file copied to the shared cache /srv/cache"]);
  assert.deepEqual(lines(uploaded, "up-to-date"), ["4 refs already the same on both sides"]);
});

test("a pull shows the renumbering and the alias conflict with base, ours and theirs, each resolvable either way", () => {
  const o = outcome({
    state: "done",
    request: { action: "pull", remote: "origin" },
    result: {
      ...empty,
      moved: [{ ref: "refs/dw/models/temp/2", kind: "version", from: null, to: bobs.oid }],
      versions: ["temp/2"],
      renumbered: [
        {
          model_name: "temp",
          from: 2,
          to: 3,
          commit: adas.oid,
          backup: "refs/dw-backup/20261204T105327Z-1beaf6/models/temp/2",
          aliases: ["production"],
          deployments: [],
        },
      ],
      conflicts: [aliasConflict],
      waiting: ["refs/dw/models/temp/3"],
      up_to_date: 2,
    },
  });
  assert.equal(o.headline, "Pulled 1 ref from origin; 1 conflict");
  assert.deepEqual(lines(o, "renumbered"), [
    "renumbered temp v2 → v3: origin holds another v2 (@production moved with it); the old registration is kept under refs/dw-backup/20261204T105327Z-1beaf6/models/temp/2",
  ]);
  assert.deepEqual(lines(o, "waiting"), ["1 ref only this clone moved: push to share them"]);
  assert.equal(o.conflicts.length, 1);
  const c = o.conflicts[0];
  assert.deepEqual([c.target, c.takeTheirs, c.keepOurs, c.note], ["temp@production", true, true, ""]);
  assert.deepEqual(
    c.refs[0].sides.map((s) => [s.label, s.text]),
    [
      ["base (last sync)", `v1 · run ${run} · Ada <ada@example.com> · 2026-12-04 10:53 UTC`],
      ["ours (this clone)", `v3 · run ${run} · Ada <ada@example.com> · 2026-12-04 10:53 UTC`],
      ["theirs (origin)", `v2 · run ${run} · Bob <bob@example.com> · 2026-12-04 10:53 UTC`],
    ],
  );
  assert.equal(c.refs[0].sides[2].title, `${bobs.oid}: ${bobs.subject}`);
});

test("a push refused for conflicts lists them from the error's details: an unshared version is left to Pull, and Keep ours waits for it", () => {
  const renumber: RefConflict = {
    ref: "refs/dw/models/temp/2",
    target: "refs/dw/models/temp/2",
    kind: "version",
    why: "this clone registered its v2 and never pushed it, and the remote holds another registration under that number: pull first, which renumbers this one",
    base: { oid: null },
    ours: { ...adas, version: 2 },
    theirs: bobs,
  };
  const deployments: RefConflict = {
    ref: "refs/dw/deployments/temp/production",
    target: "temp@production",
    kind: "chain",
    why: "both sides added commits since the last sync (the histories diverged)",
    base: {
      oid: "1111111111111111111111111111111111111111",
      subject: "dw deploy temp@production v1",
      by: "Ada <ada@example.com>",
      at: "2026-12-04T10:53:11.000Z",
    },
    ours: { oid: "2222222222222222222222222222222222222222" },
    theirs: {
      oid: "3333333333333333333333333333333333333333",
      subject: "dw deploy temp@production v2",
      by: "Bob <bob@example.com>",
      at: "2026-12-04T10:53:18.000Z",
    },
  };
  const o = outcome({
    state: "failed",
    request: { action: "push", remote: "origin" },
    error: {
      code: "CONFLICT",
      message: "Nothing was pushed to origin: 3 refs moved both here and there since the last sync (temp@production, refs/dw/models/temp/2).",
      hint: "Pull first (dw pull origin): it takes the remote's versions and renumbers this clone's unshared ones above them; then push again.",
      details: { remote: "origin", conflicts: [{ ...aliasConflict, ours: { ...adas, version: 2 } }, renumber, deployments] },
    },
  });
  assert.equal(o.state, "failed");
  assert.equal(o.headline, "Push to origin refused: CONFLICT");
  assert.match(lines(o, "message")[0], /^Nothing was pushed to origin/);
  assert.match(lines(o, "hint")[0], /^Pull first/);
  assert.deepEqual(
    o.conflicts.map((c) => [c.target, c.refs.map((r) => r.ref), c.takeTheirs, c.keepOurs]),
    [
      ["temp@production", ["refs/dw/aliases/temp/production", "refs/dw/deployments/temp/production"], true, false],
      ["refs/dw/models/temp/2", ["refs/dw/models/temp/2"], false, false],
    ],
    "an alias and its deployment history are one conflict; nothing but a pull resolves an unshared version",
  );
  assert.match(o.conflicts[1].note, /^Nothing to choose: Pull gives this clone's v2 the next number free/);
  assert.match(o.conflicts[0].note, /Keep ours needs a Pull first/);
  // A chain's side shows its newest commit's subject where there is no version; one never read shows its id.
  assert.deepEqual(
    o.conflicts[0].refs[1].sides.map((s) => s.text),
    [
      "dw deploy temp@production v1 · Ada <ada@example.com> · 2026-12-04 10:53 UTC",
      "2222222222",
      "dw deploy temp@production v2 · Bob <bob@example.com> · 2026-12-04 10:53 UTC",
    ],
  );
});

test("any other error shows its message and hint and no conflicts, also when its details are not conflicts", () => {
  const o = outcome({
    state: "failed",
    request: { action: "pull", remote: "team" },
    error: {
      code: "NOT_FOUND",
      message: "This clone has no remote named 'team'.",
      hint: "Add one with: git remote add team <url>",
      details: { conflicts: [{ ref: 3 }] },
    },
  });
  assert.equal(o.headline, "Pull from team failed: NOT_FOUND");
  assert.deepEqual(
    o.lines.map((l) => l.kind),
    ["message", "hint"],
  );
  assert.deepEqual(o.conflicts, []);
});

test("a resolution's result names the backup refs; a pull names data missing here, who has it and what to configure", () => {
  const o = outcome({
    state: "done",
    request: { action: "pull", remote: "origin", take: ["temp@production"] },
    result: {
      ...empty,
      moved: [{ ref: "refs/dw/aliases/temp/production", kind: "alias", from: adas.oid, to: bobs.oid }],
      aliases: { "temp@production": 2 },
      resolved: [{ target: "temp@production", took: "theirs", backups: ["refs/dw-backup/20261204T105332Z-0a13d9/aliases/temp/production"] }],
      data: {
        shared_cache: null,
        uploaded: [],
        staying_local: [],
        missing: [{ dataset_id: "seattle-weather", sha256: sha, run_id: run, pushed_by: "Bob <bob@example.com>" }],
      },
    },
  });
  assert.equal(o.headline, "Pulled 1 ref from origin");
  assert.deepEqual(lines(o, "aliases"), ["aliases: temp@production → v2"]);
  assert.deepEqual(lines(o, "resolved"), [
    "resolved temp@production: took origin's; this clone's is kept under refs/dw-backup/20261204T105332Z-0a13d9/aliases/temp/production",
  ]);
  assert.deepEqual(lines(o, "data"), [`data missing here: seattle-weather (0845078a290b) of run ${run}, pushed by Bob <bob@example.com>`]);
  assert.match(lines(o, "hint")[0], /No shared data cache is configured: set one on both clones/);

  const kept = outcome({
    state: "done",
    request: { action: "push", remote: "origin", take: ["temp@production"] },
    result: { ...empty, resolved: [{ target: "temp@production", took: "ours", backups: ["refs/dw-backup/x/aliases/temp/production"] }] },
  });
  assert.deepEqual(lines(kept, "resolved"), [
    "resolved temp@production: kept this clone's; origin's is kept here under refs/dw-backup/x/aliases/temp/production",
  ]);
});

test("the confirm dialogs say what is replaced by what, on which side, and where the replaced value is kept", () => {
  const c = outcome({ state: "done", request: { action: "pull", remote: "origin" }, result: { ...empty, conflicts: [aliasConflict] } }).conflicts[0];
  const theirs = resolutionConfirm(c, "theirs", "origin");
  assert.equal(theirs.title, "Take origin's temp@production?");
  assert.equal(theirs.accept, "Take theirs");
  assert.match(theirs.body[0], /^refs\/dw\/aliases\/temp\/production: this clone's v3 · run \S+ · Ada .* is replaced by origin's v2 · run \S+ · Bob /);
  assert.match(theirs.body[1], /^This clone's value is kept under refs\/dw-backup\/<time>\/aliases\/temp\/production \(the result names the ref/);
  const ours = resolutionConfirm(c, "ours", "origin");
  assert.equal(ours.title, "Replace temp@production on origin with this clone's?");
  assert.equal(ours.accept, "Keep ours");
  assert.match(ours.body[0], /^refs\/dw\/aliases\/temp\/production on origin: v2 · .* Bob .* is replaced by this clone's v3 /);
  assert.match(ours.body[1], /^origin's value is fetched and kept in this clone under refs\/dw-backup\/<time>\/aliases\/temp\/production/);
});

test("a version both clones shared and the remote now holds differently offers no side to take: the conflict's why says what to do", () => {
  const rewritten: RefConflict = {
    ref: "refs/dw/models/temp/1",
    target: "refs/dw/models/temp/1",
    kind: "version",
    why: "the remote's v1 is no longer the registration both clones shared: a version never changes, so keep either side by hand (see the hint)",
    base: { ...v1 },
    ours: { ...v1 },
    theirs: bobs,
  };
  const o = outcome({
    state: "done",
    request: { action: "pull", remote: "origin" },
    result: { ...empty, conflicts: [rewritten] },
  });
  assert.deepEqual(
    o.conflicts.map((c) => [c.target, c.takeTheirs, c.keepOurs]),
    [["refs/dw/models/temp/1", false, false]],
  );
  assert.match(o.conflicts[0].note, /^A version never changes, so neither side is taken: the remote's v1 is no longer/);
});
