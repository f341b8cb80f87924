/**
 * Hugging Face Trainer reader against real checkpoint folders: the project's own fixture
 * (fixtures/hf_trainer/checkpoint-700, written with real PyTorch), and when ../shared exists the
 * outside fixture (checkpoint-500) and a real-world old-schema folder. Every field of each
 * expected.json is compared.
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileSource, type NodeFileSource } from '../src/node/fileSource';
import { parseTrainerState, readHfTrainer, type HfTrainerSummary } from '../src/core/conventions/hfTrainer/readHfTrainer';
import { summarizeSafetensors } from '../src/core/conventions/modelWeights';
import { readSafetensorsHeader } from '../src/core/safetensors/header';
import { bytesSource } from '../src/core/bytes/byteSource';
import { CheckpointFormatError } from '../src/core/errors';

const OWN = join(__dirname, '..', 'fixtures', 'hf_trainer', 'checkpoint-700');
const SHARED = join(__dirname, '..', '..', 'shared');
const SHARED_HF = join(SHARED, 'fixtures', 'hf_trainer', 'checkpoint-500');
const OLD_SCHEMA = join(SHARED, 'realworld', 'hf_old_schema', 'checkpoint-500');

type Json = Record<string, unknown>;

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

/** Open a checkpoint folder's files the way the page would, read it, close the files. */
async function readFolder(dir: string): Promise<HfTrainerSummary> {
  const names = readdirSync(dir);
  const opened: NodeFileSource[] = [];
  const open = async (name: string): Promise<NodeFileSource | undefined> => {
    if (!names.includes(name)) return undefined;
    const s = await openFileSource(join(dir, name));
    opened.push(s);
    return s;
  };
  try {
    const trainerState = await open('trainer_state.json');
    if (!trainerState) throw new Error(`no trainer_state.json in ${dir}`);
    const rngStates: NodeFileSource[] = [];
    for (const n of names.filter((x) => /^rng_state(_\d+)?\.pth$/.test(x)).sort()) rngStates.push((await open(n))!);
    return await readHfTrainer({
      trainerState,
      optimizer: await open('optimizer.pt'),
      scheduler: await open('scheduler.pt'),
      scaler: await open('scaler.pt'),
      rngStates,
      trainingArgs: await open('training_args.bin'),
      folderName: dir,
    });
  } finally {
    await Promise.all(opened.map((s) => s.close()));
  }
}

/** Elements in model.safetensors (read through the core's header reader). */
async function modelParameters(dir: string): Promise<number> {
  const src = await openFileSource(join(dir, 'model.safetensors'));
  try {
    return summarizeSafetensors('model.safetensors', await readSafetensorsHeader(src)).parameters;
  } finally {
    await src.close();
  }
}

/**
 * Compare a summary with an expected.json written from what Python returned (json.loads /
 * torch.load). Fails on any key of expected.json this mapping does not know.
 */
async function compareExpected(dir: string, s: HfTrainerSummary, expected: Json): Promise<void> {
  const fieldsOf = (): Record<string, unknown> => Object.fromEntries((s.trainingArgs?.fields ?? []).map((f) => [f.key, f.value]));
  const rng = s.rngStates.find((r) => r.file === 'rng_state.pth') ?? s.rngStates[0];
  const actual: Record<string, () => unknown | Promise<unknown>> = {
    kind: () => s.kind,
    global_step: () => s.globalStep,
    epoch: () => s.epoch,
    max_steps: () => s.maxSteps,
    num_train_epochs: () => s.numTrainEpochs,
    steps_per_epoch: () => s.stepsPerEpoch,
    epochs_completed: () => s.epochsCompleted,
    steps_into_epoch: () => s.stepsIntoEpoch,
    resume: () => s.resume?.text,
    best_metric: () => s.bestMetric,
    best_model_checkpoint: () => s.bestModelCheckpoint,
    eval_points: () => s.evalPoints.length,
    loss_points: () => s.lossPoints.length,
    log_history_non_finite: () => s.nonFinite,
    optimizer_steps: () => s.optimizer?.steps,
    optimizer_param_states: () => s.optimizer?.paramStates,
    optimizer_param_groups: () => s.optimizer?.paramGroups,
    scheduler_last_epoch: () => s.scheduler?.lastEpoch,
    scheduler_lr_lambdas: () => s.scheduler?.lrLambdas,
    scaler_scale: () => s.scaler?.scale,
    rng_state_keys: () => [...(rng?.keys ?? [])].sort(),
    training_args_class: () => s.trainingArgs?.className,
    // torch.load needs transformers importable because the pickle imports its classes: the reader
    // lists those imports and reads the fields without importing anything.
    training_args_note: () =>
      s.trainingArgs?.imports.includes('transformers.training_args.TrainingArguments') && s.trainingArgs.fields.length > 0
        ? expected.training_args_note
        : 'not read symbolically',
    training_args: () => {
      const f = fieldsOf();
      return Object.fromEntries(Object.keys(expected.training_args as Json).map((k) => [k, f[k]]));
    },
    model_parameters: () => modelParameters(dir),
    pickle_protocol: () => s.files.find((f) => f.role === 'optimizer')?.pickleProtocol,
  };
  const unknown = Object.keys(expected).filter((k) => !(k in actual));
  expect(unknown, 'expected.json keys the test does not compare').toEqual([]);
  for (const [key, value] of Object.entries(expected)) {
    expect.soft(await actual[key](), key).toEqual(value);
  }
}

