// Its own file, importing nothing, so detect_model_drift's schema lists the methods without loading
// the monitoring policy's reader (and yaml).

/** The drift tests a check may be told to use; `auto` is Evidently's DataDriftPreset choice per column. */
export const DRIFT_POLICY_METHODS = ["auto", "ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi"] as const;
