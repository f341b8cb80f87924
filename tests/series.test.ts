/**
 * History series on the common epoch axis, from real fixtures: per-checkpoint best metrics of the
 * run folder, its TensorBoard scalars (epoch tags by epoch, step tags by global step / batches per
 * epoch), and a Hugging Face trainer_state.json log_history.
 */
import { describe, expect, test } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSeries } from '../src/core/history/series';
import { readEventFile } from '../src/core/tensorboard/eventFile';
import { bytesSource } from '../src/core/bytes/byteSource';
import { analyzeFolder, OWN } from './support/fixtures';

describe('series', () => {
  test('run folder: checkpoints and TensorBoard on one axis', async () => {
    const dir = join(OWN, 'enstack_run');
    const { summaries } = await analyzeFolder(dir);
    const logs = join(dir, 'logs');
    const name = readdirSync(logs)[0];
    const scalars = await readEventFile(bytesSource(new Uint8Array(readFileSync(join(logs, name))), name));
    const series = buildSeries(summaries, { [name]: scalars });
    const f1 = series.find((s) => s.id === 'ckpt:best_val_f1')!;
    expect(f1.points.length).toBe(summaries.length);
    // last_checkpoint: epoch 2 step 800 of 900 -> 1 + 800/900 epochs
    const last = f1.points.find((p) => p.label === 'last_checkpoint')!;
    const s = summaries.find((x) => x.name === 'last_checkpoint')!;
    expect(last.x).toBeCloseTo(s.progress!.epoch - 1 + s.progress!.step / s.progress!.totalBatches!, 10);
    expect(last.y).toBe(s.bestValF1);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { tensorboard_scalars: Record<string, [number, number][]>; total_batches: number };
    for (const [tag, pts] of Object.entries(expected.tensorboard_scalars)) {
      const tb = series.find((x) => x.name === `${tag} (TensorBoard)`)!;
      expect(tb.points.length, tag).toBe(pts.length);
      const byEpoch = tag.startsWith('Epoch/');
      expect(tb.points[0].x).toBeCloseTo(byEpoch ? pts[0][0] : pts[0][0] / expected.total_batches, 10);
      expect(tb.points[0].y).toBeCloseTo(pts[0][1], 6);
    }
  });

  test('Hugging Face log_history', async () => {
    const dir = join(OWN, 'hf_trainer', 'checkpoint-700');
    const { summaries } = await analyzeFolder(dir);
    const series = buildSeries(summaries, {});
    const state = JSON.parse(readFileSync(join(dir, 'trainer_state.json'), 'utf8').replace(/-Infinity|NaN/g, 'null')) as { log_history: { eval_f1?: number; epoch: number }[] };
    const evals = state.log_history.filter((e) => e.eval_f1 !== undefined);
    const f1 = series.find((x) => x.name.startsWith('eval_f1'))!;
    expect(f1.points.map((p) => [p.x, p.y])).toEqual(evals.map((e) => [e.epoch, e.eval_f1]));
    expect(series.find((x) => x.name.startsWith('loss'))!.points.length).toBe(state.log_history.filter((e) => 'loss' in e && typeof (e as { loss?: unknown }).loss === 'number').length);
  });

  test('Hugging Face: the checkpoints of a run repeat one log_history, drawn once per run; runs stay apart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ckptview-series-'));
    for (const run of ['run_a', 'run_b']) for (const step of [350, 700]) cpSync(join(OWN, 'hf_trainer', 'checkpoint-700'), join(root, run, `checkpoint-${step}`), { recursive: true });
    const { summaries } = await analyzeFolder(root);
    expect(summaries).toHaveLength(4);
    const series = buildSeries(summaries, {});
    const state = JSON.parse(readFileSync(join(OWN, 'hf_trainer', 'checkpoint-700', 'trainer_state.json'), 'utf8').replace(/-Infinity|NaN/g, 'null')) as { log_history: { eval_f1?: number; epoch: number; step: number }[] };
    const evals = state.log_history.filter((e) => e.eval_f1 !== undefined);
    const f1 = series.filter((x) => x.name.startsWith('eval_f1'));
    // one eval_f1 series per run, each with every logged evaluation once (not once per checkpoint)
    expect(f1.map((x) => x.run?.label).sort()).toEqual(['run_a', 'run_b']);
    for (const x of f1) expect(x.points.map((p) => [p.x, p.y])).toEqual(evals.map((e) => [e.epoch, e.eval_f1]));
    expect(f1.map((x) => x.name).sort()).toEqual(['eval_f1 (run_a trainer_state)', 'eval_f1 (run_b trainer_state)']);
    // every series names its run
    expect(series.every((x) => x.run !== undefined)).toBe(true);
  });

  test('history dicts of two runs are two series each, named by run (Ultralytics, two copies of one run)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ckptview-series-yolo-'));
    for (const run of ['train', 'train2']) cpSync(join(OWN, 'ultralytics', 'runs', 'detect', 'train'), join(root, run), { recursive: true });
    const { summaries } = await analyzeFolder(root);
    const series = buildSeries(summaries, {});
    const history = series.filter((x) => x.source === 'history');
    const metrics = new Set(history.map((x) => x.id.split(':').pop()));
    expect(metrics.size).toBeGreaterThan(0);
    // every metric once per run, each naming its run
    expect(history).toHaveLength(metrics.size * 2);
    expect(new Set(history.map((x) => x.run?.label))).toEqual(new Set(['train/weights', 'train2/weights']));
    for (const x of history) expect(x.name).toContain(`${x.run?.label} history`);
  });
});

