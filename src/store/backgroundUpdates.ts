/**
 * Which store updates are "background": the ones the worker's results and values derived from them
 * cause, as opposed to the user's own actions (a click, typing, Stop). Views render background
 * updates in a React transition, which React renders in slices of about 5 ms and abandons when the
 * user does something, so a drop of 1,000 checkpoints streaming in never freezes the tab (issue
 * 15); the user's actions render at once, as before.
 */

let depth = 0;

/**
 * Run `update` (which changes one or more stores, synchronously) as a background update.
 * Re-entrant; rethrows what `update` throws.
 */
export function asBackground(update: () => void): void {
  depth++;
  try {
    update();
  } finally {
    depth--;
  }
}

/** True while an {@link asBackground} update is notifying the stores' subscribers. */
export function isBackground(): boolean {
  return depth > 0;
}
