import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { Poller } from "../../../labextension/src/widgets/Poller.js";

test("the sidebar's poller asks once per interval, never while a question is out, again once it is answered or given up, and not while the page is hidden or after stop", () => {
  mock.timers.enable({ apis: ["setInterval", "Date"] });
  try {
    let asked = 0;
    let hidden = false;
    const poller = new Poller(
      () => asked++,
      3_000,
      () => hidden,
      30_000,
    );
    poller.start();
    poller.start();
    mock.timers.tick(2_999);
    assert.equal(asked, 0);
    mock.timers.tick(1);
    assert.equal(asked, 1, "one start, one timer");
    // A kernel busy with a cell does not answer: no second question piles up behind the first.
    mock.timers.tick(9_000);
    assert.equal(asked, 1);
    poller.answered();
    mock.timers.tick(3_000);
    assert.equal(asked, 2);
    // An answer that never comes holds the next question back for 30 s, no longer.
    mock.timers.tick(27_000);
    assert.equal(asked, 2);
    mock.timers.tick(3_000);
    assert.equal(asked, 3);
    // Nothing is asked while the page is hidden.
    poller.answered();
    hidden = true;
    mock.timers.tick(30_000);
    assert.equal(asked, 3);
    hidden = false;
    mock.timers.tick(3_000);
    assert.equal(asked, 4);
    poller.stop();
    assert.equal(poller.running, false);
    poller.answered();
    mock.timers.tick(60_000);
    assert.equal(asked, 4);
  } finally {
    mock.timers.reset();
  }
});
