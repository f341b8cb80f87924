/**
 * A value that, while a drop is being read, changes at most once per `ms` milliseconds; once
 * nothing is being read it follows the value at once. Views whose work grows with every loaded
 * checkpoint (the runs and findings, the chart's series) use it so a drop of 1,000 checkpoints
 * recomputes them a few times, not at every batch of summaries (issue 15).
 */
import { useEffect, useRef, useState } from 'react';

export function useThrottledWhileBusy<T>(value: T, busy: boolean, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const show = (): void => {
      last.current = performance.now();
      setShown(() => value);
    };
    const wait = busy ? last.current + ms - performance.now() : 0;
    if (wait <= 0) {
      show();
      return undefined;
    }
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, busy, ms]);
  return busy ? shown : value;
}
