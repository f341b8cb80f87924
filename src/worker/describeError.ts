import { readFailure } from '../core/conventions/plainValues';
/** A worker job's error as a sentence for the page (format errors carry their own, naming the file). */
export function describeError(e: unknown): string {
  if (e instanceof Error && 'describe' in e && typeof e.describe === 'function') return (e.describe as () => string)();
  // a dropped File that changed or went since it was read (the browser's DOMException), in words
  return readFailure(e);
}
