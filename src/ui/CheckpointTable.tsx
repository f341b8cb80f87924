/**
 * One row per checkpoint (@tanstack/react-table): sortable by every column, filterable by text,
 * keyboard navigable (arrow keys move between rows, Enter opens the row's detail view). Rows
 * appear as the worker finishes each checkpoint.
 */
import {
  createColumnHelper,
  flexRender,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { conventionLabel } from '../core/conventions/registry';
import { NOT_READ } from '../core/conventions/summary';
import type { CheckpointEntry } from '../store/checkpointStore';
import { useCheckpoints } from '../store/checkpointStore';
import { virtualizerAfterLayout } from './virtualizerAfterLayout';
import { reusingCoreRowModel } from './reusingRowModel';
import { useRowsMadeAhead } from './useRowsMadeAhead';
import { useLoadedRows } from './useLoaded';
import { useRunsReport } from './useRunsReport';
import { bytes, int, metric4, percent } from './format';

/** A table row: the fields shown, flattened from the summary. */
interface Row {
  id: string;
  name: string;
  path: string;
  /** Label of the run the checkpoint belongs to (shortest distinguishing folder path). */
  run: string;
  framework: string;
  /** 0 when the trainer numbers epochs from 0. */
  epochBase: 0 | 1;
  epoch?: number;
  step?: number;
  totalBatches?: number;
  progress?: number;
  status: string;
  bestF1?: number;
  bestAcc?: number;
  optimizerSteps?: number;
  /** Global step (optimizer updates or iterations over the run), when the trainer saved one. */
  globalStep?: number;
  files: number;
  size: number;
  warnings: number;
  pending: boolean;
}


function toRow(e: CheckpointEntry, run: string): Row {
  const s = e.summary;
  const p = s?.progress;
  return {
    id: e.id,
    name: e.name,
    path: e.path,
    run,
    framework: s ? (s.kind === 'unreadable' || s.kind === NOT_READ ? '—' : conventionLabel(s.kind)) : '…',
    epochBase: s?.position?.epochBase ?? 1,
    epoch: p?.epoch,
    step: p?.stepSaved === false ? undefined : p?.step,
    totalBatches: p?.totalBatches || undefined,
    progress: p?.progressPercent,
    status: !s ? 'reading' : s.kind === NOT_READ ? 'not read' : s.safety?.verdict === 'dangerous' ? 'dangerous' : s.problems.length && !p ? 'unreadable' : s.position?.finished ? 'finished' : p?.status ?? 'unknown',
    // the framework's own best metric fills the column it names (HF eval_f1, Lightning val_acc...)
    bestF1: s?.bestValF1 ?? (s?.bestMetric && /f1/i.test(s.bestMetric.name) ? s.bestMetric.value : undefined),
    bestAcc: s?.bestValAcc ?? (s?.bestMetric && /acc/i.test(s.bestMetric.name) ? s.bestMetric.value : undefined),
    optimizerSteps: s?.optimizer?.steps,
    globalStep: s?.position?.globalStep,
    files: s?.files.length ?? 0,
    size: s?.totalBytes ?? 0,
    warnings: (s?.warnings.length ?? 0) + (s?.problems.length ?? 0) + (s?.safety?.mayRunCode ? 1 : 0),
    pending: !s,
  };
}

const STATUSES = new Set(['complete', 'incomplete', 'unknown', 'unreadable', 'reading', 'not read', 'dangerous', 'finished']);
const col = createColumnHelper<Row>();
const num = { sortUndefined: 'last' as const };
const COLUMNS = [
  // checkpoint-100, checkpoint-200 ... checkpoint-1000: numbers in names sort as numbers
  col.accessor('name', { header: 'Checkpoint', sortingFn: 'alphanumeric', cell: (c) => <span title={c.row.original.path}>{c.getValue()}</span> }),
  // (a long run or framework name is cut in the virtual table: the whole name in the tooltip)
  col.accessor('run', { header: 'Run', cell: (c) => <span title={c.getValue()}>{c.getValue()}</span> }),
  col.accessor('framework', { header: 'Framework', cell: (c) => <span title={c.getValue()}>{c.getValue()}</span> }),
  col.accessor('epoch', {
    header: 'Epoch',
    // the trainer's own epoch number; some trainers count from 0
    cell: (c) => (c.row.original.epochBase === 0 && c.getValue() !== undefined ? <span title={`${c.row.original.framework} counts epochs from 0`}>{int(c.getValue())} (from 0)</span> : int(c.getValue())),
    ...num,
  }),
  col.accessor('step', { header: 'Step', cell: (c) => int(c.getValue()), ...num }),
  col.accessor('totalBatches', { header: 'Batches/epoch', cell: (c) => int(c.getValue()), ...num }),
  col.accessor('progress', { header: 'Progress', cell: (c) => percent(c.getValue()), ...num }),
  col.accessor('status', { header: 'Status', cell: (c) => <span className={`badge status-${c.getValue().replace(' ', '-')}`}>{c.getValue()}</span> }),
  col.accessor('bestF1', { header: 'Best F1', cell: (c) => metric4(c.getValue()), ...num }),
  col.accessor('bestAcc', { header: 'Best acc.', cell: (c) => metric4(c.getValue()), ...num }),
  col.accessor('globalStep', { header: 'Global step', cell: (c) => int(c.getValue()), ...num }),
  col.accessor('optimizerSteps', { header: 'Optimizer steps', cell: (c) => int(c.getValue()), ...num }),
  col.accessor('files', { header: 'Files' }),
  col.accessor('size', { header: 'Size', cell: (c) => bytes(c.getValue()) }),
  col.accessor('warnings', { header: 'Warnings', cell: (c) => (c.getValue() ? <span className="warn-count">{c.getValue()}</span> : '') }),
];

/** Above this many rows only the rows in view are in the DOM (a drop of hundreds of checkpoints stays fast). */
const VIRTUAL_FROM = 150;
/** Row height in CSS pixels, for the virtual window (rows are one line). */
const ROW_HEIGHT = 33;

export function CheckpointTable() {
  // the rows at most every 1.5 s while reading (useLoadedRows); "not read" after Stop in the same render
  const { order, entries } = useLoadedRows();
  const selectedId = useCheckpoints((s) => s.selectedId);
  const select = useCheckpoints((s) => s.select);
  const { runs } = useRunsReport();
  const runOf = useMemo(() => new Map(runs.flatMap((r) => r.run.checkpointIds.map((id) => [id, r.run.label] as const))), [runs]);
  // the same Row object for an unchanged entry and run, so the table keeps its row (reusingRowModel)
  const rowCache = useRef(new WeakMap<CheckpointEntry, Row>());
  const data = useMemo(
    () =>
      order.map((id) => {
        const entry = entries[id];
        const run = runOf.get(id) ?? '';
        const kept = rowCache.current.get(entry);
        if (kept && kept.run === run) return kept;
        const row = toRow(entry, run);
        rowCache.current.set(entry, row);
        return row;
      }),
    [order, entries, runOf],
  );
  // one Tab stop for the whole table: the selected row (or the first) takes focus, arrows move inside
  const [focusId, setFocusId] = useState<string | undefined>(undefined);
  const [sorting, setSorting] = useState<SortingState>([]);
  const [filter, setFilter] = useState('');
  const body = useRef<HTMLTableSectionElement>(null);
  // while a drop is read, a large change's rows are made ahead, a task at a time
  const reading = useCheckpoints((s) => s.busy.length > 0);
  const { shown: shownData, tableRef } = useRowsMadeAhead(data, reading);
  const table = useReactTable({
    data: shownData,
    columns: COLUMNS,
    state: { sorting, globalFilter: filter },
    onSortingChange: setSorting,
    sortDescFirst: false,
    onGlobalFilterChange: setFilter,
    getRowId: (r) => r.id,
    // rows of unchanged checkpoints are kept: a refresh makes only the rows that changed
    getCoreRowModel: reusingCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    globalFilterFn: (row, _col, value: string) => {
      const q = value.toLowerCase().trim();
      const r = row.original;
      // a status word matches that status only ("complete" is not "incomplete")
      if (STATUSES.has(q)) return r.status === q;
      return [r.name, r.path, r.run, r.framework, r.status, String(r.epoch ?? ''), String(r.step ?? '')].some((x) => x.toLowerCase().includes(q));
    },
  });
  tableRef.current = table;
  const rows = table.getRowModel().rows;
  const virtual = rows.length > VIRTUAL_FROM;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    enabled: virtual,
    // measured after the browser's layout, not in React's commit; until then the scroller's CSS
    // height (70vh, styles.css)
    ...virtualizerAfterLayout<HTMLDivElement>(Math.round(window.innerHeight * 0.7)),
  });
  const shown = virtual ? virtualizer.getVirtualItems().map((v) => v.index) : rows.map((_, i) => i);
  const firstShown = virtual ? (virtualizer.getVirtualItems()[0]?.start ?? 0) : 0;
  const afterShown = virtual ? virtualizer.getTotalSize() - (virtualizer.getVirtualItems().at(-1)?.end ?? 0) : 0;
  // the one row in the Tab order: the last focused one while it is listed, else the selected one, else the first
  const wanted = focusId !== undefined && rows.some((r) => r.id === focusId) ? focusId : selectedId !== undefined && rows.some((r) => r.id === selectedId) ? selectedId : rows[0]?.id;
  // a virtual table renders only the rows in view: when that row is scrolled away, the first row
  // in view is the Tab stop (not one rendered above the view), so Tab never skips the table
  const inView = virtual ? virtualizer.getVirtualItems().find((v) => v.start >= (virtualizer.scrollOffset ?? 0))?.index : undefined;
  const tabStop = shown.some((i) => rows[i]?.id === wanted) ? wanted : rows[inView ?? shown[0]]?.id;
  /** Move the focus to row `i` (scrolled into the rendered window first when the table is virtual). */
  const focusRow = (i: number): void => {
    const target = rows[Math.max(0, Math.min(rows.length - 1, i))];
    if (!target) return;
    setFocusId(target.id);
    const rowOf = (): HTMLTableRowElement | null | undefined => body.current?.querySelector<HTMLTableRowElement>(`tr[data-row="${CSS.escape(target.id)}"]`);
    // a rendered row takes the focus at once (a key pressed right after lands on it); a row outside
    // the virtual window is scrolled in first and focused once rendered
    const now = rowOf();
    if (now) {
      now.focus();
      return;
    }
    if (virtual) virtualizer.scrollToIndex(Math.max(0, Math.min(rows.length - 1, i)), { align: 'auto' });
    requestAnimationFrame(() => rowOf()?.focus());
  };
  const onKey = (ev: KeyboardEvent<HTMLTableRowElement>, id: string): void => {
    const i = rows.findIndex((r) => r.id === id);
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const to = ev.key === 'ArrowDown' ? i + 1 : ev.key === 'ArrowUp' ? i - 1 : ev.key === 'Home' ? 0 : ev.key === 'End' ? rows.length - 1 : ev.key === 'PageDown' ? i + page : ev.key === 'PageUp' ? i - page : undefined;
    if (to !== undefined) {
      ev.preventDefault();
      if (to !== i && to >= 0 && to < rows.length) focusRow(to);
      else if (ev.key === 'PageDown' || ev.key === 'PageUp') focusRow(to);
    } else if (ev.key === 'Enter' || ev.key === ' ') (ev.preventDefault(), select(id));
  };
  return (
    <section className="panel" aria-labelledby="table-title">
      <div className="panel-head">
        <h2 id="table-title">Checkpoints <span className="muted">({table.getFilteredRowModel().rows.length} of {data.length})</span></h2>
        <input className="filter" type="search" placeholder="Filter: name, run, status…" aria-label="Filter checkpoints" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} />
      </div>
      <div className={virtual ? 'table-wrap virtual' : 'table-wrap'} ref={scroller}>
        <table className="ckpt-table" data-testid="checkpoint-table" aria-rowcount={rows.length + 1}>
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const dir = h.column.getIsSorted();
                  return (
                    <th key={h.id} scope="col" data-col={h.column.id} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}>
                      <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        <span aria-hidden="true" className="sort-mark">{dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : ''}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody ref={body}>
            {firstShown > 0 ? <tr aria-hidden="true" className="spacer" style={{ height: firstShown }} /> : null}
            {shown.map((index) => [index, rows[index]] as const).map(([index, row]) => (
              <tr
                key={row.id}
                aria-rowindex={index + 2}
                tabIndex={row.id === tabStop ? 0 : -1}
                onFocus={() => setFocusId(row.id)}
                data-row={row.id}
                aria-selected={row.id === selectedId}
                className={row.id === selectedId ? 'selected' : undefined}
                onClick={() => select(row.id)}
                onKeyDown={(ev) => onKey(ev, row.id)}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} data-col={cell.column.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                ))}
              </tr>
            ))}
            {afterShown > 0 ? <tr aria-hidden="true" className="spacer" style={{ height: afterShown }} /> : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}
