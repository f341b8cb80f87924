/** A labelled progress bar for "% of the epoch done". */
export function ProgressBar({ percent, label }: { percent: number | undefined; label: string }) {
  const value = percent ?? 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
      <div className="progress-fill" style={{ width: `${Math.min(100, Math.max(0, value))}%` }} />
    </div>
  );
}
