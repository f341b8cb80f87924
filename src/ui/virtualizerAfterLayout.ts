/**
 * Options for @tanstack/react-virtual that keep layout out of React's commit. When a drop of 1,000
 * checkpoints first fills the table, the virtualizer attaches to its scroll element inside React's
 * layout effects, and the library then (1) scrolls the element to its offset, 0, and (2) measures
 * it: each forces a layout of the whole page in the commit (150 ms for the scroll in a profile),
 * and the measurement's update re-renders the table synchronously in the same task: one 250-400 ms
 * task (issue 15). Here the first size comes from a ResizeObserver, after the browser's own layout
 * (until then `initialRect`), and the first scroll of a new element to 0, where it already is, is
 * skipped.
 */
import { elementScroll, observeElementRect, type Rect, type VirtualizerOptions } from '@tanstack/react-virtual';

type Options<T extends Element> = Pick<VirtualizerOptions<T, Element>, 'observeElementRect' | 'scrollToFn' | 'initialRect'>;

/** Scroll elements the virtualizer has written to at least once. */
const scrolled = new WeakSet<Element>();

/**
 * @param initialHeight the scroll element's height in CSS pixels until it is measured (its CSS height)
 * @returns the `observeElementRect`, `scrollToFn` and `initialRect` options of `useVirtualizer`
 */
export function virtualizerAfterLayout<T extends Element>(initialHeight: number): Options<T> {
  return {
    initialRect: { width: 0, height: initialHeight },
    observeElementRect: (instance, cb: (rect: Rect) => void) => {
      const element = instance.scrollElement;
      // without a ResizeObserver (old browsers, test DOMs) the library's way
      if (!element || typeof ResizeObserver === 'undefined') return observeElementRect(instance, cb);
      // the library's measure: the client box
      const observer = new ResizeObserver(() => cb({ width: element.clientWidth, height: element.clientHeight }));
      observer.observe(element, { box: 'content-box' });
      return () => observer.disconnect();
    },
    scrollToFn: (offset, options, instance) => {
      const element = instance.scrollElement;
      // the library's first write to a newly attached element restores its offset: 0 for a new one
      if (element && !scrolled.has(element)) {
        scrolled.add(element);
        if (offset === 0 && !options.adjustments) return;
      }
      elementScroll(offset, options, instance);
    },
  };
}
