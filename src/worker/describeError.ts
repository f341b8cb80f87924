/** A worker job's error as a sentence for the page (format errors carry their own, naming the file). */
export function describeError(e: unknown): string {
  if (e instanceof Error && 'describe' in e && typeof e.describe === 'function') return (e.describe as () => string)();
  return e instanceof Error ? e.message : String(e);
}
