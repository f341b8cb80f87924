/**
 * The page: header with controls, then (in reading order, which a phone shows as one column) each
 * run's verdict, the findings, the table, the selected checkpoint's detail view and the chart.
 */
import { memo } from 'react';
import { useCheckpoints } from '../store/checkpointStore';
import { CheckpointTable } from './CheckpointTable';
import { DiffPanel } from './DiffPanel';
import { DropTarget } from './DropTarget';
import { EmptyState } from './EmptyState';
import { FindingsPanel } from './FindingsPanel';
import { HistoryChart } from './HistoryChart';
import { RunVerdicts } from './RunVerdicts';
import { StatusCard } from './StatusCard';
import { ShareControls } from './ShareControls';
import { Toolbar } from './Toolbar';
import { useSharedLink } from './useSharedLink';
import { stopReading } from './useParser';
import { stopOpening } from './openDrop';
import { OpenProblems } from './OpenProblems';

// the panels take no props (or only the selection): memoised, they render when what they read
// changes, not each time the page's progress line does (issue 15)
const Verdicts = memo(RunVerdicts);
const Findings = memo(FindingsPanel);
const Table = memo(CheckpointTable);
const Chart = memo(HistoryChart);
const Share = memo(ShareControls);
const Diff = memo(DiffPanel);

/**
 * Remove a checkpoint from the card's × button; the button goes with its card, so the focus moves
 * to the table's row in the Tab order (a keyboard user carries on from the table, not the page top),
 * or, when that was the last checkpoint, to "Choose folder".
 */
function removeAndRefocus(remove: (id: string) => void, id: string): void {
  remove(id);
  // the rows refresh a few tasks later (useLoaded, in a transition): wait for the row to be gone
  const started = performance.now();
  const tryFocus = (): void => {
    const row = document.querySelector<HTMLElement>('[data-testid="checkpoint-table"] tbody tr[tabindex="0"]');
    if (!document.querySelector('[data-testid="checkpoint-table"]')) document.querySelector<HTMLElement>('.app-head button.primary')?.focus();
    else if (row && row.dataset.row !== id) row.focus();
    else if (performance.now() - started < 2000) requestAnimationFrame(tryFocus);
  };
  requestAnimationFrame(tryFocus);
}

export function App() {
  const count = useCheckpoints((s) => s.order.length);
  const selected = useCheckpoints((s) => (s.selectedId ? s.entries[s.selectedId] : undefined));
  const busy = useCheckpoints((s) => s.busy.length > 0);
  // the last drop's files are still on their way to the worker (no plan yet): its rows are not known
  const opening = useCheckpoints((s) => s.busy.length > 0 && s.plannedBatch < s.lastBatch);
  const done = useCheckpoints((s) => s.order.filter((id) => s.entries[id]?.summary).length);
  const notice = useCheckpoints((s) => s.notice);
  const listing = useCheckpoints((s) => s.listing);
  const remove = useCheckpoints((s) => s.remove);
  const shared = useCheckpoints((s) => s.shared);
  useSharedLink();
  return (
    <DropTarget>
      <header className="app-head">
        <div className="brand">
          <h1>ckptview</h1>
          <p className="muted">Where will your training resume? PyTorch checkpoints, read locally and safely.</p>
        </div>
        <Toolbar />
      </header>
      <main>
        {listing !== undefined || (busy && (count === 0 || opening)) ? (
          // a dropped folder is listed (files found so far), then its files go to the worker
          <p className="busy" role="status" data-testid="busy">
            Opening what was dropped…{listing !== undefined ? ` ${listing.toLocaleString('en-US')} files found` : ''}{' '}
            <button type="button" className="subtle" onClick={listing !== undefined ? stopOpening : stopReading} aria-label="Stop opening what was dropped">Stop</button>
          </p>
        ) : null}
        {busy && count > 0 && !opening ? (
          <p className="busy" role="status" data-testid="busy">
            Reading checkpoints… {done} of {count} done <progress max={Math.max(count, 1)} value={done} aria-label="Checkpoints read" />{' '}
            <button type="button" className="subtle" onClick={stopReading} data-testid="stop-reading" aria-label="Stop reading">Stop</button>
          </p>
        ) : null}
        {notice ? <p className="problem" role="alert">{notice}</p> : null}
        <OpenProblems />
        {shared ? (
          <p className="shared-banner" data-testid="shared-banner">
            <strong>Shared snapshot</strong> made {new Date(shared.created).toLocaleString()}: the values a teammate's copy of ckptview read from their files, carried in
            this link. No file was uploaded anywhere. Drop the files themselves to repair them or browse their contents.
          </p>
        ) : null}
        {count > 0 ? <Share /> : null}
        {count === 0 ? (
          <EmptyState />
        ) : (
          <div className="layout">
            <div className="area-verdicts">
              <Verdicts />
            </div>
            <div className="area-findings">
              <Findings />
            </div>
            <div className="area-table">
              <Table />
            </div>
            <div className="area-card">
              {selected ? <StatusCard key={selected.id} entry={selected} onRemove={shared ? undefined : () => removeAndRefocus(remove, selected.id)} /> : null}
              {selected ? <Diff key={`diff-${selected.id}`} selectedId={selected.id} /> : null}
            </div>
            <div className="area-chart">
              <Chart />
            </div>
          </div>
        )}
      </main>
      <footer className="muted foot">Files are read in this tab by a Web Worker and never leave your computer.</footer>
    </DropTarget>
  );
}
