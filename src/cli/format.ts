/**
 * Value formatting for the terminal: the renderings the page uses (`src/core/display/format.ts`),
 * plus terminal layout helpers.
 */

export { bytes, count, int, lr, metric4, percent } from '../core/display/format';

/** `label` padded to a column, then the value: one row of a status block. */
export function row(label: string, value: string, width = 19): string {
  return `  ${label.padEnd(width)}${value}`;
}
