/**
 * Reads raw input values by column name and row, from a dataset or a scoring request. Its own file
 * because the preprocessing and each of its steps (interactionStep) read values through it.
 */
export type ValueAccessor = (column: string) => (row: number) => unknown;
