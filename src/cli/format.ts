/**
 * Value formatting for the terminal: the renderings the page uses (`src/core/display/format.ts`),
 * plus terminal layout helpers.
 */

export { bytes, count, int, lr, metric4, percent } from '../core/display/format';

/** `label` padded to a column, then the value: one row of a status block. */
export function row(label: string, value: string, width = 19): string {
  // a label as long as the column still gets one space before its value
  return `  ${label.padEnd(width - 1)} ${value}`;
}
