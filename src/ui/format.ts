/** Display formatting for the views: the shared renderings of `src/core/display/format.ts`. */
export { bytes, count, int, lr, metric4, percent } from '../core/display/format';
