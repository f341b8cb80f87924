/** A running tensor job (health scan, diff, CRC check): its progress in bytes and its Stop button. */
import { bytes } from './format';
import { ProgressBar } from './ProgressBar';

/**
 * @param done bytes read so far
 * @param total bytes to read (0 while not known yet)
 * @param stopTestId the Stop button's test id
 */
export function JobProgress({ done, total, label, onStop, stopTestId }: { done: number; total: number; label: string; onStop: () => void; stopTestId: string }) {
  return (
    <div className="progress-row">
      <ProgressBar percent={total ? (done / total) * 100 : 0} label={label} />
      <span className="small">{bytes(done)} of {bytes(total)}</span>
      <button type="button" className="subtle" onClick={onStop} data-testid={stopTestId}>Stop</button>
    </div>
  );
}
