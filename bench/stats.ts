/** Small statistics and formatting helpers for the benchmark report. */

/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds for a table cell: `0.84 ms`, `12.3 ms`, `1,234 ms`, or `—`. */
export function ms(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (v < 10) return `${v.toFixed(2)} ms`;
  if (v < 100) return `${v.toFixed(1)} ms`;
  return `${Math.round(v).toLocaleString('en-US')} ms`;
}

/** Bytes as B / KB / MB / GB (1024-based), or `—`. */
export function size(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), i++;
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** A ratio `a / b` as `12.3x` (or `—` when either is missing). */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return '—';
  const r = a / b;
  return `${r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(r >= 10 ? 0 : 1)}x`;
}

/** `median (n runs: a, b, c)` in ms for the method notes. */
export function runsText(xs: readonly number[]): string {
  return `${ms(median(xs))} (${xs.length} runs: ${xs.map((x) => Math.round(x * 10) / 10).join(', ')})`;
}

/** Memory growth: a size, or "none" when the peak did not grow (the high-water mark was set while loading the program). */
export function growth(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  return n <= 0 ? 'none' : size(n);
}
