/**
 * The Hugging Face Trainer convention: a `checkpoint-N/` folder written by `Trainer._save_checkpoint`
 * (transformers `trainer.py`) holding `trainer_state.json` (`TrainerState.save_to_json`,
 * `trainer_callback.py`), `optimizer.pt` (`optimizer.state_dict()`), `scheduler.pt`
 * (`lr_scheduler.state_dict()`), `scaler.pt` (GradScaler, older transformers), `rng_state.pth` or
 * `rng_state_{rank}.pth` (`_save_rng_state`: python / numpy / cpu / cuda ... generator states) and
 * `training_args.bin` (`torch.save(self.args)`: the pickled `TrainingArguments` dataclass).
 *
 * The resume rule is Trainer's own (`_inner_training_loop` with `resume_from_checkpoint`): only
 * `global_step` from trainer_state.json decides where training continues:
 * `epochs_trained = global_step // num_update_steps_per_epoch` and
 * `steps_trained_in_current_epoch = (global_step % num_update_steps_per_epoch) * gradient_accumulation_steps`
 * batches are skipped (none with `ignore_data_skip`). The fractional `epoch` is only logged.
 */
import JSON5 from 'json5';
import type { ByteSource } from '../../bytes/byteSource';
import { CheckpointFormatError } from '../../errors';
import { rejectPlaceholder } from '../../torch/sniff';
import { asNumber, dictGet, dictKeys, qualifiedName, type PyValue } from '../../pickle/values';
import { loadTorchFile } from '../../torch/loadTorchFile';
import type { TorchFile } from '../../torch/torchFile';
import { torchFileInfo, type TorchFileInfo } from '../fileInfo';
import { displayFields, enumValue, plainEntries, problemOf, type DisplayField, type PlainValue } from '../plainValues';
import { roundOneDecimal } from '../../display/round';
import {
  numberOrScalar,
  summarizeOptimizerState,
  summarizeScaler,
  summarizeSchedulerState,
  type OptimizerStateSummary,
  type SchedulerStateSummary,
} from '../stateDicts';
import type { FileProblem, ResumePoint, ScalerSummary } from '../summary';
import { batchesPerEpochOf, updateStepsRule, usesCeil } from './updateStepsRule';

// ---------------------------------------------------------------------------------------------
// trainer_state.json

/** One `log_history` entry as written (numbers may be NaN / ±Infinity). */
export type LogEntry = Readonly<{ [key: string]: PlainValue }>;

/**
 * trainer_state.json as written by transformers `TrainerState.save_to_json`
 * (`trainer_callback.py` dataclass `TrainerState`). Field names are the file's. Units: `epoch`
 * in epochs (fractional: batches done / batches per epoch), `*_steps` and `global_step` in
 * optimizer update steps, `train_batch_size` in samples. JSON `null` and absent keys are
 * `undefined`. Old schemas (transformers < 4.3x) lack `logging_steps`, `eval_steps`,
 * `save_steps`, `train_batch_size`, `best_global_step` and `stateful_callbacks`.
 */
export interface TrainerState {
  readonly epoch: number | undefined;
  readonly global_step: number;
  readonly max_steps: number | undefined;
  readonly logging_steps: number | undefined;
  readonly eval_steps: number | undefined;
  readonly save_steps: number | undefined;
  readonly train_batch_size: number | undefined;
  readonly num_train_epochs: number | undefined;
  readonly num_input_tokens_seen: number | undefined;
  readonly total_flos: number | undefined;
  readonly log_history: readonly LogEntry[];
  readonly best_metric: number | undefined;
  readonly best_global_step: number | undefined;
  readonly best_model_checkpoint: string | undefined;
  readonly is_local_process_zero: boolean | undefined;
  readonly is_world_process_zero: boolean | undefined;
  readonly is_hyper_param_search: boolean | undefined;
  readonly trial_name: string | undefined;
  readonly stateful_callbacks: PlainValue | undefined;
  /** Every top-level key, in file order. */
  readonly keys: string[];
  /** Every NaN / Infinity / -Infinity in the file, as `log_history[4].grad_norm = NaN`. */
  readonly nonFinite: string[];
}

/** Largest trainer_state.json read, in bytes. */
const MAX_STATE_BYTES = 256 * 1024 * 1024;

/**
 * Parse a trainer_state.json text. Uses JSON5, which accepts the `NaN`, `Infinity` and
 * `-Infinity` that Python's `json.dumps` writes (JSON.parse rejects them).
 * @param file name used in errors
 * @throws CheckpointFormatError `bad-json` (message with line and column, offset in bytes) when
 *         the text is not JSON; `not-a-checkpoint` when it is JSON but not a Trainer state (not an
 *         object, or no numeric `global_step`).
 */
