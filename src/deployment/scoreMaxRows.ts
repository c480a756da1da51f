// Its own file, importing nothing, so predict's schema states the limit without loading the scorer.

/** At most this many rows are scored in one call: it answers a person trying a model, not a batch job (dw serve does those). */
export const SCORE_MAX_ROWS = 100;
