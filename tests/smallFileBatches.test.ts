/**
 * Joined reads of small files (src/core/pipeline/smallFileBatches.ts): the pipeline over Blobs
 * reads the small files of several checkpoints in one read, and gives exactly the summaries it
 * gives reading each file on its own; a failing joined read falls back to reading each file, so a
 * file's own problem still names it.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { blobAccess } from '../src/core/pipeline/blobAccess';
import { runPipeline } from '../src/core/pipeline/runPipeline';
import { FILES_PER_JOINED_READ, READ_AHEAD_GROUPS, SmallFileBatches } from '../src/core/pipeline/smallFileBatches';
import type { ReadStats } from '../src/core/bytes/byteSource';
import { wrapSources } from '../src/core/pipeline/wrapSources';
import type { FileAccess, InputFile } from '../src/core/pipeline/types';
import type { CheckpointPlan } from '../src/core/folder/checkpointPlan';
import { OWN, walk } from './support/fixtures';

/** Three EnStack runs and three HF Trainer runs of 4 checkpoints each, as Blobs (as in the worker). */
function drop(): InputFile<Blob>[] {
  const out: InputFile<Blob>[] = [];
  const add = (dir: string, as: (rel: string) => string): void => {
    for (const p of walk(dir)) {
      const bytes = readFileSync(p);
      out.push({ path: as(relative(dir, p)), size: bytes.length, handle: new Blob([bytes]) });
    }
  };
  for (let r = 0; r < 3; r++) add(join(OWN, 'enstack_run'), (rel) => `enstack_${r}/${rel}`);
  for (let r = 0; r < 3; r++) for (let c = 1; c <= 4; c++) add(join(OWN, 'hf_trainer', 'checkpoint-700'), (rel) => `hf_${r}/checkpoint-${c * 100}/${rel}`);
  return out;
}

/** blobAccess with every single-file read counted, and the joined reads counted (or made to fail). */
function counted(joined: 'join' | 'none' | 'fail'): { access: FileAccess<Blob>; stats: ReadStats; joinedReads: number[] } {
  const stats: ReadStats = { reads: 0, bytesRead: 0 };
  const joinedReads: number[] = [];
  // blobAccess without its joined read: each case below sets its own
  const { readWholeMany: _joined, ...single } = wrapSources(blobAccess, (s) => ({
    name: s.name,
    size: s.size,
    read: async (o, l) => {
      const out = await s.read(o, l);
      stats.reads += 1;
      stats.bytesRead += out.length;
      return out;
    },
  }));
  const access: FileAccess<Blob> = single;
  if (joined === 'join') access.readWholeMany = (blobs) => (joinedReads.push(blobs.length), blobAccess.readWholeMany!(blobs));
  if (joined === 'fail') access.readWholeMany = async (blobs) => (joinedReads.push(blobs.length), Promise.reject(new Error('NotReadableError')));
  return { access, stats, joinedReads };
}

describe('small files of several checkpoints in one read', () => {
  test('the same summaries as reading file by file, in far fewer reads', async () => {
    const one = counted('none');
    const byFile = await runPipeline(drop(), one.access);
    const many = counted('join');
    const joined = await runPipeline(drop(), many.access);
    expect(byFile.summaries).toHaveLength(3 * 5 + 3 * 4);
    expect(joined.summaries).toEqual(byFile.summaries);
    expect(joined.scalars).toEqual(byFile.scalars);
    expect(joined.findings).toEqual(byFile.findings);
    // every file of these checkpoints is small: each is read in a joined read, none on its own
    // (the event files are not part of a checkpoint and are still read on their own), except the
    // fixtures' own expected.json, which no convention claims and the analysis never opens
    const checkpointFiles = byFile.summaries.flatMap((s) => s.files.map((f) => f.path));
    const opened = checkpointFiles.filter((p) => !p.endsWith('/expected.json'));
    expect(opened.length).toBeLessThan(checkpointFiles.length);
    expect(many.joinedReads.reduce((a, n) => a + n, 0)).toBe(opened.length);
    expect(Math.max(...many.joinedReads)).toBeLessThanOrEqual(FILES_PER_JOINED_READ);
    expect(many.stats.reads).toBe(byFile.scalars.length);
    expect(many.joinedReads.length + many.stats.reads).toBeLessThan(one.stats.reads / 3);
  });

  test('a joined read that fails: each file is read on its own, with the same result', async () => {
    const byFile = await runPipeline(drop(), counted('none').access);
    const failing = counted('fail');
    const r = await runPipeline(drop(), failing.access);
    expect(failing.joinedReads.length).toBeGreaterThan(0);
    expect(r.summaries).toEqual(byFile.summaries);
  });

  test('a file cut short after the drop still gets its own problem, naming it', async () => {
    const files = drop();
    const i = files.findIndex((f) => f.path === 'hf_1/checkpoint-200/trainer_state.json');
    // the Blob is shorter than the size the drop listed (the file changed on disk)
    files[i] = { ...files[i], handle: files[i].handle.slice(0, 100) };
    const r = await runPipeline(files, counted('join').access);
    const hit = r.summaries.find((s) => s.path === 'hf_1/checkpoint-200');
    expect(hit?.problems.map((p) => [p.file, p.code])).toEqual([['hf_1/checkpoint-200/trainer_state.json', 'bad-json']]);
    const clean = r.summaries.find((s) => s.path === 'hf_1/checkpoint-300');
    expect(clean?.problems).toEqual([]);
  });
});

