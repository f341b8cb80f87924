/**
 * The checkpoint table's core row model (src/ui/reusingRowModel.ts) keeps the rows of unchanged
 * data items and makes new ones for the rest, with the same rows, ids and values as the library's
 * own getCoreRowModel.
 */
import { createTable, getCoreRowModel, type ColumnDef, type RowModel, type TableOptionsResolved } from '@tanstack/react-table';
import { expect, test } from 'vitest';
import { makeRows, reusingCoreRowModel, rowsToMake } from '../src/ui/reusingRowModel';

interface Item {
  id: string;
  epoch: number;
}

const columns: ColumnDef<Item>[] = [{ accessorKey: 'epoch', header: 'Epoch' }];

function tableOf(getCore: TableOptionsResolved<Item>['getCoreRowModel']) {
  const options: TableOptionsResolved<Item> = {
    data: [],
    columns,
    getRowId: (r) => r.id,
    getCoreRowModel: getCore,
    state: {},
    onStateChange: () => undefined,
    renderFallbackValue: null,
  };
  const table = createTable(options);
  table.setOptions((prev) => ({ ...prev, state: table.initialState }));
  return {
    table,
    model(data: Item[]): RowModel<Item> {
      table.setOptions((prev) => ({ ...prev, data }));
      return table.getCoreRowModel();
    },
  };
}

const summary = (m: RowModel<Item>) => m.rows.map((r) => [r.id, r.index, r.getValue('epoch')]);

test('rows of unchanged items are kept, changed and moved items get new rows, values match the library model', () => {
  const a = { id: 'a', epoch: 1 };
  const b = { id: 'b', epoch: 2 };
  const c = { id: 'c', epoch: 3 };
  const ours = tableOf(reusingCoreRowModel());
  const theirs = tableOf(getCoreRowModel());
  const first = ours.model([a, b, c]);
  expect(summary(first)).toEqual(summary(theirs.model([a, b, c])));

  // b's summary arrives (a new object), d is appended
  const b2 = { id: 'b', epoch: 20 };
  const d = { id: 'd', epoch: 4 };
  const second = ours.model([a, b2, c, d]);
  expect(summary(second)).toEqual(summary(theirs.model([a, b2, c, d])));
  expect(summary(second)).toEqual([['a', 0, 1], ['b', 1, 20], ['c', 2, 3], ['d', 3, 4]]);
  expect(second.rows[0]).toBe(first.rows[0]);
  expect(second.rows[1]).not.toBe(first.rows[1]);
  expect(second.rows[2]).toBe(first.rows[2]);
  expect(second.rowsById.d).toBe(second.rows[3]);
  expect(second.flatRows).toEqual(second.rows);

  // a removed: every row moves up one index, so none is kept (a row knows its index)
  const third = ours.model([b2, c, d]);
  expect(summary(third)).toEqual([['b', 0, 20], ['c', 1, 3], ['d', 2, 4]]);
  expect(third.rows.some((r, i) => r === second.rows[i + 1])).toBe(false);
  expect(third.rowsById.a).toBeUndefined();
});

test('rows made ahead, a part at a time, are the rows of the next model', () => {
  const ours = tableOf(reusingCoreRowModel());
  const theirs = tableOf(getCoreRowModel());
  const items = Array.from({ length: 10 }, (_, i) => ({ id: `k${i}`, epoch: i }));
  const first = ours.model(items.slice(0, 4));
  // 6 rows appended and one changed: 7 to make
  const next = [...items.slice(0, 2), { id: 'k2', epoch: 200 }, ...items.slice(3)];
  expect(rowsToMake(ours.table, next)).toBe(7);
  const parts: number[] = [];
  for (let from = 0; from < next.length; ) parts.push((from = makeRows(ours.table, next, from, 3)));
  expect(parts).toEqual([6, 9, 10]);
  expect(rowsToMake(ours.table, next)).toBe(0);
  const second = ours.model(next);
  expect(summary(second)).toEqual(summary(theirs.model(next)));
  expect(second.rows[0]).toBe(first.rows[0]);
  expect(second.rows[2]).not.toBe(first.rows[2]);
  // the model keeps exactly its own rows: an item that left needs a row again
  expect(rowsToMake(ours.table, items)).toBe(1);
});
