/**
 * Listing dropped folders (src/ui/walkFolders.ts): every file with its path, many browser requests
 * at once but never more than REQUESTS_IN_FLIGHT, entries that cannot be opened reported with why
 * while the rest is listed, and Stop. The folders are FolderNode trees answering after a timer, as
 * the browser's handles and entries answer after an IPC round trip.
 */
import { describe, expect, it } from 'vitest';
import { describeOpenError, REQUESTS_IN_FLIGHT, SLICE_MS, walkFolders, type FolderNode } from '../src/ui/walkFolders';

interface Tree { [name: string]: Tree | string }

/** DOMException-like errors, as Chromium rejects `getFile()` / `readEntries()` with. */
const domError = (name: string, message = ''): Error => Object.assign(new Error(message), { name });

/** Counts requests in flight and in all; `fail` maps a path to the error its request rejects with. */
function makeTree(tree: Tree, fail: Record<string, Error> = {}) {
  const stats = { inFlight: 0, maxInFlight: 0, requests: 0 };
  const answer = <T>(path: string, value: T): Promise<T> => {
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    return new Promise<T>((resolve, reject) =>
      setTimeout(() => {
        stats.inFlight--;
        if (fail[path]) reject(fail[path]);
        else resolve(value);
      }, 1),
    );
  };
  const node = (name: string, value: Tree | string, path: string): FolderNode =>
    typeof value === 'string'
      ? { name, kind: 'file', file: () => answer(path, new Blob([value])), children: () => Promise.reject(new Error('not a folder')) }
      : { name, kind: 'directory', file: () => Promise.reject(new Error('not a file')), children: () => answer(path, Object.entries(value).map(([n, v]) => node(n, v, `${path}/${n}`))) };
  const roots = Object.entries(tree).map(([n, v]) => node(n, v, n));
  return { roots, stats };
}

