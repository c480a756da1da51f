import { z } from "zod";
import { ClassLabel } from "./ClassLabel.js";

// Its own file (zod only) so explain_model's schema does not load model.json's schema and the estimators.

/** A linear model's intercept and coefficients by encoded feature, and for a classifier the class they give the log-odds of. */
export const Coefficients = z.object({ class: ClassLabel.optional(), intercept: z.number(), values: z.record(z.string(), z.number()) });
export type Coefficients = z.infer<typeof Coefficients>;