export function parseTrainerState(text: string, file: string): TrainerState {
  let root: unknown;
  try {
    // Strict JSON first (fast path for large log histories); JSON5 for NaN/Infinity and for
    // error positions.
    try {
      root = JSON.parse(text);
    } catch {
      root = JSON5.parse(text);
    }
  } catch (e) {
    const err = e as { message?: unknown; lineNumber?: unknown; columnNumber?: unknown };
    const line = typeof err.lineNumber === 'number' ? err.lineNumber : undefined;
    const column = typeof err.columnNumber === 'number' ? err.columnNumber : undefined;
    const raw = typeof err.message === 'string' ? err.message : String(e);
    const cause = raw.replace(/^JSON5:\s*/, '').replace(/\s+at \d+:\d+$/, '');
    const where = line !== undefined && column !== undefined ? ` at line ${line}, column ${column}` : '';
    const offset = line !== undefined && column !== undefined ? byteOffsetOf(text, line, column) : undefined;
    throw new CheckpointFormatError('bad-json', file, `this trainer_state.json is not valid JSON${where}: ${cause}.`, { offset });
  }
  if (!isObject(root)) {
    throw new CheckpointFormatError('not-a-checkpoint', file, 'this trainer_state.json holds no JSON object, so it is not a Hugging Face Trainer state.');
  }
  const gs = root.global_step;
  if (typeof gs !== 'number' || !Number.isFinite(gs)) {
    throw new CheckpointFormatError('not-a-checkpoint', file, 'this trainer_state.json has no numeric global_step, so it is not a Hugging Face Trainer state (TrainerState always writes one).');
  }
  const logs = Array.isArray(root.log_history) ? root.log_history.filter(isObject) : [];
  return {
    epoch: num(root.epoch),
    global_step: gs,
    max_steps: num(root.max_steps),
    logging_steps: num(root.logging_steps),
    eval_steps: num(root.eval_steps),
    save_steps: num(root.save_steps),
    train_batch_size: num(root.train_batch_size),
    num_train_epochs: num(root.num_train_epochs),
    num_input_tokens_seen: num(root.num_input_tokens_seen),
    total_flos: num(root.total_flos),
    log_history: logs as LogEntry[],
    best_metric: num(root.best_metric),
    best_global_step: num(root.best_global_step),
    best_model_checkpoint: typeof root.best_model_checkpoint === 'string' ? root.best_model_checkpoint : undefined,
    is_local_process_zero: bool(root.is_local_process_zero),
    is_world_process_zero: bool(root.is_world_process_zero),
    is_hyper_param_search: bool(root.is_hyper_param_search),
    trial_name: typeof root.trial_name === 'string' ? root.trial_name : undefined,
    stateful_callbacks: root.stateful_callbacks === undefined || root.stateful_callbacks === null ? undefined : (root.stateful_callbacks as PlainValue),
    keys: Object.keys(root),
    nonFinite: nonFinitePaths(root as PlainValue),
  };
}

function isObject(x: unknown): x is { [key: string]: PlainValue } {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function num(x: unknown): number | undefined {
  return typeof x === 'number' ? x : undefined;
}

function bool(x: unknown): boolean | undefined {
  return typeof x === 'boolean' ? x : undefined;
}

/** Byte offset (UTF-8) of 1-based `line`/`column` in `text`. */
function byteOffsetOf(text: string, line: number, column: number): number {
  let i = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) break;
    i = nl + 1;
  }
  return new TextEncoder().encode(text.slice(0, Math.min(text.length, i + column - 1))).length;
}

/** A JSON path as parent links (`[3]` or `.key` steps), spelled out only when reported. */
type JsonPath = { readonly parent: JsonPath; readonly step: string | number } | undefined;

/** Path steps kept in a reported path: deeper paths keep their first and last steps around `…`. */
const MAX_PATH_STEPS = 64;

function jsonPathText(p: JsonPath): string {
  const steps: (string | number)[] = [];
  for (let q = p; q; q = q.parent) steps.push(q.step);
  steps.reverse();
  const shown = steps.length > MAX_PATH_STEPS ? [...steps.slice(0, MAX_PATH_STEPS - 8), '…', ...steps.slice(-8)] : steps;
  let out = '';
  for (const s of shown) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

/**
 * Paths of the NaN / ±Infinity numbers in a parsed JSON value, in document order, as
 * `log_history[4].grad_norm = NaN`. Iterative: a hostile file nested 100,000 levels deep (which
 * JSON.parse accepts) does not exhaust the call stack.
 */
function nonFinitePaths(root: PlainValue): string[] {
  const out: string[] = [];
  const stack: { v: PlainValue; path: JsonPath }[] = [{ v: root, path: undefined }];
  while (stack.length) {
    const { v, path } = stack.pop() as { v: PlainValue; path: JsonPath };
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) out.push(`${jsonPathText(path)} = ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'}`);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: { parent: path, step: i } });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ v: entries[i][1], path: { parent: path, step: entries[i][0] } });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The folder summary