/**
 * Blob access where every read of `path` rejects with `error` (as a browser read of a File that
 * changed or went after it was chosen does); joined reads fail for the group holding it, so the
 * file is read on its own.
 */
function failingAccess(path: string, error: DOMException): FileAccess<Blob> {
  return {
    ...wrapSources(blobAccess, (s) => (s.name !== path ? s : { name: s.name, size: s.size, read: () => Promise.reject(error) })),
    readWholeMany: (blobs) => Promise.reject(new Error(`joined read of ${blobs.length} files failed`)),
  };
}

test('a file that changed after it was chosen says so (NotReadableError), and the rest is read', async () => {
  const changed = 'enstack_0/best_model/training_state.pth';
  const error = new DOMException('The requested file could not be read, typically due to permission problems that have occurred after a reference to a file was acquired.', 'NotReadableError');
  const r = await runPipeline(drop(), failingAccess(changed, error));
  const hit = r.summaries.find((s) => s.path === 'enstack_0/best_model');
  expect(hit?.problems.map((p) => [p.file, p.message])).toEqual([[changed, expect.stringContaining('it changed, moved or lost its read permission after it was chosen')]]);
  expect(hit?.safety?.mayRunCode).toBe(true);
  expect(r.summaries.find((s) => s.path === 'enstack_0/last_checkpoint')?.problems).toEqual([]);
});

test('a torch file that cannot be read at all (removed after the drop) is never called safe: its imports are unknown', async () => {
  const gone = 'hf_2/checkpoint-300/training_args.bin';
  const r = await runPipeline(drop(), failingAccess(gone, new DOMException('A requested file could not be found', 'NotFoundError')));
  const hit = r.summaries.find((s) => s.path === 'hf_2/checkpoint-300');
  expect(hit?.problems.map((p) => p.file)).toEqual([gone]);
  // the browser's DOMException in words, not its text
  expect(hit?.problems[0].message).toContain('it was removed after it was chosen');
  expect(hit?.safety?.verdict).toBe('unknown');
  expect(hit?.safety?.mayRunCode).toBe(true);
  const clean = r.summaries.find((s) => s.path === 'hf_2/checkpoint-200');
  expect(clean?.safety?.mayRunCode).toBe(false);
});

describe('SmallFileBatches', () => {
  const plan = (id: string, files: string[]): CheckpointPlan => ({ id, name: id, path: id, convention: 'x', files: files.map((path) => ({ path, role: 'x' })) });
  const sizes: Record<string, number> = { 'a/1': 10, 'a/2': 20, 'b/1': 5, 'big/1': 10 * 1024 * 1024, 'c/1': 7 };

  test('groups checkpoints in plan order, skips large files, and lets a group go once all its checkpoints are done', async () => {
    const asked: string[][] = [];
    const batches = new SmallFileBatches<string>(
      [plan('a', ['a/1', 'a/2']), plan('big', ['big/1']), plan('b', ['b/1']), plan('c', ['c/1'])],
      (p) => (p in sizes ? { handle: p, size: sizes[p] } : undefined),
      async (handles) => (asked.push([...handles]), handles.map((h) => new Uint8Array(sizes[h]).fill(h.charCodeAt(0)))),
    );
    expect(batches.groupCount).toBe(1);
    expect((await batches.take(1)).size).toBe(0);
    const a = await batches.take(0);
    expect([...a.keys()]).toEqual(['a/1', 'a/2', 'b/1', 'c/1']);
    expect(a.get('a/2')).toEqual(new Uint8Array(20).fill(97));
    expect(asked).toEqual([['a/1', 'a/2', 'b/1', 'c/1']]);
    for (const i of [0, 2, 3]) batches.release(i);
    expect((await batches.take(2)).size).toBe(0);
    expect(asked).toHaveLength(1);
  });

  test(`at most ${FILES_PER_JOINED_READ} files per read; asking for one group starts the next ${READ_AHEAD_GROUPS}`, async () => {
    const many = Array.from({ length: 40 }, (_, i) => plan(`k${i}`, [`k${i}/x`, `k${i}/y`]));
    const asked: number[] = [];
    const batches = new SmallFileBatches<string>(many, () => ({ handle: 'h', size: 1 }), async (h) => (asked.push(h.length), h.map(() => new Uint8Array(1))));
    expect(batches.groupCount).toBe(Math.ceil(80 / FILES_PER_JOINED_READ));
    await batches.take(0);
    expect(asked).toEqual([FILES_PER_JOINED_READ, FILES_PER_JOINED_READ, 80 - 2 * FILES_PER_JOINED_READ].slice(0, READ_AHEAD_GROUPS + 1));
    await batches.take(39);
    expect(asked).toHaveLength(3);
  });
});
