/** Largest sample dw draws: what the in-memory algorithms train on comfortably. */
export const MAX_SAMPLE_ROWS = 10_000_000;

/**
 * Rows the algorithms other than linear regression train on when a SQL source is given without
 * sample_rows: a million rows of 20 numeric features is about 160 MB in memory and trains in
 * seconds to a minute, and a uniform sample of that size estimates a model's error far more
 * precisely than most held-out sets measure it. Zod-free, so train_model's schema can name it.
 */
export const DEFAULT_SAMPLE_ROWS = 1_000_000;