/** One evaluation in `log_history` (an entry with `eval_*` keys). */
export interface HfEvalPoint {
  /** Optimizer update step of the evaluation. */
  readonly step: number | undefined;
  /** Fractional epoch as logged (rounded to 4 decimals by Trainer.log). */
  readonly epoch: number | undefined;
  /** Every numeric `eval_*` key of the entry (`eval_loss`, `eval_f1`, `eval_runtime`...). */
  readonly metrics: Readonly<{ [key: string]: number }>;
}

/** One training-loss log in `log_history` (an entry with `loss`). */
export interface HfLossPoint {
  readonly step: number | undefined;
  readonly epoch: number | undefined;
  readonly loss: number;
  readonly learningRate: number | undefined;
  /** `grad_norm` (NaN after an fp16 overflow step). */
  readonly gradNorm: number | undefined;
}

/**
 * Where Trainer resumes (transformers `trainer.py` `_inner_training_loop`). `epoch` is 1-based
 * (the epoch the resumed run continues), `step` the batches skipped inside it.
 */
export interface HfResume extends ResumePoint {
  /** `global_step // num_update_steps_per_epoch`: epochs skipped entirely. */
  readonly epochsTrained: number;
  /** `global_step % num_update_steps_per_epoch`: update steps already done in the current epoch. */
  readonly updateStepsIntoEpoch: number;
  /** Batches skipped in the current epoch: update steps x gradient_accumulation_steps (0 with ignore_data_skip). */
  readonly batchesToSkip: number;
  /** `gradient_accumulation_steps` used (1 when training_args.bin is absent). */
  readonly gradientAccumulationSteps: number;
  /** A longer sentence: "resume skips 2 epochs and 74 batches: continues epoch 3 at step 74 of 313". */
  readonly sentence: string;
  /** What Trainer itself logs when it resumes from this folder. */
  readonly trainerLog: string[];
  /** True when global_step has reached max_steps: a resume trains no further. */
  readonly finished: boolean;
}

/** rng_state*.pth (`Trainer._save_rng_state`): which generator states are present. */
export interface RngStateSummary {
  readonly file: string;
  /** Process rank from `rng_state_{rank}.pth`; undefined for `rng_state.pth`. */
  readonly rank: number | undefined;
  /** Keys of the dict in file order (`python`, `numpy`, `cpu`, `cuda`, `xla`, `npu`, `mps`...). */
  readonly keys: string[];
  /** `random.getstate()`: (version, 625-word Mersenne Twister state, gauss_next). */
  readonly python?: { readonly version: number | undefined; readonly words: number; readonly gaussNext: number | null };
  /** `numpy.random.get_state()`: (algorithm, key uint32[624], pos, has_gauss, cached_gaussian). */
  readonly numpy?: {
    readonly algorithm: string | undefined;
    readonly keyDtype: string | undefined;
    readonly keyShape: number[] | undefined;
    readonly pos: number | undefined;
    readonly hasGauss: number | undefined;
    readonly cachedGaussian: number | undefined;
  };
  /** `torch.random.get_rng_state()`: a uint8 tensor (5056 bytes for the CPU Mersenne Twister). */
  readonly cpu?: { readonly dtype: string; readonly shape: number[] };
  /** `torch.cuda.random.get_rng_state()` (one tensor) or `get_rng_state_all()` (one per device). */
  readonly cuda?: { readonly dtype: string; readonly shape: number[] }[];
  /** Every key as plain data, lists cut to their first 8 items. */
  readonly preview: { [key: string]: PlainValue };
}

/** training_args.bin: the pickled TrainingArguments dataclass, read symbolically (never executed). */
export interface TrainingArgsSummary {
  readonly file: string;
  /** `transformers.training_args.TrainingArguments` (or a subclass such as Seq2SeqTrainingArguments); `dict` for a saved dict. */
  readonly className: string;
  /** Opcode that created the instance (`NEWOBJ`, `REDUCE`...). */
  readonly via: string | undefined;
  /** Keys of the BUILD state dict (the dataclass fields), in order. */
  readonly keys: string[];
  /** Every field as a display row; str/int Enum members (IntervalStrategy('steps')) show their value. */
  readonly fields: DisplayField[];
  readonly outputDir: string | undefined;
  readonly learningRate: number | undefined;
  readonly perDeviceTrainBatchSize: number | undefined;
  readonly numTrainEpochs: number | undefined;
  readonly maxSteps: number | undefined;
  readonly gradientAccumulationSteps: number | undefined;
  readonly saveSteps: number | undefined;
  readonly loggingSteps: number | undefined;
  readonly evalSteps: number | undefined;
  /** `eval_strategy` (or the older `evaluation_strategy`). */
  readonly evalStrategy: string | undefined;
  readonly metricForBestModel: string | undefined;
  readonly ignoreDataSkip: boolean | undefined;
  readonly seed: number | undefined;
  /**
   * Every global the pickle imports (`module.name`). torch.load needs each importable, and
   * `weights_only=True` rejects them: Trainer saves this file for reference and never loads it
   * on resume.
   */
  readonly imports: string[];
}

