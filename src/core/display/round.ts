/** Python-compatible rounding for display (CPython `float.__format__`). */

/**
 * Round to one decimal as Python's `f"{x:.1f}"` does (ties to even on the binary value), so the
 * page prints exactly what the seed tool printed.
 */
export function roundOneDecimal(x: number): number {
  const y = x * 10;
  const f = Math.floor(y);
  if (y - f === 0.5) return (f % 2 === 0 ? f : f + 1) / 10;
  return Math.round(y) / 10;
}
