/**
 * Text lines for the TensorBoard event files of an inspection: per file, its records and per tag
 * the number of points and the last value (the page shows the same series on its chart).
 */
import type { EventFileScalars } from '../core/tensorboard/eventFile';

/**
 * Lines for `files` (empty when there are none): `TensorBoard <path>: N records`, then one line per
 * tag `  <tag>  <points> points, last <value> at step <step>`, then any problems in words.
 */
export function formatScalars(files: readonly { readonly path: string; readonly scalars: EventFileScalars }[]): string[] {
  const out: string[] = [];
  for (const { path, scalars } of files) {
    out.push(`TensorBoard ${path}: ${scalars.records} record${scalars.records === 1 ? '' : 's'}`);
    for (const [tag, points] of Object.entries(scalars.series)) {
      const last = points[points.length - 1];
      out.push(`  ${tag}  ${points.length} point${points.length === 1 ? '' : 's'}${last ? `, last ${String(Number(last.value.toPrecision(6)))} at step ${last.step}` : ''}`);
    }
    for (const p of scalars.problems) out.push(`  problem: ${p}`);
    out.push('');
  }
  return out;
}
