import { z } from "zod";

// Its own file, importing only zod, so a tool's schema (evaluate_model, explain_model) names a
// class label without loading model.json's schema and every estimator behind it.

/** A class as model.json stores it: the target's value, a string, number or boolean. */
export const ClassLabel = z.union([z.string(), z.number(), z.boolean()]);
