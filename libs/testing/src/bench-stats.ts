/** The p-th percentile (0–100) of an ascending array, nearest-rank; NaN for an empty one. For bench/ scripts. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