/** Scaler summary plus GradScaler's growth counters (torch/amp/grad_scaler.py `state_dict`). */
export interface ScalerStateSummary extends ScalerSummary {
  readonly growthTracker: number | undefined;
  readonly growthInterval: number | undefined;
}

/** Everything read from one Trainer `checkpoint-N/` folder. */
export interface HfTrainerSummary {
  readonly kind: 'hf-trainer';
  readonly folderName: string;
  /** The parsed trainer_state.json. */
  readonly state: TrainerState;
  /** Optimizer update steps done (trainer_state.json `global_step`). */
  readonly globalStep: number;
  /** Fractional epoch as saved (batches done / batches per epoch). */
  readonly epoch: number | undefined;
  readonly maxSteps: number | undefined;
  readonly numTrainEpochs: number | undefined;
  /** Update steps per epoch (Trainer's `num_update_steps_per_epoch`), estimated as described by `stepsPerEpochSource`. */
  readonly stepsPerEpoch: number | undefined;
  readonly stepsPerEpochSource: 'max_steps / num_train_epochs' | 'global_step / epoch' | undefined;
  /** `global_step // steps_per_epoch`. */
  readonly epochsCompleted: number | undefined;
  /** `global_step - epochs_completed * steps_per_epoch` (update steps). */
  readonly stepsIntoEpoch: number | undefined;
  /** stepsIntoEpoch / stepsPerEpoch * 100, one decimal. */
  readonly progressPercent: number | undefined;
  readonly resume: HfResume | undefined;
  readonly bestMetric: number | undefined;
  /** `eval_<metric_for_best_model>` when training_args.bin names it. */
  readonly bestMetricName: string | undefined;
  readonly bestModelCheckpoint: string | undefined;
  /** `best_global_step`, or the N of a `checkpoint-N` best_model_checkpoint. */
  readonly bestGlobalStep: number | undefined;
  readonly loggingSteps: number | undefined;
  readonly evalSteps: number | undefined;
  readonly saveSteps: number | undefined;
  readonly trainBatchSize: number | undefined;
  readonly evalPoints: HfEvalPoint[];
  readonly lossPoints: HfLossPoint[];
  /** NaN / ±Infinity values in trainer_state.json (`log_history[4].grad_norm = NaN`). */
  readonly nonFinite: string[];
  readonly optimizer: OptimizerStateSummary | undefined;
  readonly scheduler: SchedulerStateSummary | undefined;
  readonly scaler: ScalerStateSummary | undefined;
  readonly rngStates: RngStateSummary[];
  readonly trainingArgs: TrainingArgsSummary | undefined;
  /** The torch.save files that were parsed. */
  readonly files: TorchFileInfo[];
  /** Files that could not be read, one sentence each (trainer_state.json errors are thrown instead). */
  readonly problems: FileProblem[];
  /** Contradictions and things worth knowing, as sentences. */
  readonly warnings: string[];
}

/** The files of a `checkpoint-N/` folder, as byte sources. */
export interface HfTrainerFiles {
  readonly trainerState: ByteSource;
  readonly optimizer?: ByteSource;
  readonly scheduler?: ByteSource;
  readonly scaler?: ByteSource;
  /** `rng_state.pth` and/or `rng_state_{rank}.pth`. */
  readonly rngStates: ByteSource[];
  readonly trainingArgs?: ByteSource;
  /** The folder's name (`checkpoint-700`) or path; only its last component is used. */
  readonly folderName: string;
  /** config.json `transformers_version`: decides floor or ceil update steps per epoch (PR #37923). */
  readonly transformersVersion?: string;
}

/** True when a folder's file names look like a Trainer checkpoint (it holds trainer_state.json). */
export function isHfTrainerFolder(fileNames: readonly string[]): boolean {
  return fileNames.some((n) => n === 'trainer_state.json' || n.endsWith('/trainer_state.json'));
}

/**
 * Read a Trainer checkpoint folder. Reads all of trainer_state.json, the pickles of the torch
 * files and a few bytes per optimizer `step` tensor; never tensor data otherwise.
 * @throws CheckpointFormatError only for trainer_state.json (`empty-file`, `limit-exceeded`,
 *         `bad-json`, `not-a-checkpoint`, `lfs-pointer`, `html-page`); every other file's failure becomes a `problems` entry.
 */
