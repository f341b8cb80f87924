/**
 * PyTorch Lightning reader against real .ckpt files: the project's own fixtures (an end-of-epoch
 * and a mid-epoch save written with real PyTorch), and when ../shared exists the outside fixture
 * and real-world Lightning 2.4 checkpoints with `mps` storages. Every field of each
 * expected.json is compared.
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileSource } from '../src/node/fileSource';
import { loadTorchFile } from '../src/core/torch/loadTorchFile';
import { lightningPosition, readLightning, isLightningCheckpoint, type LightningSummary } from '../src/core/conventions/lightning/readLightning';
import type { PlainValue } from '../src/core/conventions/plainValues';

const OWN = join(__dirname, '..', 'fixtures', 'lightning');
const SHARED = join(__dirname, '..', '..', 'shared');
const SHARED_CKPT = join(SHARED, 'fixtures', 'lightning', 'epoch=3-step=400.ckpt');
const LSTM = join(SHARED, 'realworld', 'lightning_lstm');

type Json = Record<string, unknown>;

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

async function readCkpt(path: string): Promise<LightningSummary> {
  const src = await openFileSource(path);
  try {
    const tf = await loadTorchFile(src);
    expect(isLightningCheckpoint(tf.value)).toBe(true);
    return await readLightning(src, tf);
  } finally {
    await src.close();
  }
}

function hyperParameters(s: LightningSummary): Record<string, unknown> {
  return Object.fromEntries(s.hyperParameters.map((f) => [f.key, f.value]));
}

/** Compare with an own fixture's expected.json (what torch.load returned); fails on unknown keys. */
function compareOwn(s: LightningSummary, expected: Json): void {
  const mc = s.modelCheckpoints.find((c) => c.monitor === expected.monitor);
  const actual: Record<string, () => unknown> = {
    kind: () => s.kind,
    epoch: () => s.epoch,
    global_step: () => s.globalStep,
    lightning_version: () => s.lightningVersion,
    batches_done_in_epoch: () => s.position.batchesDoneInEpoch,
    batch_progress_current: () => s.batchProgress?.current,
    is_last_batch: () => s.batchProgress?.isLastBatch,
    epochs_completed: () => s.position.epochsCompleted,
    batches_that_stepped: () => s.batchesThatStepped,
    epoch_finished: () => s.position.epochFinished,
    resume: () => s.position.resume,
    monitor: () => s.monitor,
    best_model_score: () => (s.bestModelScore === undefined ? undefined : Math.round(s.bestModelScore * 1e6) / 1e6),
    best_model_score_float32: () => s.bestModelScore,
    best_model_path: () => s.bestModelPath,
    early_stopping_wait_count: () => s.earlyStopping[0]?.waitCount,
    optimizer_steps: () => s.optimizers[0]?.steps,
    optimizer_param_states: () => s.optimizers[0]?.paramStates,
    scheduler_last_epoch: () => s.schedulers[0]?.lastEpoch,
    model_parameters: () => s.model?.parameters,
    hyper_parameters: () => hyperParameters(s),
    pickle_protocol: () => s.file.pickleProtocol,
  };
  const unknown = Object.keys(expected).filter((k) => !(k in actual));
  expect(unknown, 'expected.json keys the test does not compare').toEqual([]);
  for (const [key, value] of Object.entries(expected)) expect.soft(actual[key](), key).toEqual(value);
  expect(mc?.bestModelScore).toBe(s.bestModelScore);
}

/**
 * Structural match of plain data against a realworld expected.json summary, where `{keys: n}`
 * stands for "a dict with n keys".
 */
