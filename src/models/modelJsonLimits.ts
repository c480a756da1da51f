import { MAX_CATEGORIES } from "./preprocessing.js";

/**
 * The most a `model.json` may hold, checked before the value is used: a model.json can arrive
 * from a pushed ref, so its size, nesting and counts are data to check, never promises to trust.
 * Each limit is above what dw itself writes (the reasons below), so every model dw trains loads.
 */
export const MODEL_JSON_LIMITS = {
  /**
   * Characters of text: V8's longest string (2^29 − 24), the most modelJsonText can write and
   * the most any reader can hold as text, so no model dw writes is refused for its size. Loading
   * takes about 5 bytes of memory per character at its peak (the text, the parsed arrays and the
   * compiled trees; measured in docs/architecture.md, "A model.json is data"), 2.5 GB at this limit.
   * A 500-tree random forest grown to pure leaves on 1M rows would be 4.7 GB (a binary
   * classifier: 0.19 nodes per row per tree at 50 characters a node) to 34 GB (a regression:
   * 1.27 nodes per row at 54 characters): beyond this limit, so dw cannot write it either.
   */
  maxChars: 2 ** 29 - 24,
  /** Nesting of arrays and objects: model.json nests 6 deep (params.model.trees[t].feature); 32 leaves room, and a deeper value could overflow the stack of a recursive reader (JSON.stringify, structuredClone) later. */
  maxDepth: 32,
  /** Characters of one string as written (names, labels, categories): 64 Ki, far above any column name or category dw keeps. */
  maxStringChars: 65_536,
  /** Class labels: train_model refuses a target with more than 1,000 distinct values (readTarget in src/models/trainingData.ts). */
  maxClasses: 1000,
  /** Matrix columns (feature_names), pipeline steps and signature inputs, each: a request's matrix is rows × this wide. */
  maxFeatures: 100_000,
  /** Categories of a one-hot step: fitPipeline keeps the MAX_CATEGORIES most frequent. */
  maxOneHotCategories: MAX_CATEGORIES,
  /** Categories of an ordinal step, which keeps every value seen in training: 2^20 (a million distinct values). */
  maxOrdinalCategories: 2 ** 20,
  /** Trees of an ensemble: a forest has at most 2,000 (n_estimators), boosting one per class per iteration. */
  maxTrees: 2 ** 20,
  /** Nodes of one tree: 2^25, a tree grown to single-row leaves on 16M rows; node indices stay well inside an Int32Array. */
  maxNodesPerTree: 2 ** 25,
} as const;
