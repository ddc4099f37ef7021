// Order statistics for noisy samples: medians and quartiles, never means.

/**
 * The q-quantile (0..1), linearly interpolated between the nearest ranks.
 * @param {number[]} values
 * @param {number} q
 */
export const quantile = (values, q) => {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
};

/** @param {number[]} values */
export const summary = (values) => ({
  median: quantile(values, 0.5),
  p25: quantile(values, 0.25),
  p75: quantile(values, 0.75),
  n: values.length,
});
