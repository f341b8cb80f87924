/**
 * Page-side, between parts of a long job (posting a drop's files, listing a dropped folder): let
 * the page handle input and render, then continue: `scheduler.yield()` where the browser has
 * it, else a message on a MessageChannel. Not `setTimeout(0)`: browsers hold a chain of nested
 * timeouts to 4 ms each, which for the 200 parts of a 6,800-file drop is almost a second of
 * waiting before the worker may start.
 */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}
