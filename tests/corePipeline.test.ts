/**
 * The one pipeline (src/core/pipeline) that the worker and the CLI share: the EnStack run fixture
 * as a folder and as a zipped folder (stored and deflated entries), through Blobs (the worker) and
 * through files on disk (the CLI), gives the same checkpoints, the event file's scalars as
 * expected.json has them, and the findings; events arrive in order; cancelling stops between
 * checkpoints.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { blobAccess } from '../src/core/pipeline/blobAccess';
import { runPipeline } from '../src/core/pipeline/runPipeline';
import type { InputFile, PipelineEvent } from '../src/core/pipeline/types';
import { analyzeInputs } from '../src/cli/analyzeInputs';
import { collectInputs } from '../src/cli/collectInputs';
import { analyzeDrop, MessageBatcher } from '../src/worker/analyzeDrop';
import { SUMMARY_BATCH_MS, type WorkerResponse } from '../src/worker/protocol';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { OWN, walk } from './support/fixtures';

const RUN = join(OWN, 'enstack_run');
const expected = JSON.parse(readFileSync(join(RUN, 'expected.json'), 'utf8')) as {
  checkpoints: string[];
  event_file: string;
  file_version: string;
  tensorboard_scalars: Record<string, [number, number][]>;
};

/** The run folder's files as a drop of Blobs (paths relative to the folder's parent). */
function folderDrop(): InputFile<Blob>[] {
  return walk(RUN).map((p) => {
    const bytes = readFileSync(p);
    return { path: relative(OWN, p), size: bytes.length, handle: new Blob([bytes]) };
  });
}

/** The run folder zipped: model weights stored, everything else deflated (as Drive does both). */
function zippedRun(): Uint8Array {
  const tree: Zippable = {};
  for (const p of walk(RUN)) tree[relative(OWN, p)] = [new Uint8Array(readFileSync(p)), { level: p.endsWith('.safetensors') ? 0 : 6 }];
  return zipSync(tree);
}

const names = (r: { summaries: { name: string }[] }): string[] => r.summaries.map((s) => s.name).sort();

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptview-pipeline-'));
  writeFileSync(join(dir, 'enstack_run.zip'), zippedRun());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runPipeline', () => {
  test('a folder of Blobs: events in order, every checkpoint, the event file, the findings', async () => {
    const events: PipelineEvent<Blob>[] = [];
    const r = await runPipeline(folderDrop(), blobAccess, (e) => events.push(e));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('plan');
    expect(types.slice(-2)).toEqual(['findings', 'done']);
    expect(types.filter((t) => t === 'summary')).toHaveLength(expected.checkpoints.length);
    expect(names(r)).toEqual([...expected.checkpoints].sort());
    expect(r.summaries.every((s) => s.problems.length === 0)).toBe(true);
    expect(r.scalars.map((s) => s.path)).toEqual([`enstack_run/${expected.event_file}`]);
    const tb = r.scalars[0].scalars;
    expect(tb.fileVersion).toBe(expected.file_version);
    for (const [tag, points] of Object.entries(expected.tensorboard_scalars)) {
      expect(tb.series[tag].map((p) => p.step)).toEqual(points.map(([step]) => step));
      tb.series[tag].forEach((p, i) => expect(p.value).toBeCloseTo(points[i][1], 5));
    }
    expect(r.findings.map((f) => f.severity)).toEqual(['error', 'warning', 'warning', 'info']);
    expect(r.findings.find((f) => f.severity === 'info')?.sentence).toContain('Resuming from last_checkpoint will continue epoch 2 from step 800');
  });

  test('a zipped folder reads like the folder (Blobs, as in the worker)', async () => {
    const folder = await runPipeline(folderDrop(), blobAccess);
    const bytes = readFileSync(join(dir, 'enstack_run.zip'));
    const zipped = await runPipeline([{ path: 'enstack_run.zip', size: bytes.length, handle: new Blob([bytes]) }], blobAccess);
    expect(zipped.files.map((f) => f.path).sort()).toEqual(folder.files.map((f) => f.path).sort());
    expect(zipped.summaries.map((s) => [s.name, s.progress?.epoch, s.progress?.step, s.bestValF1])).toEqual(folder.summaries.map((s) => [s.name, s.progress?.epoch, s.progress?.step, s.bestValF1]));
    expect(zipped.findings.map((f) => f.title)).toEqual(folder.findings.map((f) => f.title));
    expect(zipped.scalars[0].scalars.records).toBe(folder.scalars[0].scalars.records);
  });

  test('cancelled between checkpoints: no further summaries, no findings', async () => {
    let seen = 0;
    // one lane: no checkpoint is started once cancelled (with more lanes, those already started finish)
    const r = await runPipeline(folderDrop(), blobAccess, (e) => void (e.type === 'summary' && seen++), { isCancelled: () => seen >= 2, concurrency: 1 });
    expect(r.cancelled).toBe(true);
    expect(r.summaries).toHaveLength(2);
    expect(r.scalars).toEqual([]);
    expect(r.findings).toEqual([]);
  });

  test('an archive that is not a zip becomes one unreadable row', async () => {
    const r = await runPipeline([{ path: 'broken.zip', size: 5, handle: new Blob(['hello']) }], blobAccess);
    expect(r.summaries.map((s) => [s.name, s.kind, s.problems.length])).toEqual([['broken.zip', 'unreadable', 1]]);
    // named .zip, but neither starts nor ends like one: not called a cut-short download
    expect(r.summaries[0].problems.map((p) => p.code)).toEqual(['bad-zip']);
    expect(r.summaries[0].problems[0].message).toMatch(/not a zip archive/);
  });
});