export async function readHfTrainer(files: HfTrainerFiles): Promise<HfTrainerSummary> {
  const stateSrc = files.trainerState;
  if (stateSrc.size === 0) throw new CheckpointFormatError('empty-file', stateSrc.name, 'this trainer_state.json is empty (0 bytes): the save was probably interrupted.');
  if (stateSrc.size > MAX_STATE_BYTES) throw new CheckpointFormatError('limit-exceeded', stateSrc.name, `this trainer_state.json is ${stateSrc.size} bytes, more than the ${MAX_STATE_BYTES} this viewer reads.`);
  const bytes = await stateSrc.read(0, stateSrc.size);
  rejectPlaceholder(bytes.subarray(0, 512), stateSrc.size, stateSrc.name);
  const state = parseTrainerState(new TextDecoder('utf-8').decode(bytes), stateSrc.name);

  const problems: FileProblem[] = [];
  const warnings: string[] = [];
  const infos: TorchFileInfo[] = [];
  const open = async (src: ByteSource | undefined, role: string): Promise<TorchFile | undefined> => {
    if (!src) return undefined;
    try {
      const tf = await loadTorchFile(src);
      infos.push(torchFileInfo(tf, role));
      for (const a of tf.anomalies) warnings.push(`${src.name}: ${a}`);
      return tf;
    } catch (e) {
      problems.push(problemOf(src.name, e));
      return undefined;
    }
  };
  const guard = async <T>(src: ByteSource, what: string, f: () => Promise<T | undefined>): Promise<T | undefined> => {
    try {
      const out = await f();
      if (out === undefined) problems.push({ file: src.name, code: 'not-a-checkpoint', message: `this file does not hold ${what}.` });
      return out;
    } catch (e) {
      problems.push(problemOf(src.name, e));
      return undefined;
    }
  };

  // training_args.bin first: gradient accumulation and ignore_data_skip shape the resume rule.
  let trainingArgs: TrainingArgsSummary | undefined;
  const argsFile = await open(files.trainingArgs, 'training arguments');
  if (argsFile && files.trainingArgs) {
    const src = files.trainingArgs;
    trainingArgs = await guard(src, 'a pickled TrainingArguments object or dict', async () => summarizeTrainingArgs(src.name, argsFile));
  }

  let optimizer: OptimizerStateSummary | undefined;
  const optFile = await open(files.optimizer, 'optimizer');
  if (optFile && files.optimizer) {
    const src = files.optimizer;
    optimizer = await guard(src, 'an optimizer state dict (no `state` and `param_groups`)', () => summarizeOptimizerState(src, optFile, optFile.value));
  }

  let scheduler: SchedulerStateSummary | undefined;
  const schedFile = await open(files.scheduler, 'scheduler');
  if (schedFile && files.scheduler) {
    scheduler = await guard(files.scheduler, 'an LR scheduler state dict', async () => summarizeSchedulerState(schedFile.value));
  }

  let scaler: ScalerStateSummary | undefined;
  const scalerFile = await open(files.scaler, 'scaler');
  if (scalerFile && files.scaler) {
    const src = files.scaler;
    scaler = await guard(src, 'a GradScaler state dict', async () => {
      const base = await summarizeScaler(src, scalerFile, scalerFile.value);
      if (!base) return undefined;
      return {
        ...base,
        growthTracker: await numberOrScalar(src, scalerFile, dictGet(scalerFile.value, '_growth_tracker')),
        growthInterval: asNumber(dictGet(scalerFile.value, 'growth_interval')),
      };
    });
  }

  const rngStates: RngStateSummary[] = [];
  for (const src of files.rngStates) {
    const tf = await open(src, 'rng state');
    if (!tf) continue;
    const s = await guard(src, 'a dict of random generator states', async () => summarizeRngState(src.name, tf.value));
    if (s) rngStates.push(s);
  }

  // Progress and the resume rule.
  const gs = state.global_step;
  const ga = trainingArgs?.gradientAccumulationSteps && trainingArgs.gradientAccumulationSteps > 0 ? trainingArgs.gradientAccumulationSteps : 1;
  const spe = byVersionRule(stepsPerEpochOf(state, warnings), state, ga, files.transformersVersion);
  const epochsCompleted = spe ? Math.floor(gs / spe.value) : undefined;
  const stepsIntoEpoch = spe && epochsCompleted !== undefined ? gs - epochsCompleted * spe.value : undefined;
  const resume = spe && epochsCompleted !== undefined && stepsIntoEpoch !== undefined
    ? resumeOf(gs, spe.value, epochsCompleted, stepsIntoEpoch, ga, trainingArgs?.ignoreDataSkip === true, state.max_steps)
    : undefined;
  if (!spe) warnings.push('update steps per epoch cannot be told (trainer_state.json lacks max_steps/num_train_epochs and a non-zero epoch), so neither can the epoch a resume continues.');

  // Folder number vs global_step (Trainer names the folder f"checkpoint-{global_step}").
  const folder = files.folderName.replace(/\/+$/, '').split('/').pop() ?? files.folderName;
  const m = /^checkpoint-(\d+)$/.exec(folder);
  if (!m) {
    warnings.push(`the folder is named ${JSON.stringify(folder)}, not checkpoint-N: Trainer's resume_from_checkpoint=True (get_last_checkpoint) only finds folders named checkpoint-<global_step>; pass this folder's path explicitly.`);
  } else if (Number(m[1]) !== gs) {
    warnings.push(`the folder is named ${folder} but its trainer_state.json says global_step ${gs}: Trainer names each save checkpoint-<global_step>, so this folder was renamed or its trainer_state.json comes from another save; a resume follows global_step ${gs}.`);
  }

  // Consistency of the other files with global_step.
  if (optimizer?.steps !== undefined && optimizer.steps !== gs) {
    warnings.push(`optimizer.pt has taken ${optimizer.steps} optimizer steps but global_step is ${gs}${optimizer.steps < gs ? ' (fp16 overflow steps that GradScaler skipped explain a small shortfall)' : ''}.`);
  }
  if (scheduler?.lastEpoch !== undefined && scheduler.lastEpoch !== gs && scheduler.lastEpoch !== -1) {
    warnings.push(`scheduler.pt has stepped ${scheduler.lastEpoch} times (last_epoch) but global_step is ${gs}: Trainer steps the scheduler once per update, so the learning rate after a resume follows ${scheduler.lastEpoch}.`);
  }
  if (trainingArgs) {
    const pairs: [string, number | undefined, number | undefined][] = [
      ['logging_steps', trainingArgs.loggingSteps, state.logging_steps],
      ['eval_steps', trainingArgs.evalSteps, state.eval_steps],
      ['save_steps', trainingArgs.saveSteps, state.save_steps],
    ];
    for (const [name, a, s] of pairs) {
      // Ratios (< 1) are turned into step counts in the state (TrainerState.compute_steps).
      if (a !== undefined && s !== undefined && a >= 1 && a !== s) warnings.push(`training_args.bin says ${name} ${a} but trainer_state.json says ${s}.`);
    }
  }
  if (state.nonFinite.length > 0) warnings.push(`trainer_state.json holds ${state.nonFinite.length} non-finite value(s) (${state.nonFinite.slice(0, 3).join('; ')}${state.nonFinite.length > 3 ? '; …' : ''}): Python wrote them, strict JSON readers reject them.`);
  if (files.rngStates.length === 0) warnings.push('no rng_state*.pth: a resume cannot restore the random generators, so data order and dropout differ from an uninterrupted run.');

  const metricName = trainingArgs?.metricForBestModel;
  return {
    kind: 'hf-trainer',
    folderName: folder,
    state,
    globalStep: gs,
    epoch: state.epoch,
    maxSteps: state.max_steps,
    numTrainEpochs: state.num_train_epochs,
    stepsPerEpoch: spe?.value,
    stepsPerEpochSource: spe?.source,
    epochsCompleted,
    stepsIntoEpoch,
    progressPercent: spe && stepsIntoEpoch !== undefined ? roundOneDecimal((stepsIntoEpoch / spe.value) * 100) : undefined,
    resume,
    bestMetric: state.best_metric,
    bestMetricName: metricName ? (metricName.startsWith('eval_') ? metricName : `eval_${metricName}`) : undefined,
    bestModelCheckpoint: state.best_model_checkpoint,
    bestGlobalStep: state.best_global_step ?? checkpointNumber(state.best_model_checkpoint),
    loggingSteps: state.logging_steps,
    evalSteps: state.eval_steps,
    saveSteps: state.save_steps,
    trainBatchSize: state.train_batch_size,
    evalPoints: evalPointsOf(state.log_history),
    lossPoints: lossPointsOf(state.log_history),
    nonFinite: state.nonFinite,
    optimizer,
    scheduler,
    scaler,
    rngStates,
    trainingArgs,
    files: infos,
    problems,
    warnings,
  };
}

