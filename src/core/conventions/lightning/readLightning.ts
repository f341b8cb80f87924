/**
 * The PyTorch Lightning convention: a `.ckpt` file = torch.save of the dict that
 * `_CheckpointConnector.dump_checkpoint` builds (lightning/pytorch/trainer/connectors/
 * checkpoint_connector.py): `epoch` (= trainer.current_epoch), `global_step` (optimizer steps),
 * `pytorch-lightning_version`, `state_dict`, `loops` (progress counters of the fit / validate /
 * test / predict loops, lightning/pytorch/loops/progress.py), `callbacks` (state keyed by each
 * callback's `state_key`, e.g. `ModelCheckpoint{'monitor': 'val_f1', ...}`), `optimizer_states`,
 * `lr_schedulers`, `hparams_name`, `hyper_parameters`.
 *
 * Lightning resumes from its loop counters, not from `epoch`; see {@link lightningPosition}.
 */
import type { ByteSource } from '../../bytes/byteSource';
import { CheckpointFormatError } from '../../errors';
import { asNumber, dictGet, type PyValue } from '../../pickle/values';
import type { TorchFile } from '../../torch/torchFile';
import { summarizeStateDict } from '../modelWeights';
import { numberOrScalar } from '../stateDicts';
import type { FileProblem, ModelSummary } from '../summary';
import { torchFileInfo, type TorchFileInfo } from '../fileInfo';
import { displayFields, plainBudget, plainValue, problemOf, type PlainBudget, type DisplayField, type PlainValue } from '../plainValues';
import { summarizeOptimizerState, summarizeSchedulerState, type OptimizerStateSummary, type SchedulerStateSummary } from '../stateDicts';

/**
 * One Lightning progress tracker (`_ProcessedTracker` and its bases): each counter is
 * incremented in order ready -> started -> processed -> completed around one event (a batch, an
 * epoch). `started`/`processed` are absent for trackers that lack them.
 */
export interface ProgressTracker {
  readonly ready: number | undefined;
  readonly started: number | undefined;
  readonly processed: number | undefined;
  readonly completed: number | undefined;
}

/** `_Progress`: `total` over the whole run, `current` since the loop's last reset (this epoch / this run). */
export interface ProgressCounters {
  readonly total: ProgressTracker;
  readonly current: ProgressTracker;
}

/** `_BatchProgress`: batch counters plus `is_last_batch` (the fetcher saw the loader's end). */
export interface BatchProgressCounters extends ProgressCounters {
  readonly isLastBatch: boolean | undefined;
}

/** Where in the epoch the checkpoint was written, read from the loop counters. */
export type LightningSavePoint =
  /** After all batches of `epoch` (epoch-end hooks or the last batch's hooks were running). */
  | 'epoch-end'
  /** Inside an epoch, after some batches. */
  | 'mid-epoch'
  /** At the start of an epoch, before its first batch finished. */
  | 'epoch-start'
  /** Between epochs: no epoch running (e.g. on_train_end / on_train_start). */
  | 'between-epochs'
  /** No loop counters (Lightning < 1.5 checkpoints): only `epoch` is known. */
  | 'unknown';

/** Lightning's own reading of its counters, and where a resumed `fit(ckpt_path=...)` starts. */
export interface LightningPosition {
  readonly savedAt: LightningSavePoint;
  /** True when every batch of the saved `epoch` had run. */
  readonly epochFinished: boolean;
  /** `epoch_progress.current.completed` (= trainer.current_epoch; the epoch-end hooks increment it last). */
  readonly epochsCompleted: number | undefined;
  /** `epoch_loop.batch_progress.current.processed`: training batches done in the current epoch. */
  readonly batchesDoneInEpoch: number | undefined;
  /** 0-based epoch a resumed run trains next. */
  readonly resumeEpoch: number | undefined;
  /** Batches of `resumeEpoch` already counted as done (0 when it starts fresh). */
  readonly resumeAfterBatch: number;
  /** "start epoch 6 (0-based)" / "continue epoch 6 (0-based) after batch 50". */
  readonly resume: string;
  /** Which counters gave this answer, in words. */
  readonly explanation: string;
}

