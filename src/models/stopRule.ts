/** What a fit's stop rule is asked to follow; every field may be absent (no limit, no reports). */
export interface StopRuleOptions {
  /** Date.now() after which no further tree or boosting iteration is started. */
  deadline?: number;
  /** Trees or boosting iterations after which to stop as a spent deadline stops. */
  stopAfter?: number;
  /** Whether the caller asked to stop (an interrupt): the fit ends without it counting as a spent budget. */
  stopped?: () => boolean;
  /** Told the trees or iterations built so far: the first at once, then at most four times a second. */
  onProgress?: (done: number) => void;
}

/** A fit's `shouldStop` callback, and whether it ended the fit for the budget (deadline or stopAfter). */
export interface StopRule {
  shouldStop: () => boolean;
  budgetHit: () => boolean;
}

/**
 * The one rule by which every fit reports progress and stops, on a worker (fitWorker.ts) or on the
 * calling thread (src/training/fitOnThread.ts), so both stop after the same trees: an estimator
 * asks `shouldStop` once before each tree or boosting iteration, so counting the calls is the
 * progress.
 *
 * @example
 * ```ts
 * const rule = stopRule({ deadline: Date.now() + 60_000, stopAfter: 40, onProgress: (n) => console.log(n) });
 * fitRandomForest(X, y, { task: "regression", shouldStop: rule.shouldStop });
 * rule.budgetHit(); // true if the 41st tree or the deadline ended it
 * ```
 */
export function stopRule(options: StopRuleOptions): StopRule {
  const deadline = options.deadline ?? Infinity;
  const stopAfter = options.stopAfter ?? Infinity;
  let budgetHit = false;
  let started = 0;
  let lastReport = Date.now();
  const shouldStop = () => {
    started++;
    // The first finished tree is always reported (a short fit on a busy machine would otherwise
    // report nothing), then at most four times a second.
    if (started === 2 || Date.now() - lastReport > 250) {
      lastReport = Date.now();
      options.onProgress?.(started - 1);
    }
    if (options.stopped?.()) return true;
    // Called before tree number `started` (1-based): stopping there keeps started − 1 trees.
    if (started > stopAfter) budgetHit = true;
    if (Date.now() > deadline) budgetHit = true;
    return budgetHit;
  };
  return { shouldStop, budgetHit: () => budgetHit };
}
