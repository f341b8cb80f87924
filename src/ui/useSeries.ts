/**
 * The chart's metric series of what is loaded (`core/history/series.ts`), derived outside React
 * (`derivedWhileReading.ts`) like the runs report, and only when nothing is being read.
 */
import { buildSeries, type Series } from '../core/history/series';
import { loadedSummaries } from '../store/checkpointStore';
import { derivedWhileReading } from './derivedWhileReading';

/** Every series of the loaded checkpoints and TensorBoard files. */
export const useSeries: () => Series[] = derivedWhileReading(['order', 'entries', 'scalars'], (s) => buildSeries(loadedSummaries(s), s.scalars), {
  // drawing is the chart library's costliest work (hundreds of ms at 1,000 checkpoints): the chart
  // is drawn again once reading ends, not at every refresh while a drop streams in
  whenIdle: true,
});