/** A `ModelCheckpoint` callback's saved state (lightning/pytorch/callbacks/model_checkpoint.py `state_dict`). */
export interface ModelCheckpointState {
  /** The callbacks key (`ModelCheckpoint{'monitor': 'val_f1', 'mode': 'max', ...}`). */
  readonly key: string;
  readonly monitor: string | undefined;
  /** `mode` parsed from the key (`min` / `max`). */
  readonly mode: string | undefined;
  /** Read from its 0-d tensor (float32 as stored, widened to a JS number). */
  readonly bestModelScore: number | undefined;
  readonly bestModelPath: string | undefined;
  readonly currentScore: number | undefined;
  readonly dirpath: string | undefined;
  /** `best_k_models`: checkpoint path -> score, in saved order. */
  readonly bestKModels: { readonly path: string; readonly score: number | undefined }[];
  readonly kthBestModelPath: string | undefined;
  readonly kthValue: number | undefined;
  readonly lastModelPath: string | undefined;
}

/** An `EarlyStopping` callback's saved state (lightning/pytorch/callbacks/early_stopping.py `state_dict`). */
export interface EarlyStoppingState {
  readonly key: string;
  /** Parsed from the key (the state itself does not hold it). */
  readonly monitor: string | undefined;
  readonly mode: string | undefined;
  /** Validation checks since the last improvement. */
  readonly waitCount: number | undefined;
  /** Epoch at which it stopped training (0 = it has not). */
  readonly stoppedEpoch: number | undefined;
  readonly bestScore: number | undefined;
  readonly patience: number | undefined;
}

/** One tensor of the `state_dict`. */
export interface StateDictEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  /** Storage location as saved (`cpu`, `cuda:0`, `mps`). */
  readonly device: string;
  /** The value of a one-element tensor (read from its storage; the first {@link MAX_SCALAR_READS} only). */
  readonly value?: number;
}

/** One-element state_dict tensors whose value is read (a few bytes each). */
export const MAX_SCALAR_READS = 32;

/** Everything read from a Lightning `.ckpt`. */
export interface LightningSummary {
  readonly kind: 'lightning';
  readonly file: TorchFileInfo;
  /** `pytorch-lightning_version`. */
  readonly lightningVersion: string | undefined;
  /** `epoch` as saved (trainer.current_epoch, 0-based; Lightning < 1.5 saved current_epoch + 1). */
  readonly epoch: number | undefined;
  /** `global_step`: optimizer steps taken (Lightning < 1.5 saved global_step + 1). */
  readonly globalStep: number | undefined;
  /** True when `loops` is present (Lightning >= 1.5). */
  readonly hasLoops: boolean;
  /** `loops.fit_loop.epoch_progress`. */
  readonly epochProgress: ProgressCounters | undefined;
  /** `loops.fit_loop["epoch_loop.batch_progress"]`. */
  readonly batchProgress: BatchProgressCounters | undefined;
  /** `loops.fit_loop["epoch_loop.state_dict"]._batches_that_stepped` (the step loggers use). */
  readonly batchesThatStepped: number | undefined;
  /** Every loop's counters as plain data (`fit_loop`, `validate_loop`, `test_loop`, `predict_loop`). */
  readonly loops: PlainValue | undefined;
  readonly position: LightningPosition;
  readonly modelCheckpoints: ModelCheckpointState[];
  readonly earlyStopping: EarlyStoppingState[];
  /** Keys of other callbacks' states. */
  readonly otherCallbacks: string[];
  /** The first ModelCheckpoint with a monitor (else the first one): its monitor, best score and path. */
  readonly monitor: string | undefined;
  readonly bestModelScore: number | undefined;
  readonly bestModelPath: string | undefined;
  readonly optimizers: OptimizerStateSummary[];
  readonly schedulers: SchedulerStateSummary[];
  readonly hparamsName: string | undefined;
  /** `hyper_parameters` rows: str/number/bool as themselves, anything nested as text. */
  readonly hyperParameters: DisplayField[];
  /** `state_dict` totals: tensors, elements (parameters + buffers), dtypes. */
  readonly model: ModelSummary | undefined;
  readonly stateDict: StateDictEntry[];
  /** Storage locations of the state_dict tensors (`cpu`, `mps`, `cuda:0`). */
  readonly devices: string[];
  /** Top-level keys of the checkpoint. */
  readonly keys: string[];
  /** Lightning <= 1.5 (no `loops`): `epoch` and `global_step` were saved one higher than the trainer's counters (`dump_checkpoint`). */
  readonly savedPlusOne: boolean;
  /** Parts that could not be read (e.g. a score tensor in a damaged file), one sentence each. */
  readonly problems: FileProblem[];
  readonly warnings: string[];
}

