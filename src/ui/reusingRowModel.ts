/**
 * A core row model for @tanstack/react-table (its `getCoreRowModel` option) that keeps the `Row`
 * of every data item that is the same object at the same index as in the last model, and makes
 * rows only for the others. The library's own `getCoreRowModel` makes every row again whenever
 * `data` changes; a row costs about a tenth of a millisecond (one closure per feature), so at
 * 1,000 checkpoints each refresh while a drop streams in was a 70-120 ms render for the few rows
 * that changed (issue 15). Flat data only (no sub-rows), which is what the checkpoint table has.
 *
 * Rows can also be made ahead, a few hundred per task ({@link rowsToMake}, {@link makeRows}), before
 * the table is given new data: a drop of 1,000 checkpoints then never makes its 1,000 rows in one
 * render.
 */
import { createRow, getMemoOptions, memo, type Row, type RowData, type RowModel, type Table } from '@tanstack/react-table';

/** Per table: the rows of its last model and the rows made ahead, by row id. */
const rowsOfTable = new WeakMap<object, Map<string, Row<RowData>>>();

function rowsOf<T extends RowData>(table: Table<T>): Map<string, Row<T>> {
  let rows = rowsOfTable.get(table) as Map<string, Row<T>> | undefined;
  if (!rows) rowsOfTable.set(table, (rows = new Map()) as Map<string, Row<RowData>>);
  return rows;
}

/** The kept row for `original` at index `i`, if there is one. */
function keptRow<T extends RowData>(rows: Map<string, Row<T>>, id: string, original: T, i: number): Row<T> | undefined {
  const kept = rows.get(id);
  return kept && kept.original === original && kept.index === i ? kept : undefined;
}

/** The row model factory, as `getCoreRowModel: reusingCoreRowModel()`. */
export function reusingCoreRowModel<T extends RowData>(): (table: Table<T>) => () => RowModel<T> {
  return (table) =>
    memo(
      () => [table.options.data],
      (data) => {
        const rows = rowsOf(table);
        const model: RowModel<T> = { rows: [], flatRows: [], rowsById: {} };
        const next = new Map<string, Row<T>>();
        for (let i = 0; i < data.length; i++) {
          const original = data[i];
          const id = table._getRowId(original, i);
          const row = keptRow(rows, id, original, i) ?? createRow(table, id, original, i, 0);
          next.set(id, row);
          model.rows.push(row);
          model.flatRows.push(row);
          model.rowsById[id] = row;
        }
        rowsOfTable.set(table, next as Map<string, Row<RowData>>);
        return model;
      },
      getMemoOptions(table.options, 'debugTable', 'getRowModel', () => table._autoResetPageIndex()),
    );
}

/** How many rows `data` needs that the table has not got (kept or made ahead). */
export function rowsToMake<T extends RowData>(table: Table<T>, data: readonly T[]): number {
  const rows = rowsOf(table);
  let n = 0;
  for (let i = 0; i < data.length; i++) if (!keptRow(rows, table._getRowId(data[i], i), data[i], i)) n++;
  return n;
}

/**
 * Make ahead the rows `data` needs, from index `from` until `count` rows are made (rows it has are
 * skipped); the next model over `data` uses them.
 * @returns the index to continue from (`data.length` when done)
 */
export function makeRows<T extends RowData>(table: Table<T>, data: readonly T[], from: number, count: number): number {
  const rows = rowsOf(table);
  let made = 0;
  let i = from;
  for (; i < data.length && made < count; i++) {
    const id = table._getRowId(data[i], i);
    if (keptRow(rows, id, data[i], i)) continue;
    rows.set(id, createRow(table, id, data[i], i, 0));
    made++;
  }
  return i;
}
