/**
 * True once the element has come within `margin` of the viewport (and from then on): lets a costly
 * view (the recharts chart: 150-190 ms of synchronous rendering for 12 lines after a 1,000-checkpoint
 * drop, issue 15) be drawn when a person can see it rather than while they use the rest of the page.
 */
import { useCallback, useEffect, useState, type RefObject } from 'react';

/**
 * @param ref the element watched
 * @param mounted whether the element is in the page now (the watch starts when it becomes true)
 * @param margin how near counts, as an IntersectionObserver rootMargin (CSS lengths)
 * @returns whether it has been near, and a function that makes it so now (for a download that needs the drawing)
 */
export function useNearViewport(ref: RefObject<Element | null>, mounted: boolean, margin = '400px'): [boolean, () => void] {
  const [near, setNear] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (near || !el) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setNear(true);
    }, { rootMargin: margin });
    observer.observe(el);
    // a printed page shows everything: draw it before printing
    const print = (): void => setNear(true);
    window.addEventListener('beforeprint', print);
    return () => {
      observer.disconnect();
      window.removeEventListener('beforeprint', print);
    };
  }, [ref, mounted, near, margin]);
  return [near, useCallback(() => setNear(true), [])];
}
