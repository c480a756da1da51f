// Its own file, importing nothing, so a tool's schema (train_model, estimate_cost) names the
// algorithms without loading the estimators (ml-matrix and every trainer).

/** Algorithm names train_model accepts. `xgboost` and `lightgbm` train dw's gradient boosting. */
export const ALGORITHMS = ["linear_regression", "logistic_regression", "decision_tree", "random_forest", "gradient_boosting", "xgboost", "lightgbm"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