/** True when a root value looks like a Lightning checkpoint (`pytorch-lightning_version`, or epoch + global_step + state_dict). */
export function isLightningCheckpoint(root: PyValue): boolean {
  if (root.kind !== 'dict') return false;
  if (dictGet(root, 'pytorch-lightning_version')) return true;
  return dictGet(root, 'epoch') !== undefined && dictGet(root, 'global_step') !== undefined && dictGet(root, 'state_dict') !== undefined;
}

function intOf(v: PyValue | undefined): number | undefined {
  return v && v.kind === 'int' ? Number(v.value) : undefined;
}

function strOf(v: PyValue | undefined): string | undefined {
  return v && v.kind === 'str' ? v.value : undefined;
}

function tracker(v: PyValue | undefined): ProgressTracker {
  return { ready: intOf(dictGet(v, 'ready')), started: intOf(dictGet(v, 'started')), processed: intOf(dictGet(v, 'processed')), completed: intOf(dictGet(v, 'completed')) };
}

function progress(v: PyValue | undefined): ProgressCounters | undefined {
  if (!v || v.kind !== 'dict') return undefined;
  return { total: tracker(dictGet(v, 'total')), current: tracker(dictGet(v, 'current')) };
}

function batchProgress(v: PyValue | undefined): BatchProgressCounters | undefined {
  const p = progress(v);
  if (!p) return undefined;
  const last = dictGet(v, 'is_last_batch');
  return { ...p, isLastBatch: last && last.kind === 'bool' ? last.value : undefined };
}

