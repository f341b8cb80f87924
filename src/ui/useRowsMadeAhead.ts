/**
 * The data the checkpoint table is given while a drop is read: when new data needs more rows than
 * one task should make ({@link ROWS_PER_TASK}), the table keeps showing its last data while the
 * rows are made ahead, a task at a time (`makeRows` in reusingRowModel.ts), and then gets the new
 * data, whose rows are all made. When a drop of 1,000 checkpoints is planned, its 1,000 rows (about
 * 0.1 ms each) were made in one render (issue 15). Outside reading (a click, Stop, the end of
 * reading) the table gets its data at once.
 */
import { startTransition, useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { RowData, Table } from '@tanstack/react-table';
import { makeRows, rowsToMake } from './reusingRowModel';

/** Rows made in one task: 200 rows, about 20 ms. */
export const ROWS_PER_TASK = 200;

/**
 * @param data the rows the table should show
 * @param ahead true while a drop is read: large changes are made ahead
 * @returns `shown`, the data to give the table, and `tableRef`, which the caller sets to its table
 */
export function useRowsMadeAhead<T extends RowData>(data: T[], ahead: boolean): { shown: T[]; tableRef: MutableRefObject<Table<T> | undefined> } {
  const tableRef = useRef<Table<T> | undefined>(undefined);
  /** The data the table showed at the last commit. */
  const committed = useRef<T[]>([]);
  /** The last data whose rows were all made ahead. */
  const [ready, setReady] = useState<T[] | undefined>(undefined);
  const table = tableRef.current;
  const direct = !ahead || ready === data || (table ? rowsToMake(table, data) : data.length) <= ROWS_PER_TASK;
  const shown = direct ? data : committed.current;
  useEffect(() => {
    committed.current = shown;
  });
  useEffect(() => {
    const t = tableRef.current;
    if (shown === data || !t) return undefined;
    let from = 0;
    let timer: ReturnType<typeof setTimeout>;
    const step = (): void => {
      from = makeRows(t, data, from, ROWS_PER_TASK);
      if (from < data.length) timer = setTimeout(step, 0);
      else startTransition(() => setReady(data));
    };
    timer = setTimeout(step, 0);
    return () => clearTimeout(timer);
  }, [data, shown]);
  return { shown, tableRef };
}