describe('walkFolders', () => {
  it('lists every file under nested folders with its path from the dropped folder, sorted', async () => {
    const { roots } = makeTree({ run: { b: { 'training_state.pth': 'bb' }, a: { 'config.json': '{}', 'training_state.pth': 'aaa' } }, 'loose.pt': 'x' });
    const found: number[] = [];
    const r = await walkFolders(roots, (n) => found.push(n));
    expect(r.files.map((f) => f.path)).toEqual(['loose.pt', 'run/a/config.json', 'run/a/training_state.pth', 'run/b/training_state.pth']);
    expect(await r.files[2].file.text()).toBe('aaa');
    expect(r.problems).toEqual([]);
    expect(r.stopped).toBe(false);
    expect(found.at(-1)).toBe(4);
  });

  it('keeps many requests in flight, never more than REQUESTS_IN_FLIGHT', async () => {
    const runs: Tree = {};
    for (let r = 0; r < 20; r++) {
      const run: Tree = {};
      for (let c = 0; c < 30; c++) run[`checkpoint-${c}`] = { 'trainer_state.json': '{}', 'optimizer.pt': 'o' };
      runs[`run_${r}`] = run;
    }
    const { roots, stats } = makeTree({ outputs: runs });
    const r = await walkFolders(roots);
    expect(r.files).toHaveLength(20 * 30 * 2);
    expect(stats.maxInFlight).toBeLessThanOrEqual(REQUESTS_IN_FLIGHT);
    expect(stats.maxInFlight).toBeGreaterThan(REQUESTS_IN_FLIGHT / 2);
  });

  it('reports a file and a folder it cannot open, with why, and lists the rest', async () => {
    const { roots } = makeTree(
      { run: { gone: { 'training_state.pth': 's' }, 'removed.pth': 'r', locked: { 'a.pt': 'a' }, 'ok.pt': 'k' } },
      { 'run/removed.pth': domError('NotFoundError', 'A requested file or directory could not be found'), 'run/locked': domError('NotReadableError', 'permission denied') },
    );
    const r = await walkFolders(roots);
    expect(r.files.map((f) => f.path)).toEqual(['run/gone/training_state.pth', 'run/ok.pt']);
    expect(r.problems).toEqual([
      { path: 'run/locked', message: 'the folder could not be listed: the browser may not read it (permissions, or it changed after it was dropped): permission denied' },
      { path: 'run/removed.pth', message: 'it was moved or deleted after it was dropped, or it is a symbolic link the browser does not follow' },
    ]);
  });

  it('a folder none of whose files opened is one problem, however deep its entries', async () => {
    const gone = domError('NotFoundError');
    const { roots } = makeTree(
      {
        run: {
          run2: { best: { 'config.json': '{}', 'training_state.pth': 's' }, last: { 'training_state.pth': 's' }, logs: { 'events.out.tfevents.1': 'e' } },
          run3: { last: { 'training_state.pth': 't' } },
          'a.pt': 'a',
          'b.pt': 'b',
        },
      },
      { 'run/run2/best/config.json': gone, 'run/run2/best/training_state.pth': gone, 'run/run2/last/training_state.pth': gone, 'run/run2/logs': domError('NotReadableError', 'gone'), 'run/b.pt': gone },
    );
    const r = await walkFolders(roots);
    expect(r.files.map((f) => f.path)).toEqual(['run/a.pt', 'run/run3/last/training_state.pth']);
    expect(r.problems).toEqual([
      { path: 'run/b.pt', message: describeOpenError(gone) },
      { path: 'run/run2/', message: `4 entries in it, e.g. best/config.json: ${describeOpenError(gone)}` },
    ]);
  });

  it('gives the page a turn while answers come back at once (no task grows with the drop)', async () => {
    // answers already there (resolved promises) and each call costing 0.05 ms of the thread, as a
    // burst of getFile() answers does: without turns the whole walk would be one task
    const spin = (ms: number): void => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const files: FolderNode[] = Array.from({ length: 4000 }, (_, i) => ({ name: `f${i}.pt`, kind: 'file', file: () => (spin(0.05), Promise.resolve(new Blob(['x']))), children: () => Promise.resolve([]) }));
    const root: FolderNode = { name: 'big', kind: 'directory', file: () => Promise.reject(new Error('folder')), children: () => Promise.resolve(files) };
    let turns = 0;
    let walking = true;
    const count = (): void => {
      if (!walking) return;
      turns++;
      setTimeout(count, 0);
    };
    setTimeout(count, 0);
    const r = await walkFolders([root]);
    walking = false;
    expect(r.files).toHaveLength(4000);
    // 200 ms of calls in slices of SLICE_MS: other tasks ran in between, many times
    expect(turns).toBeGreaterThan(200 / SLICE_MS / 4);
  });

  it('stops making requests when stopped, and says so', async () => {
    const big: Tree = {};
    for (let i = 0; i < 2000; i++) big[`f${i}.pt`] = 'x';
    const { roots, stats } = makeTree({ big });
    const stop = new AbortController();
    const r = await walkFolders(roots, (n) => n >= 300 && stop.abort(), stop.signal);
    expect(r.stopped).toBe(true);
    expect(r.files.length).toBeGreaterThanOrEqual(300);
    expect(r.files.length).toBeLessThan(300 + REQUESTS_IN_FLIGHT + 1);
    // the folder listing and the requests already in flight when Stop came; none after
    expect(stats.requests).toBeLessThanOrEqual(1 + 300 + REQUESTS_IN_FLIGHT);
  });
});

describe('describeOpenError', () => {
  it('says what happened for the browser errors a drop meets', () => {
    expect(describeOpenError(domError('NotFoundError', 'x'))).toBe('it was moved or deleted after it was dropped, or it is a symbolic link the browser does not follow');
    expect(describeOpenError(domError('SecurityError', ''))).toBe('the browser may not read it (permissions, or it changed after it was dropped)');
    expect(describeOpenError(domError('EncodingError', 'bad path'))).toBe('bad path');
    expect(describeOpenError('odd')).toBe('odd');
  });
});