/** Major/minor of a version string like `2.4.0` or `1.4.0rc1`. */
function versionOf(s: string | undefined): [number, number] | undefined {
  const m = s ? /^(\d+)\.(\d+)/.exec(s) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * Lightning's reading of the fit loop counters (Lightning 2.x `_FitLoop`, `_TrainingEpochLoop`,
 * `progress.py`). Let E = `epoch_progress.current`, B = `epoch_loop.batch_progress.current`.
 * Lightning increments E.ready/E.started before an epoch's batches, E.processed after its last
 * batch, then runs the `on_train_epoch_end` hooks (where ModelCheckpoint saves by default) and
 * only then E.completed; trainer.current_epoch (saved as `epoch`) is E.completed. Per batch it
 * increments B.ready/started/processed, runs `on_train_batch_end` (where `every_n_train_steps`
 * saves), then B.completed; B is reset at each epoch start.
 *
 * - E.processed > E.completed, or B.is_last_batch: saved at the end of epoch E.completed (every
 *   batch done). On restore `reset_on_restart` rolls E back to E.completed, the batch loop finds
 *   its epoch already exhausted, the epoch-end hooks run again, and training starts epoch
 *   `epoch + 1` (0-based).
 * - else E.ready > E.completed: an epoch is running. B.processed > 0: mid-epoch, the resume
 *   continues epoch E.completed after batch B.processed (Lightning's counters; unless the
 *   dataloader is stateful, its sampler restarts, and Lightning warns "You're resuming from a
 *   checkpoint that ended before the epoch ended"). B.processed == 0: the epoch had just started;
 *   the resume starts it from its first batch.
 * - else (E.ready == E.completed): saved between epochs; the resume starts epoch E.completed.
 * - No `loops` (Lightning < 1.5): Lightning restores current_epoch = `epoch` (2.x migrates the
 *   checkpoint by setting E.completed = `epoch`), so a resume starts epoch `epoch` at its first
 *   batch; old versions saved `epoch` as current_epoch + 1, so it counts epochs treated as done.
 */
export function lightningPosition(
  epoch: number | undefined,
  epochProgress: ProgressCounters | undefined,
  batch: BatchProgressCounters | undefined,
): LightningPosition {
  const e = epochProgress?.current;
  const b = batch?.current;
  const done = b?.processed;
  if (!e || e.completed === undefined) {
    const start = epoch;
    return {
      savedAt: 'unknown',
      epochFinished: false,
      epochsCompleted: epoch,
      batchesDoneInEpoch: undefined,
      resumeEpoch: start,
      resumeAfterBatch: 0,
      resume: start === undefined ? 'where a resume starts cannot be told (no epoch and no loop counters)' : `start epoch ${start} (0-based)`,
      explanation: 'no loops.fit_loop counters (a Lightning < 1.5 checkpoint): Lightning restores current_epoch from `epoch` and starts that epoch from its first batch; progress inside an epoch was not saved.',
    };
  }
  const completed = e.completed;
  const processed = e.processed ?? completed;
  const ready = e.ready ?? processed;
  if (processed > completed || batch?.isLastBatch === true) {
    const next = completed + 1;
    const why = processed > completed
      ? `epoch_progress.current.processed (${processed}) > completed (${completed}): every batch of epoch ${completed} had run and its epoch-end hooks were running`
      : `epoch_loop.batch_progress.is_last_batch is true${b ? ` (batch_progress.current completed ${b.completed}, processed ${b.processed})` : ''}: the last batch of epoch ${completed} had run`;
    return {
      savedAt: 'epoch-end',
      epochFinished: true,
      epochsCompleted: completed,
      batchesDoneInEpoch: done,
      resumeEpoch: next,
      resumeAfterBatch: 0,
      resume: `start epoch ${next} (0-based)`,
      explanation: `${why}; on restore the batch loop finds the epoch exhausted, so training continues with epoch ${next} (0-based).`,
    };
  }
  if (ready > completed) {
    const n = done ?? 0;
    if (n === 0) {
      return {
        savedAt: 'epoch-start',
        epochFinished: false,
        epochsCompleted: completed,
        batchesDoneInEpoch: done,
        resumeEpoch: completed,
        resumeAfterBatch: 0,
        resume: `start epoch ${completed} (0-based)`,
        explanation: `epoch_progress.current.ready (${ready}) > completed (${completed}) and no batch processed: epoch ${completed} had just started; a resume starts it from its first batch.`,
      };
    }
    return {
      savedAt: 'mid-epoch',
      epochFinished: false,
      epochsCompleted: completed,
      batchesDoneInEpoch: n,
      resumeEpoch: completed,
      resumeAfterBatch: n,
      resume: `continue epoch ${completed} (0-based) after batch ${n}`,
      explanation: `epoch_progress.current.ready (${ready}) > completed (${completed}) and batch_progress.current.processed = ${n}${b?.completed !== undefined && b.completed !== n ? ` (completed ${b.completed}: the save ran inside that batch's end hooks)` : ''}, is_last_batch false: saved mid-epoch. Lightning continues epoch ${completed} counting from its saved batch counters; unless the dataloader is stateful its sampler starts over, and Lightning warns that the checkpoint ended before the epoch ended.`,
    };
  }
  return {
    savedAt: 'between-epochs',
    epochFinished: false,
    epochsCompleted: completed,
    batchesDoneInEpoch: done,
    resumeEpoch: completed,
    resumeAfterBatch: 0,
    resume: `start epoch ${completed} (0-based)`,
    explanation: `epoch_progress.current ready = completed = ${completed}: no epoch was running; a resume starts epoch ${completed} (0-based).`,
  };
}

/** Callback key as text: a state_key string, or (Lightning < 1.5) the pickled callback class. */
function callbackKey(k: PyValue, budget: PlainBudget): string {
  if (k.kind === 'str') return k.value;
  if (k.kind === 'global') return k.ref.name;
  return plainText(k, budget);
}

/** JSON text of a value's plain form, drawing on `budget` (shared by one checkpoint's keys). */
function plainText(v: PyValue, budget: PlainBudget): string {
  return JSON.stringify(plainValue(v, 8, 0, budget));
}

/** `'name': 'value'` (or `None`) from a state_key such as `EarlyStopping{'monitor': 'val_loss', 'mode': 'min'}`. */
function keyAttr(key: string, name: string): string | undefined {
  const m = new RegExp(`'${name}':\\s*'([^']*)'`).exec(key);
  return m ? m[1] : undefined;
}

/**
 * Read a Lightning checkpoint that was parsed into `file` (from `src`). Reads a few bytes per
 * 0-d score tensor (ModelCheckpoint best/current/kth scores, best_k_models, EarlyStopping
 * best_score) and per sampled optimizer `step`; nothing else beyond the pickle.
 * @throws CheckpointFormatError `not-a-checkpoint` when the root value is not a dict. Failures of
 *         single parts are returned in `problems`.
 */
export async function readLightning(src: ByteSource, file: TorchFile): Promise<LightningSummary> {
  const root = file.value;
  if (root.kind !== 'dict') {
    throw new CheckpointFormatError('not-a-checkpoint', file.file, `this file holds a ${root.kind}, not the dict a Lightning checkpoint is.`);
  }
  const problems: FileProblem[] = [];
  const warnings: string[] = [];
  const budget = plainBudget();
  const version = strOf(dictGet(root, 'pytorch-lightning_version'));
  const epoch = intOf(dictGet(root, 'epoch'));
  const globalStep = intOf(dictGet(root, 'global_step'));
  if (!version) warnings.push('no pytorch-lightning_version key: this may not be a Lightning checkpoint (Lightning always writes one).');

  const loops = dictGet(root, 'loops');
  const fit = dictGet(loops, 'fit_loop');
  const epochProgress = progress(dictGet(fit, 'epoch_progress'));
  const batch = batchProgress(dictGet(fit, 'epoch_loop.batch_progress'));
  const batchesThatStepped = intOf(dictGet(dictGet(fit, 'epoch_loop.state_dict'), '_batches_that_stepped'));
  const v = versionOf(version);
  const position = lightningPosition(epoch, epochProgress, batch);
  if (!loops && v && (v[0] > 1 || (v[0] === 1 && v[1] >= 5))) {
    warnings.push(`Lightning ${version} always saves loop counters, but this checkpoint has none (saved with weights_only, or edited): a resume starts epoch ${epoch ?? '?'} from its first batch.`);
  }
  // Lightning <= 1.5 (0.x included): dump_checkpoint wrote current_epoch + 1 and global_step + 1.
  const preLoops = !loops && v !== undefined && (v[0] < 1 || (v[0] === 1 && v[1] < 5));
  if (epoch !== undefined && epochProgress?.current.completed !== undefined && epochProgress.current.completed !== epoch) {
    warnings.push(`epoch is ${epoch} but loops.fit_loop.epoch_progress.current.completed is ${epochProgress.current.completed}: Lightning resumes from the loop counters.`);
  }

  // Callbacks
  const modelCheckpoints: ModelCheckpointState[] = [];
  const earlyStopping: EarlyStoppingState[] = [];
  const otherCallbacks: string[] = [];
  const callbacks = dictGet(root, 'callbacks');
  const score = async (x: PyValue | undefined, what: string): Promise<number | undefined> => {
    try {
      return await numberOrScalar(src, file, x);
    } catch (e) {
      problems.push(problemOf(file.file, e, what));
      return undefined;
    }
  };
  if (callbacks && callbacks.kind === 'dict') {
    for (const [k, st] of callbacks.entries) {
      const key = callbackKey(k, budget);
      if (key.startsWith('ModelCheckpoint')) {
        const bestK: { path: string; score: number | undefined }[] = [];
        const bk = dictGet(st, 'best_k_models');
        if (bk && bk.kind === 'dict') {
          for (const [p, s] of bk.entries) bestK.push({ path: p.kind === 'str' ? p.value : plainText(p, budget), score: await score(s, `${key} best_k_models`) });
        }
        modelCheckpoints.push({
          key,
          monitor: strOf(dictGet(st, 'monitor')) ?? keyAttr(key, 'monitor'),
          mode: keyAttr(key, 'mode'),
          bestModelScore: await score(dictGet(st, 'best_model_score'), `${key} best_model_score`),
          bestModelPath: strOf(dictGet(st, 'best_model_path')),
          currentScore: await score(dictGet(st, 'current_score'), `${key} current_score`),
          dirpath: strOf(dictGet(st, 'dirpath')),
          bestKModels: bestK,
          kthBestModelPath: strOf(dictGet(st, 'kth_best_model_path')),
          kthValue: await score(dictGet(st, 'kth_value'), `${key} kth_value`),
          lastModelPath: strOf(dictGet(st, 'last_model_path')),
        });
      } else if (key.startsWith('EarlyStopping')) {
        earlyStopping.push({
          key,
          monitor: keyAttr(key, 'monitor'),
          mode: keyAttr(key, 'mode'),
          waitCount: asNumber(dictGet(st, 'wait_count')),
          stoppedEpoch: asNumber(dictGet(st, 'stopped_epoch')),
          bestScore: await score(dictGet(st, 'best_score'), `${key} best_score`),
          patience: asNumber(dictGet(st, 'patience')),
        });
      } else {
        otherCallbacks.push(key);
      }
    }
  }
  // Lightning < 1.0 kept the ModelCheckpoint state at the top level (`checkpoint_callback_best_model_score`, `..._path`).
  const legacyScore = dictGet(root, 'checkpoint_callback_best_model_score');
  if (legacyScore !== undefined && modelCheckpoints.length === 0) {
    modelCheckpoints.push({
      key: 'checkpoint_callback_best_model_score',
      monitor: undefined,
      mode: undefined,
      bestModelScore: await score(legacyScore, 'checkpoint_callback_best_model_score'),
      bestModelPath: strOf(dictGet(root, 'checkpoint_callback_best_model_path')),
      currentScore: undefined,
      dirpath: undefined,
      bestKModels: [],
      kthBestModelPath: undefined,
      kthValue: undefined,
      lastModelPath: undefined,
    });
  }
  const primary = modelCheckpoints.find((c) => c.monitor !== undefined) ?? modelCheckpoints[0];
  for (const es of earlyStopping) {
    if (es.stoppedEpoch !== undefined && es.stoppedEpoch > 0) warnings.push(`${es.key} stopped training at epoch ${es.stoppedEpoch}: a resume with the same callback stops again unless its patience or monitor changes.`);
  }

  // Optimizers and schedulers
  const optimizers: OptimizerStateSummary[] = [];
  const opts = dictGet(root, 'optimizer_states');
  if (opts && opts.kind === 'list') {
    for (const [i, o] of opts.items.entries()) {
      try {
        const s = await summarizeOptimizerState(src, file, o);
        if (s) optimizers.push(s);
        else problems.push({ file: file.file, code: 'not-a-checkpoint', message: `optimizer_states[${i}] is not an optimizer state dict (no state and param_groups).` });
      } catch (e) {
        problems.push(problemOf(file.file, e, `optimizer_states[${i}]`));
      }
    }
  }
  const schedulers: SchedulerStateSummary[] = [];
  const scheds = dictGet(root, 'lr_schedulers');
  if (scheds && scheds.kind === 'list') {
    for (const s of scheds.items) {
      const sum = summarizeSchedulerState(s);
      if (sum) schedulers.push(sum);
    }
  }
  // Lightning <= 1.5 saved global_step + 1, so one optimizer step fewer is what a healthy file holds.
  const expectedSteps = globalStep !== undefined && preLoops ? globalStep - 1 : globalStep;
  if (expectedSteps !== undefined && optimizers.length === 1 && optimizers[0].steps !== undefined && optimizers[0].steps !== expectedSteps) {
    warnings.push(`the optimizer has taken ${optimizers[0].steps} steps but global_step is ${globalStep}.`);
  }

  // Model
  const sd = dictGet(root, 'state_dict');
  const stateDict: StateDictEntry[] = [];
  if (sd && sd.kind === 'dict') {
    let reads = 0;
    for (const [k, t] of sd.entries) {
      if (t.kind !== 'tensor') continue;
      const name = k.kind === 'str' ? k.value : plainText(k, budget);
      const entry: StateDictEntry = { name, dtype: t.dtype, shape: [...t.shape], device: t.storage.location };
      if (t.shape.every((d) => d === 1) && reads < MAX_SCALAR_READS) {
        reads += 1;
        const value = await score(t, `state_dict ${name}`);
        stateDict.push(value === undefined ? entry : { ...entry, value });
      } else stateDict.push(entry);
    }
  }
  const devices = [...new Set(stateDict.map((e) => e.device))];
  const odd = devices.filter((d) => d !== 'cpu');
  if (odd.length > 0) warnings.push(`tensors were saved on ${odd.join(', ')}: torch.load on a machine without ${odd.length === 1 ? 'that device' : 'those devices'} needs map_location='cpu'.`);

  return {
    kind: 'lightning',
    file: torchFileInfo(file, 'lightning checkpoint'),
    lightningVersion: version,
    epoch,
    globalStep,
    hasLoops: loops !== undefined,
    epochProgress,
    batchProgress: batch,
    batchesThatStepped,
    loops: loops ? plainValue(loops, 8, 0, budget) : undefined,
    position,
    modelCheckpoints,
    earlyStopping,
    otherCallbacks,
    monitor: primary?.monitor,
    bestModelScore: primary?.bestModelScore,
    bestModelPath: primary?.bestModelPath,
    optimizers,
    schedulers,
    hparamsName: strOf(dictGet(root, 'hparams_name')),
    hyperParameters: displayFields(dictGet(root, 'hyper_parameters')),
    // the `state_dict` itself: the root also holds 0-d score tensors, which are no model
    model: summarizeStateDict(file.file, sd?.kind === 'dict' ? sd : root),
    stateDict,
    devices,
    keys: root.entries.flatMap(([k]) => (k.kind === 'str' ? [k.value] : [])),
    savedPlusOne: preLoops,
    problems,
    warnings,
  };
}