function checkpointNumber(path: string | undefined): number | undefined {
  const m = path ? /checkpoint-(\d+)\/*$/.exec(path) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * Update steps per epoch. Trainer computes it from the dataloader length at resume time (not
 * saved); `max_steps = ceil(num_train_epochs * steps_per_epoch)` when max_steps was not set, so
 * max_steps / num_train_epochs gives it back exactly. When that is not a whole number or
 * disagrees with global_step / epoch by more than 1% (max_steps set by the user, fractional
 * num_train_epochs), round(global_step / epoch) is used instead.
 */
function stepsPerEpochOf(state: TrainerState, warnings: string[]): { value: number; source: 'max_steps / num_train_epochs' | 'global_step / epoch' } | undefined {
  const { max_steps: ms, num_train_epochs: ne, global_step: gs, epoch } = state;
  const fromEpoch = epoch !== undefined && epoch > 0 && Number.isFinite(epoch) && gs > 0 ? Math.round(gs / epoch) : undefined;
  const fromMax = ms !== undefined && ne !== undefined && ne > 0 && ms > 0 ? ms / ne : undefined;
  if (fromMax !== undefined && Number.isInteger(fromMax)) {
    if (fromEpoch === undefined || Math.abs(fromMax - fromEpoch) <= Math.max(1, fromEpoch * 0.01)) return { value: fromMax, source: 'max_steps / num_train_epochs' };
    warnings.push(`max_steps / num_train_epochs = ${fromMax} disagrees with global_step / epoch = ${fromEpoch} (max_steps was probably set explicitly): using ${fromEpoch} update steps per epoch.`);
  }
  if (fromEpoch !== undefined && fromEpoch > 0) return { value: fromEpoch, source: 'global_step / epoch' };
  if (fromMax !== undefined && fromMax >= 1) return { value: Math.floor(fromMax), source: 'max_steps / num_train_epochs' };
  return undefined;
}

/**
 * An estimate from global_step / epoch is len(dataloader) / GA before rounding; when the saving
 * transformers version is known, its own rule (floor up to 4.51, ceil from 4.52) gives U exactly.
 */
function byVersionRule(
  spe: ReturnType<typeof stepsPerEpochOf>,
  state: TrainerState,
  ga: number,
  version: string | undefined,
): ReturnType<typeof stepsPerEpochOf> {
  if (!spe || spe.source !== 'global_step / epoch' || ga <= 1 || usesCeil(version) === undefined) return spe;
  const batches = batchesPerEpochOf(state.global_step, state.epoch, spe.value, ga);
  if (batches === undefined) return spe;
  const rule = updateStepsRule(batches, ga, version);
  return { value: rule.applies === 'ceil' ? rule.ceil : rule.floor, source: spe.source };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Trainer's resume rule in numbers and words (transformers trainer.py `_inner_training_loop`). */
function resumeOf(gs: number, spe: number, epochsTrained: number, stepsInto: number, ga: number, ignoreDataSkip: boolean, maxSteps: number | undefined): HfResume {
  const batches = ignoreDataSkip ? 0 : stepsInto * ga;
  const finished = maxSteps !== undefined && maxSteps > 0 && gs >= maxSteps;
  const epoch = epochsTrained + 1;
  const text = `skip ${plural(epochsTrained, 'epoch', 'epochs')} and ${plural(batches, 'batch', 'batches')} (global_step ${gs})`;
  const where = stepsInto === 0 ? `starts epoch ${epoch} at its first step` : `continues epoch ${epoch} at step ${stepsInto} of ${spe}`;
  const sentence = finished
    ? `global_step ${gs} has reached max_steps ${maxSteps}: a resume finds training finished and trains no further.`
    : `resume skips ${plural(epochsTrained, 'epoch', 'epochs')} and ${plural(batches, 'batch', 'batches')}: ${where}${ga > 1 ? ` (${stepsInto} update steps x gradient_accumulation_steps ${ga})` : ''}${ignoreDataSkip ? ' (ignore_data_skip: no batches are skipped, the epoch restarts from its first batch)' : ''}.`;
  const trainerLog = [
    '  Continuing training from checkpoint, will skip to saved global_step',
    `  Continuing training from epoch ${epochsTrained}`,
    `  Continuing training from global step ${gs}`,
  ];
  if (!ignoreDataSkip) trainerLog.push(`  Will skip the first ${epochsTrained} epochs then the first ${batches} batches in the first epoch.`);
  return { epoch, step: batches, text, epochsTrained, updateStepsIntoEpoch: stepsInto, batchesToSkip: batches, gradientAccumulationSteps: ga, sentence, trainerLog, finished };
}

function numField(e: LogEntry, key: string): number | undefined {
  const v = e[key];
  return typeof v === 'number' ? v : undefined;
}

function evalPointsOf(log: readonly LogEntry[]): HfEvalPoint[] {
  const out: HfEvalPoint[] = [];
  for (const e of log) {
    const metrics: { [key: string]: number } = {};
    let hasEval = false;
    for (const [k, v] of Object.entries(e)) {
      if (!k.startsWith('eval_')) continue;
      hasEval = true;
      if (typeof v === 'number') metrics[k] = v;
    }
    if (hasEval) out.push({ step: numField(e, 'step'), epoch: numField(e, 'epoch'), metrics });
  }
  return out;
}

function lossPointsOf(log: readonly LogEntry[]): HfLossPoint[] {
  const out: HfLossPoint[] = [];
  for (const e of log) {
    const loss = numField(e, 'loss');
    if (loss === undefined) continue;
    out.push({ step: numField(e, 'step'), epoch: numField(e, 'epoch'), loss, learningRate: numField(e, 'learning_rate'), gradNorm: numField(e, 'grad_norm') });
  }
  return out;
}

function tensorShape(v: PyValue | undefined): { dtype: string; shape: number[] } | undefined {
  return v && v.kind === 'tensor' ? { dtype: v.dtype, shape: [...v.shape] } : undefined;
}

/**
 * Summarise a rng_state*.pth root value (transformers `Trainer._save_rng_state`: a dict with
 * `python` = random.getstate(), `numpy` = np.random.get_state(), `cpu` =
 * torch.random.get_rng_state(), `cuda` = torch.cuda.random.get_rng_state[_all]() and on other
 * hardware `xla` / `npu` / `mlu` / `musa` / `hpu` / `mps`). Undefined when `root` is not a dict.
 */
export function summarizeRngState(file: string, root: PyValue): RngStateSummary | undefined {
  if (root.kind !== 'dict') return undefined;
  const rankMatch = /rng_state_(\d+)\.pth$/.exec(file);
  const preview = plainEntries(root.entries);
  const py = dictGet(root, 'python');
  const np = dictGet(root, 'numpy');
  const cuda = dictGet(root, 'cuda');
  const cudaStates = cuda === undefined ? undefined : cuda.kind === 'tensor' ? [cuda] : cuda.kind === 'list' || cuda.kind === 'tuple' ? cuda.items : [];
  return {
    file,
    rank: rankMatch ? Number(rankMatch[1]) : undefined,
    keys: dictKeys(root),
    python: py && py.kind === 'tuple'
      ? {
          version: asNumber(py.items[0]),
          words: py.items[1] && (py.items[1].kind === 'tuple' || py.items[1].kind === 'list') ? py.items[1].items.length : 0,
          gaussNext: asNumber(py.items[2]) ?? null,
        }
      : undefined,
    numpy: np && (np.kind === 'tuple' || np.kind === 'list')
      ? {
          algorithm: np.items[0]?.kind === 'str' ? np.items[0].value : undefined,
          keyDtype: np.items[1]?.kind === 'ndarray' ? np.items[1].dtype : undefined,
          keyShape: np.items[1]?.kind === 'ndarray' ? [...np.items[1].shape] : undefined,
          pos: asNumber(np.items[2]),
          hasGauss: asNumber(np.items[3]),
          cachedGaussian: asNumber(np.items[4]),
        }
      : undefined,
    cpu: tensorShape(dictGet(root, 'cpu')),
    cuda: cudaStates?.flatMap((t) => {
      const s = tensorShape(t);
      return s ? [s] : [];
    }),
    preview,
  };
}

function fieldNumber(fields: PyValue | undefined, key: string): number | undefined {
  return asNumber(dictGet(fields, key));
}

function fieldString(fields: PyValue | undefined, key: string): string | undefined {
  const v = dictGet(fields, key);
  if (!v) return undefined;
  if (v.kind === 'str') return v.value;
  const e = enumValue(v);
  if (e !== undefined) return String(e);
  // Python 3.11 pickles Enum members as getattr(Cls, 'NAME')
  if (v.kind === 'object' && v.callee?.name === 'getattr' && v.args[1]?.kind === 'str') return v.args[1].value.toLowerCase();
  return undefined;
}

/**
 * Summarise training_args.bin: `torch.save(args)` of the `TrainingArguments` dataclass, i.e.
 * GLOBAL `transformers.training_args TrainingArguments` + NEWOBJ (protocol 2) or REDUCE of
 * `copyreg._reconstructor`, then BUILD with the instance `__dict__`. Enum fields are
 * `IntervalStrategy('steps')` (REDUCE by value) or `getattr(IntervalStrategy, 'STEPS')` (Python
 * 3.11). Nothing is imported or called. Undefined when the root is neither such an object nor a dict.
 */
export function summarizeTrainingArgs(file: string, tf: TorchFile): TrainingArgsSummary | undefined {
  const root = tf.value;
  let className: string;
  let via: string | undefined;
  let fields: PyValue | undefined;
  if (root.kind === 'object' && root.state && root.state.kind === 'dict') {
    const callee = root.callee && root.callee.module === 'copyreg' && root.callee.name === '_reconstructor' && root.args[0]?.kind === 'global' ? root.args[0].ref : root.callee;
    className = callee ? qualifiedName(callee) : 'object';
    via = root.via;
    fields = root.state;
  } else if (root.kind === 'dict') {
    className = 'dict';
    fields = root;
  } else {
    return undefined;
  }
  const imports = [...new Set(tf.pickles.flatMap((p) => p.result.globals.map((g) => qualifiedName(g))))];
  const ignore = dictGet(fields, 'ignore_data_skip');
  return {
    file,
    className,
    via,
    keys: dictKeys(fields),
    fields: displayFields(fields),
    outputDir: fieldString(fields, 'output_dir'),
    learningRate: fieldNumber(fields, 'learning_rate'),
    perDeviceTrainBatchSize: fieldNumber(fields, 'per_device_train_batch_size'),
    numTrainEpochs: fieldNumber(fields, 'num_train_epochs'),
    maxSteps: fieldNumber(fields, 'max_steps'),
    gradientAccumulationSteps: fieldNumber(fields, 'gradient_accumulation_steps'),
    saveSteps: fieldNumber(fields, 'save_steps'),
    loggingSteps: fieldNumber(fields, 'logging_steps'),
    evalSteps: fieldNumber(fields, 'eval_steps'),
    evalStrategy: fieldString(fields, 'eval_strategy') ?? fieldString(fields, 'evaluation_strategy'),
    metricForBestModel: fieldString(fields, 'metric_for_best_model'),
    ignoreDataSkip: ignore && ignore.kind === 'bool' ? ignore.value : undefined,
    seed: fieldNumber(fields, 'seed'),
    imports,
  };
}