describe('own fixture: fixtures/hf_trainer/checkpoint-700', () => {
  test('every field of expected.json', async () => {
    const s = await readFolder(OWN);
    expect(s.problems).toEqual([]);
    await compareExpected(OWN, s, readJson(join(OWN, 'expected.json')));
  });

  test('resume rule, eval history, files and the folder number', async () => {
    const s = await readFolder(OWN);
    expect(s.stepsPerEpochSource).toBe('max_steps / num_train_epochs');
    expect(s.resume).toMatchObject({ epochsTrained: 2, updateStepsIntoEpoch: 74, batchesToSkip: 74, epoch: 3, step: 74, finished: false });
    expect(s.resume?.sentence).toBe('resume skips 2 epochs and 74 batches: continues epoch 3 at step 74 of 313.');
    expect(s.resume?.trainerLog).toContain('  Will skip the first 2 epochs then the first 74 batches in the first epoch.');
    expect(s.progressPercent).toBe(23.6);
    expect(s.loggingSteps).toBe(50);
    expect(s.evalSteps).toBe(350);
    expect(s.saveSteps).toBe(350);
    expect(s.trainBatchSize).toBe(16);
    expect(s.bestGlobalStep).toBe(700);
    expect(s.bestMetricName).toBe('eval_f1');
    // eval points carry step, epoch and every eval metric, -Infinity included
    expect(s.evalPoints.map((p) => p.step)).toEqual([350, 700]);
    expect(s.evalPoints[0].metrics.eval_min_log_prob).toBe(-Infinity);
    expect(s.evalPoints[1].metrics).toMatchObject({ eval_f1: 0.7034, eval_accuracy: 0.7461, eval_loss: 0.6932 });
    expect(s.evalPoints[1].epoch).toBe(2.2364);
    expect(Number.isNaN(s.lossPoints[4].gradNorm)).toBe(true);
    expect(s.lossPoints.at(-1)?.step).toBe(700);
    // scheduler / scaler / rng details
    expect(s.scheduler?.stepCount).toBe(701);
    expect(s.scaler?.growthTracker).toBe(700);
    const rng = s.rngStates[0];
    expect(rng.python).toEqual({ version: 3, words: 625, gaussNext: null });
    expect(rng.numpy).toEqual({ algorithm: 'MT19937', keyDtype: 'uint32', keyShape: [624], pos: 624, hasGauss: 0, cachedGaussian: 0 });
    expect(rng.cpu).toEqual({ dtype: 'uint8', shape: [5056] });
    expect(rng.cuda).toBeUndefined();
    // training_args.bin: the dataclass fields, enums shown by value
    const ta = s.trainingArgs!;
    expect(ta.via).toBe('NEWOBJ');
    expect(ta).toMatchObject({ outputDir: 'out', learningRate: 2e-5, perDeviceTrainBatchSize: 16, numTrainEpochs: 3, gradientAccumulationSteps: 1, saveSteps: 350, seed: 42, evalStrategy: 'steps' });
    expect(ta.keys).toContain('lr_scheduler_type');
    expect(ta.fields.find((f) => f.key === 'report_to')).toEqual({ key: 'report_to', value: "['tensorboard']", rendered: true });
    expect(s.files.map((f) => f.role).sort()).toEqual(['optimizer', 'rng state', 'scaler', 'scheduler', 'training arguments']);
    expect(s.warnings.filter((w) => w.includes('folder'))).toEqual([]);
    // the summary is plain data
    expect(() => structuredClone(s)).not.toThrow();
  });

  test('a folder number that disagrees with global_step is flagged', async () => {
    const src = await openFileSource(join(OWN, 'trainer_state.json'));
    try {
      const s = await readHfTrainer({ trainerState: src, rngStates: [], folderName: 'out/checkpoint-600' });
      expect(s.warnings.some((w) => w.includes('checkpoint-600') && w.includes('global_step 700'))).toBe(true);
      // a missing optimizer / scheduler / scaler / args is not a problem, just absent
      expect(s.problems).toEqual([]);
      expect(s.optimizer).toBeUndefined();
      expect(s.resume?.text).toBe('skip 2 epochs and 74 batches (global_step 700)');
    } finally {
      await src.close();
    }
  });

  test('a damaged file becomes a problem naming it; the rest still reads', async () => {
    const src = await openFileSource(join(OWN, 'trainer_state.json'));
    const opt = readFileSync(join(OWN, 'optimizer.pt'));
    try {
      const s = await readHfTrainer({
        trainerState: src,
        optimizer: bytesSource(new Uint8Array(opt.subarray(0, opt.length >> 1)), 'checkpoint-700/optimizer.pt'),
        scheduler: bytesSource(new Uint8Array(0), 'checkpoint-700/scheduler.pt'),
        rngStates: [bytesSource(new TextEncoder().encode('<!DOCTYPE html><html>'), 'checkpoint-700/rng_state.pth')],
        trainingArgs: bytesSource(new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 1467\n'), 'checkpoint-700/training_args.bin'),
        folderName: 'checkpoint-700',
      });
      expect(s.problems.map((p) => p.file)).toEqual(['checkpoint-700/training_args.bin', 'checkpoint-700/optimizer.pt', 'checkpoint-700/scheduler.pt', 'checkpoint-700/rng_state.pth']);
      // each message names the cause torch.load would hit
      expect(s.problems.map((p) => p.code)).toEqual(['lfs-pointer', 'truncated', 'empty-file', 'html-page']);
      expect(s.globalStep).toBe(700);
      expect(s.epochsCompleted).toBe(2);
    } finally {
      await src.close();
    }
  });
});

describe('trainer_state.json parsing', () => {
  test('NaN, Infinity and -Infinity as Python writes them', () => {
    const st = parseTrainerState('{"global_step": 10, "epoch": 0.5, "best_metric": NaN, "log_history": [{"loss": Infinity, "step": 5}, {"eval_x": -Infinity}]}', 'trainer_state.json');
    expect(Number.isNaN(st.best_metric)).toBe(true);
    expect(st.nonFinite).toEqual(['best_metric = NaN', 'log_history[0].loss = Infinity', 'log_history[1].eval_x = -Infinity']);
    expect(st.logging_steps).toBeUndefined();
  });

  test('a syntax error is a bad-json CheckpointFormatError with line and column', () => {
    const text = readFileSync(join(OWN, 'trainer_state.json'), 'utf8');
    const broken = text.replace('"global_step": 700,', '"global_step": 700,,');
    const line = broken.slice(0, broken.indexOf(',,')).split('\n').length;
    let err: unknown;
    try {
      parseTrainerState(broken, 'checkpoint-700/trainer_state.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CheckpointFormatError);
    const fe = err as CheckpointFormatError;
    expect(fe.code).toBe('bad-json');
    expect(fe.file).toBe('checkpoint-700/trainer_state.json');
    expect(fe.message).toMatch(new RegExp(`line ${line}, column \\d+`));
    expect(fe.offset).toBe(new TextEncoder().encode(broken.slice(0, broken.indexOf(',,') + 1)).length);
  });

  test('readHfTrainer throws for a broken trainer_state.json (truncated save)', async () => {
    const text = readFileSync(join(OWN, 'trainer_state.json'));
    const cut = bytesSource(new Uint8Array(text.subarray(0, 200)), 'checkpoint-700/trainer_state.json');
    await expect(readHfTrainer({ trainerState: cut, rngStates: [], folderName: 'checkpoint-700' })).rejects.toMatchObject({ code: 'bad-json' });
    await expect(readHfTrainer({ trainerState: bytesSource(new Uint8Array(0), 'trainer_state.json'), rngStates: [], folderName: 'checkpoint-700' })).rejects.toMatchObject({ code: 'empty-file' });
    expect(() => parseTrainerState('[1, 2]', 'trainer_state.json')).toThrow(CheckpointFormatError);
  });
});

describe.skipIf(!existsSync(SHARED_HF))('shared fixture: ../shared/fixtures/hf_trainer/checkpoint-500', () => {
  test('every field of expected.json', async () => {
    const s = await readFolder(SHARED_HF);
    expect(s.problems).toEqual([]);
    const expected = readJson(join(SHARED_HF, 'expected.json'));
    await compareExpected(SHARED_HF, s, expected);
    // the values the issue names
    expect(s).toMatchObject({ epochsCompleted: 1, stepsIntoEpoch: 182, stepsPerEpoch: 318, bestMetric: 0.6572 });
    expect(s.optimizer?.steps).toBe(500);
    expect(s.evalPoints).toHaveLength(2);
    expect(s.resume?.text).toBe('skip 1 epoch and 182 batches (global_step 500)');
    expect(s.resume?.sentence).toBe('resume skips 1 epoch and 182 batches: continues epoch 2 at step 182 of 318.');
  });
});

describe.skipIf(!existsSync(OLD_SCHEMA))('real world: ../shared/realworld/hf_old_schema/checkpoint-500', () => {
  test('old schema (no logging_steps / eval_steps, no optimizer.pt) and per-file expected.json', async () => {
    const s = await readFolder(OLD_SCHEMA);
    const ts = readJson(join(OLD_SCHEMA, 'trainer_state.json'));
    expect(s.problems).toEqual([]);
    expect(s.loggingSteps).toBeUndefined();
    expect(s.evalSteps).toBeUndefined();
    expect(s.globalStep).toBe(ts.global_step);
    expect(s.epoch).toBe(ts.epoch);
    expect(s.stepsPerEpoch).toBe((ts.max_steps as number) / (ts.num_train_epochs as number));
    expect(s.stepsPerEpoch).toBe(Math.round((ts.global_step as number) / (ts.epoch as number)));
    expect(s.epochsCompleted).toBe(1);
    expect(s.stepsIntoEpoch).toBe(110);
    expect(s.bestMetric).toBe(ts.best_metric);
    expect(s.bestModelCheckpoint).toBe(ts.best_model_checkpoint);
    expect(s.bestGlobalStep).toBe(500);
    expect(s.bestMetricName).toBe('eval_loss');
    expect(s.evalPoints).toHaveLength(1);
    expect(s.evalPoints[0].metrics.eval_loss).toBe(ts.best_metric);
    expect(s.optimizer).toBeUndefined();

    const expectedFiles = readdirSync(OLD_SCHEMA).filter((n) => n.endsWith('.expected.json')).sort();
    expect(expectedFiles).toEqual(['rng_state.pth.expected.json', 'scheduler.pt.expected.json', 'training_args.bin.expected.json']);
    for (const name of expectedFiles) {
      const e = readJson(join(OLD_SCHEMA, name)) as { loads: boolean; summary: Json };
      const file = name.replace(/\.expected\.json$/, '');
      expect(e.loads, file).toBe(true);
      expect(s.files.some((f) => f.file === file), file).toBe(true);
      if (file === 'scheduler.pt') {
        expect(s.scheduler?.fields).toEqual(e.summary);
        expect(s.scheduler?.lastEpoch).toBe(e.summary.last_epoch);
        expect(s.scheduler?.lastLr).toBe((e.summary._last_lr as number[])[0]);
      } else if (file === 'rng_state.pth') {
        const rng = s.rngStates[0];
        // preview lists are cut to their first 8 items, as the expected.json summary is
        expect(rng.preview).toEqual(e.summary);
        expect(rng.keys).toEqual(Object.keys(e.summary));
        expect(rng.numpy?.algorithm).toBe('MT19937');
        expect(rng.cpu).toEqual({ dtype: 'uint8', shape: [5056] });
        expect(rng.cuda).toEqual([{ dtype: 'uint8', shape: [816] }]);
      } else {
        expect(s.trainingArgs?.className).toBe(e.summary.object);
        expect(s.trainingArgs).toMatchObject({
          outputDir: '/content/drive/MyDrive/Modelpirchcombine/output',
          learningRate: 5e-5,
          perDeviceTrainBatchSize: 4,
          numTrainEpochs: 3,
          gradientAccumulationSteps: 1,
          saveSteps: 500,
          seed: 0,
          evalStrategy: 'steps',
          metricForBestModel: 'loss',
        });
        // torch.device('cuda', 0) cached in the dataclass stays a description, never a call
        expect(s.trainingArgs?.fields.find((f) => f.key === '__cached__setup_devices')).toEqual({ key: '__cached__setup_devices', value: "torch.device('cuda', 0)", rendered: true });
      }
    }
    expect(s.resume?.text).toBe('skip 1 epoch and 110 batches (global_step 500)');
  });
});
