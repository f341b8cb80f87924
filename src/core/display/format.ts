/**
 * Value formatting shared by the page and the command line, so both print the same renderings:
 * best metrics with 4 decimals, progress with one, integers as saved, counts with separators.
 */

/** A metric with 4 decimals (best F1 / accuracy), 4 significant digits below 0.001, `Infinity`/`-Infinity` as JavaScript spells them, or an em dash. */
export function metric4(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return String(v);
  // small values keep 4 significant digits (1.8339e-06 -> 1.834e-6), never 0.0000
  if (v !== 0 && Math.abs(v) < 0.001) return v.toExponential(3).replace(/e([+-])0*(\d)/, 'e$1$2').replace('e+', 'e');
  return v.toFixed(4);
}

/** An integer as saved (no separators: step 1000 reads as the trainer printed it), or an em dash. */
export function int(v: number | undefined): string {
  return v === undefined ? '—' : String(v);
}

/** A percentage with one decimal, or an em dash. */
export function percent(v: number | undefined): string {
  return v === undefined ? '—' : `${v.toFixed(1)}%`;
}

/** One formatter for every count: `toLocaleString` builds a new one per call (a drop of 1,000 checkpoints called it thousands of times per render). */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** A count with thousands separators (parameters), or an em dash. */
export function count(n: number | undefined): string {
  return n === undefined ? '—' : COUNT_FORMAT.format(n);
}

/** A learning rate in scientific notation, or an em dash. */
export function lr(v: number | undefined): string {
  return v === undefined ? '—' : v.toExponential(2);
}

/** A byte count in B / KB / MB / GB / TB (1024-based). */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), i++;
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}