function matchShape(actual: PlainValue | undefined, expected: unknown, path: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    const e = expected as Json;
    expect(actual !== null && typeof actual === 'object' && !Array.isArray(actual), path).toBe(true);
    const a = actual as { [key: string]: PlainValue };
    if (Object.keys(e).length === 1 && typeof e.keys === 'number') {
      expect(Object.keys(a).length, path).toBe(e.keys);
      return;
    }
    expect(Object.keys(a), path).toEqual(Object.keys(e));
    for (const k of Object.keys(e)) matchShape(a[k], e[k], `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

/** Compare with a realworld `<file>.expected.json` (`summary` of what torch.load returned). */
function compareRealworld(s: LightningSummary, expected: { loads: boolean; summary: Json }): void {
  const e = expected.summary;
  expect(expected.loads).toBe(true);
  expect(s.keys).toEqual(Object.keys(e));
  const handled = new Set<string>();
  const check = (key: string, f: () => void): void => {
    handled.add(key);
    f();
  };
  check('epoch', () => expect(s.epoch).toBe(e.epoch));
  check('global_step', () => expect(s.globalStep).toBe(e.global_step));
  check('pytorch-lightning_version', () => expect(s.lightningVersion).toBe(e['pytorch-lightning_version']));
  check('state_dict', () => {
    const sd = e.state_dict as Record<string, { tensor: string; shape: number[]; value?: number }>;
    expect(s.stateDict.map((t) => t.name)).toEqual(Object.keys(sd));
    for (const t of s.stateDict) {
      const want = sd[t.name];
      expect({ tensor: t.dtype, shape: t.shape }, t.name).toEqual({ tensor: want.tensor, shape: want.shape });
      if (want.value !== undefined) expect(t.value, t.name).toBe(want.value);
    }
    expect(s.model?.tensors).toBe(Object.keys(sd).length);
    expect(s.model?.parameters).toBe(Object.values(sd).reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0));
  });
  check('loops', () => matchShape(s.loops, e.loops, 'loops'));
  check('callbacks', () => {
    const cbs = e.callbacks as Record<string, Record<string, unknown>>;
    expect(s.modelCheckpoints.map((c) => c.key)).toEqual(Object.keys(cbs));
    for (const mc of s.modelCheckpoints) {
      const want = cbs[mc.key];
      const value = (x: unknown): unknown => (x as { value: number }).value;
      expect(mc.monitor).toBe(want.monitor);
      expect(mc.bestModelScore).toBe(value(want.best_model_score));
      expect(mc.bestModelPath).toBe(want.best_model_path);
      expect(mc.currentScore).toBe(value(want.current_score));
      expect(mc.dirpath).toBe(want.dirpath);
      expect(Object.fromEntries(mc.bestKModels.map((b) => [b.path, b.score]))).toEqual(
        Object.fromEntries(Object.entries(want.best_k_models as Record<string, unknown>).map(([p, t]) => [p, value(t)])),
      );
      expect(mc.kthBestModelPath).toBe(want.kth_best_model_path);
      expect(mc.kthValue).toBe(value(want.kth_value));
      expect(mc.lastModelPath).toBe(want.last_model_path);
      expect(Object.keys(want).sort()).toEqual(
        ['monitor', 'best_model_score', 'best_model_path', 'current_score', 'dirpath', 'best_k_models', 'kth_best_model_path', 'kth_value', 'last_model_path'].sort(),
      );
    }
  });
  check('optimizer_states', () => {
    const opts = e.optimizer_states as { state: Record<string, { keys: number }>; param_groups: { keys: number }[] }[];
    expect(s.optimizers).toHaveLength(opts.length);
    opts.forEach((o, i) => {
      const a = s.optimizers[i];
      expect(a.paramStates).toBe(Object.keys(o.state).length);
      expect(a.stateKeys).toHaveLength(Object.values(o.state)[0].keys);
      expect(a.paramGroups).toBe(o.param_groups.length);
      expect(a.paramGroupKeys).toHaveLength(o.param_groups[0].keys);
      expect(a.steps).toBe(e.global_step);
    });
  });
  check('lr_schedulers', () => expect(s.schedulers).toHaveLength((e.lr_schedulers as unknown[]).length));
  check('hparams_name', () => expect(s.hparamsName).toBe(e.hparams_name));
  check('hyper_parameters', () => {
    const hp = e.hyper_parameters as Json;
    expect(s.hyperParameters.map((f) => f.key)).toEqual(Object.keys(hp));
    for (const f of s.hyperParameters) {
      const want = hp[f.key];
      if (want !== null && typeof want === 'object') {
        // {"object": "builtins.function"}: a function reference, shown as text and never called
        expect(f.rendered, f.key).toBe(true);
        expect(f.value, f.key).toMatch(/^<[\w.]+>$/);
      } else {
        expect(f, f.key).toEqual({ key: f.key, value: want, rendered: false });
      }
    }
  });
  expect(Object.keys(e).filter((k) => !handled.has(k)), 'summary keys the test does not compare').toEqual([]);
}

describe('own fixtures: fixtures/lightning', () => {
  const files = readdirSync(OWN).filter((n) => n.endsWith('.ckpt')).sort();
  test('the fixture script produced an end-of-epoch and a mid-epoch checkpoint', () => expect(files).toEqual(['epoch=5-step=750.ckpt', 'epoch=6-step=800.ckpt']));
  for (const name of files) {
    test(`${name}: every field of expected.json`, async () => {
      const s = await readCkpt(join(OWN, name));
      expect(s.problems).toEqual([]);
      compareOwn(s, readJson(join(OWN, `${name}.expected.json`)));
    });
  }

  test('end-of-epoch save: Lightning reading, callbacks, optimizer and scheduler', async () => {
    const s = await readCkpt(join(OWN, 'epoch=5-step=750.ckpt'));
    expect(s.hasLoops).toBe(true);
    expect(s.position).toMatchObject({ savedAt: 'epoch-end', epochFinished: true, resumeEpoch: 6, resumeAfterBatch: 0 });
    expect(s.position.explanation).toContain('epoch_progress.current.processed (6) > completed (5)');
    expect(s.epochProgress?.current).toEqual({ ready: 6, started: 6, processed: 6, completed: 5 });
    expect(s.modelCheckpoints).toHaveLength(2);
    const [best, steps] = s.modelCheckpoints;
    expect(best).toMatchObject({ monitor: 'val_f1', mode: 'max', dirpath: 'ckpts', kthBestModelPath: 'ckpts/epoch=3-step=500.ckpt', lastModelPath: '' });
    expect(best.bestKModels.map((b) => b.path)).toEqual(['ckpts/epoch=3-step=500.ckpt', 'ckpts/epoch=5-step=750.ckpt']);
    expect(best.bestKModels[0].score).toBeCloseTo(0.7012, 6);
    expect(best.currentScore).toBeCloseTo(0.7431, 6);
    expect(steps).toMatchObject({ monitor: undefined, bestModelScore: undefined, currentScore: undefined, kthValue: Infinity, bestKModels: [] });
    expect(s.earlyStopping).toEqual([
      { key: "EarlyStopping{'monitor': 'val_loss', 'mode': 'min'}", monitor: 'val_loss', mode: 'min', waitCount: 1, stoppedEpoch: 0, bestScore: expect.closeTo(0.5123, 6) as number, patience: 3 },
    ]);
    expect(s.optimizers[0].stateKeys).toEqual(['step', 'exp_avg', 'exp_avg_sq']);
    expect(s.schedulers[0].fields).toMatchObject({ step_size: 2, gamma: 0.5, last_epoch: 5 });
    expect(s.stateDict.map((t) => t.name)).toEqual(['model.0.weight', 'model.0.bias', 'model.2.weight', 'model.2.bias']);
    expect(s.devices).toEqual(['cpu']);
    expect(s.warnings).toEqual([]);
    expect(() => structuredClone(s)).not.toThrow();
  });

  test('mid-epoch save: continues the same epoch after the processed batches', async () => {
    const s = await readCkpt(join(OWN, 'epoch=6-step=800.ckpt'));
    expect(s.position).toMatchObject({ savedAt: 'mid-epoch', epochFinished: false, resumeEpoch: 6, resumeAfterBatch: 50, epochsCompleted: 6 });
    expect(s.position.explanation).toContain('completed 49');
  });
});

// The branches no real fixture reaches (between-epoch saves, Lightning < 1.5 files without loops,
// a save inside the last batch's hooks), on the counter patterns Lightning's progress.py produces.
describe('Lightning reading of the counters (lightningPosition)', () => {
  const t = (ready: number, started: number, processed: number, completed: number) => ({ ready, started, processed, completed });
  test('between epochs, and Lightning 1.x checkpoints without loops', () => {
    const between = lightningPosition(4, { total: t(4, 4, 4, 4), current: t(4, 4, 4, 4) }, { total: t(0, 0, 0, 0), current: t(0, 0, 0, 0), isLastBatch: false });
    expect(between).toMatchObject({ savedAt: 'between-epochs', resumeEpoch: 4, resume: 'start epoch 4 (0-based)' });
    const old = lightningPosition(3, undefined, undefined);
    expect(old).toMatchObject({ savedAt: 'unknown', resumeEpoch: 3, resume: 'start epoch 3 (0-based)', batchesDoneInEpoch: undefined });
    const lastBatchHooks = lightningPosition(2, { total: t(3, 3, 2, 2), current: t(3, 3, 2, 2) }, { total: t(300, 300, 300, 299), current: t(100, 100, 100, 99), isLastBatch: true });
    expect(lastBatchHooks).toMatchObject({ savedAt: 'epoch-end', resumeEpoch: 3, batchesDoneInEpoch: 100 });
  });
});

describe.skipIf(!existsSync(SHARED_CKPT))('shared fixture: ../shared/fixtures/lightning/epoch=3-step=400.ckpt', () => {
  test('every field of expected.json', async () => {
    const s = await readCkpt(SHARED_CKPT);
    const e = readJson(`${SHARED_CKPT}.expected.json`);
    expect(Object.keys(e).sort()).toEqual(['batches_done_in_epoch', 'best_model_score', 'epoch', 'global_step', 'kind', 'monitor']);
    expect(s.problems).toEqual([]);
    expect(s.kind).toBe(e.kind);
    expect(s.epoch).toBe(e.epoch);
    expect(s.globalStep).toBe(e.global_step);
    expect(s.position.batchesDoneInEpoch).toBe(e.batches_done_in_epoch);
    expect(s.bestModelScore).toBeCloseTo(e.best_model_score as number, 4);
    expect(s.monitor).toBe(e.monitor);
    // epoch 3 had started (ready 4) with no batch done: a resume starts it from its first batch
    expect(s.position).toMatchObject({ savedAt: 'epoch-start', resumeEpoch: 3, resume: 'start epoch 3 (0-based)' });
  });
});

describe.skipIf(!existsSync(LSTM))('real world: ../shared/realworld/lightning_lstm', () => {
  const files = existsSync(LSTM) ? readdirSync(LSTM).filter((n) => n.endsWith('.ckpt')).sort() : [];
  test('both checkpoints are present', () => expect(files).toEqual(['last.ckpt', 'lstm-epoch=07-train_loss=0.7051.ckpt']));
  for (const name of files) {
    test(`${name}: every field of expected.json`, async () => {
      const s = await readCkpt(join(LSTM, name));
      expect(s.problems).toEqual([]);
      compareRealworld(s, readJson(join(LSTM, `${name}.expected.json`)) as { loads: boolean; summary: Json });
      expect(s.devices).toEqual(['mps']);
      expect(s.warnings.some((w) => w.includes('mps') && w.includes("map_location='cpu'"))).toBe(true);
      expect(s.position.savedAt).toBe('epoch-end');
      expect(s.position.resumeEpoch).toBe((s.epoch ?? 0) + 1);
    });
  }
});