describe('the CLI and the worker run it', () => {
  test('the CLI reads the zipped folder from disk: checkpoints, scalars, findings', async () => {
    const zip = join(dir, 'enstack_run.zip');
    const r = await analyzeInputs(collectInputs([zip]));
    expect(names(r)).toEqual([...expected.checkpoints].sort());
    expect(r.files.some((f) => f.path === `enstack_run/${expected.event_file}`)).toBe(true);
    expect(Object.keys(r.scalars[0].scalars.series)).toEqual(Object.keys(expected.tensorboard_scalars));
    expect(r.findings.map((f) => f.severity)).toEqual(['error', 'warning', 'warning', 'info']);
    // named as the page names a dropped zip: the archive's top folder, not the folder it sits in
    expect(r.summaries.find((s) => s.name === 'last_checkpoint')?.path).toBe('enstack_run/last_checkpoint');
  });

  test('the batcher gathers summaries for SUMMARY_BATCH_MS and posts them before any other message', () => {
    let clock = 0;
    const out: WorkerResponse[] = [];
    const b = new MessageBatcher(3, (m) => out.push(m), () => clock);
    const summary = (id: string): CheckpointSummary => ({ id, name: id, path: id, kind: 'generic', files: [], totalBytes: 0, problems: [], warnings: [], repair: { eligible: false, reason: 'test' } }) as CheckpointSummary;
    b.take({ type: 'summary', summary: summary('a') });
    clock = SUMMARY_BATCH_MS - 1;
    b.take({ type: 'summary', summary: summary('b') });
    expect(out).toHaveLength(0);
    clock = SUMMARY_BATCH_MS;
    b.take({ type: 'summary', summary: summary('c') });
    expect(out.map((m) => (m.type === 'summaries' ? m.summaries.map((s) => s.id).join() : m.type))).toEqual(['a,b,c']);
    b.take({ type: 'summary', summary: summary('d') });
    b.take({ type: 'done', elapsedMs: 1, cancelled: false });
    expect(out.map((m) => (m.type === 'summaries' ? m.summaries.map((s) => s.id).join() : m.type))).toEqual(['a,b,c', 'd', 'done']);
  });

  test('a summary held is posted after SUMMARY_BATCH_MS even when nothing follows it (a slow file next)', async () => {
    const out: WorkerResponse[] = [];
    const b = new MessageBatcher(4, (m) => out.push(m));
    b.take({ type: 'summary', summary: { id: 'a', name: 'a', path: 'a', kind: 'generic', files: [], totalBytes: 0, problems: [], warnings: [], repair: { eligible: false, reason: 'test' } } as CheckpointSummary });
    expect(out).toHaveLength(0);
    await new Promise((r) => setTimeout(r, SUMMARY_BATCH_MS + 50));
    expect(out.map((m) => m.type)).toEqual(['summaries']);
  });

  test("a dropped zip's plan carries the files taken out of it (the page holds only the archive)", async () => {
    const messages: WorkerResponse[] = [];
    const zip = new Blob([zippedRun() as Uint8Array<ArrayBuffer>]);
    await analyzeDrop(8, [{ path: 'enstack_run.zip', file: zip }], (m) => messages.push(m));
    const plan = messages[0];
    if (plan.type !== 'plan') throw new Error('no plan');
    const inside = walk(RUN).map((p) => relative(OWN, p));
    expect(plan.files.map((f) => f.path).sort()).toEqual([...inside].sort());
    expect(plan.files.every((f) => f.file instanceof Blob && f.file.size === f.size)).toBe(true);
  });

  test('the worker forwards the events as its messages, without findings', async () => {
    const messages: WorkerResponse[] = [];
    const dropped = folderDrop().map((f) => ({ path: f.path, file: f.handle }));
    await analyzeDrop(7, dropped, (m) => messages.push(m));
    expect(messages.every((m) => 'batch' in m && m.batch === 7)).toBe(true);
    const types = messages.map((m) => m.type);
    expect(types[0]).toBe('plan');
    expect(types.at(-1)).toBe('done');
    const summaries = messages.flatMap((m) => (m.type === 'summaries' ? m.summaries : []));
    expect(summaries.map((x) => x.name).sort()).toEqual([...expected.checkpoints].sort());
    // summaries come before the scalars and done (the batcher keeps the order of kinds)
    expect(types.lastIndexOf('summaries')).toBeLessThan(types.indexOf('scalars'));
    expect(types.filter((t) => t === 'scalars')).toHaveLength(1);
    const plan = messages[0];
    if (plan.type !== 'plan') throw new Error('no plan');
    // the page holds the files it dropped: the plan names them with their sizes, without the Blobs
    expect(plan.files.map((f) => [f.path, f.size])).toEqual(dropped.map((d) => [d.path, d.file.size]));
    expect(plan.files.some((f) => f.file)).toBe(false);
  });
});
