/**
 * Summaries of the standard torch state dicts found in every training checkpoint: optimizer
 * (torch/optim/optimizer.py `state_dict`: `state` keyed by param index, `param_groups`), LR
 * scheduler (torch/optim/lr_scheduler.py: `last_epoch`, `_last_lr`) and GradScaler
 * (torch/cuda/amp/grad_scaler.py: `scale`, `_growth_tracker`).
 */
import type { ByteSource } from '../bytes/byteSource';
import { asNumber, dictGet, dictKeys, type PyValue } from '../pickle/values';
import { fetchScalarGroup, readTensorScalar } from '../torch/readScalar';
import type { TorchFile } from '../torch/torchFile';
import type { OptimizerSummary, ScalerSummary, SchedulerSummary } from './summary';
import { plainBudget, plainEntries, plainValue, type PlainValue } from './plainValues';

/** How many per-parameter states (first and last) are candidates for the `step` read; all steps are equal in practice. */
const STEP_SAMPLES = 8;

/** A number from an int/float/numpy scalar, or a one-element tensor read from its storage. */
export async function numberOrScalar(src: ByteSource, file: TorchFile, v: PyValue | undefined): Promise<number | undefined> {
  if (!v) return undefined;
  if (v.kind === 'tensor') {
    const x = await readTensorScalar(src, file, v);
    return x === undefined ? undefined : Number(x);
  }
  return asNumber(v);
}

/**
 * Summarise an optimizer state dict. Reports the largest `step` of up to 2x{@link STEP_SAMPLES}
 * parameter states (first and last): plain numbers all; 0-d tensors, those whose storages one read
 * reaches (`fetchScalarGroup`: the largest group of neighbours), as each tensor step costs a read.
 * @returns undefined when `v` is not an optimizer state dict
 */
export async function summarizeOptimizer(src: ByteSource, file: TorchFile, v: PyValue | undefined): Promise<OptimizerSummary | undefined> {
  const state = dictGet(v, 'state');
  const groups = dictGet(v, 'param_groups');
  // `state` is what makes an optimizer state dict; some scripts save it without `param_groups`
  if (!state || state.kind !== 'dict' || (groups && groups.kind !== 'list')) return undefined;
  const entries = state.entries;
  const sample = entries.length <= 2 * STEP_SAMPLES ? entries : [...entries.slice(0, STEP_SAMPLES), ...entries.slice(-STEP_SAMPLES)];
  const sampled = sample.flatMap(([, ps]) => {
    const step = dictGet(ps, 'step');
    return step ? [step] : [];
  });
  // step tensors (torch >= 1.12): those one read reaches, then each from the cache
  const tensorSteps = await fetchScalarGroup(src, file, sampled.flatMap((v) => (v.kind === 'tensor' ? [v] : [])));
  let steps: number | undefined;
  for (const v of [...sampled.filter((x) => x.kind !== 'tensor'), ...tensorSteps]) {
    const s = await numberOrScalar(src, file, v);
    if (s !== undefined && (steps === undefined || s > steps)) steps = s;
  }
  let params = 0;
  const groupItems = groups && groups.kind === 'list' ? groups.items : [];
  for (const g of groupItems) {
    const p = dictGet(g, 'params');
    if (p && p.kind === 'list') params += p.items.length;
  }
  return {
    paramStates: entries.length,
    params,
    steps,
    lr: asNumber(dictGet(groupItems[0], 'lr')),
    stateKeys: entries.length ? dictKeys(entries[0][1]) : [],
  };
}

/** Summarise an LR scheduler state dict; undefined when `v` is not a dict. */
export function summarizeScheduler(v: PyValue | undefined): SchedulerSummary | undefined {
  if (!v || v.kind !== 'dict') return undefined;
  const lastLr = dictGet(v, '_last_lr');
  return {
    lastEpoch: asNumber(dictGet(v, 'last_epoch')),
    lastLr: lastLr && lastLr.kind === 'list' ? asNumber(lastLr.items[0]) : undefined,
  };
}

/** Summarise a GradScaler state dict (scale may be a float or a one-element tensor); undefined when empty. */
export async function summarizeScaler(src: ByteSource, file: TorchFile, v: PyValue | undefined): Promise<ScalerSummary | undefined> {
  if (!v || v.kind !== 'dict' || v.entries.length === 0) return undefined;
  return { scale: await numberOrScalar(src, file, dictGet(v, 'scale')) };
}

/** Optimizer summary plus the param-group layout (torch/optim/optimizer.py `state_dict`). */
export interface OptimizerStateSummary extends OptimizerSummary {
  /** Number of `param_groups` (HF AdamW: 2, decay / no decay). */
  readonly paramGroups: number;
  /** Keys of the first param group (`lr`, `betas`, `eps`, `weight_decay`, ..., `params`). */
  readonly paramGroupKeys: string[];
}

/** {@link summarizeOptimizer} plus param-group counts; undefined when `v` is not an optimizer state dict. */
export async function summarizeOptimizerState(src: ByteSource, file: TorchFile, v: PyValue | undefined): Promise<OptimizerStateSummary | undefined> {
  const base = await summarizeOptimizer(src, file, v);
  if (!base) return undefined;
  const groups = dictGet(v, 'param_groups');
  const items = groups && groups.kind === 'list' ? groups.items : [];
  return { ...base, paramGroups: items.length, paramGroupKeys: dictKeys(items[0]) };
}

/** LR scheduler summary plus its whole state dict as plain data (torch/optim/lr_scheduler.py `state_dict`). */
export interface SchedulerStateSummary extends SchedulerSummary {
  /** `_step_count`: scheduler.step() calls + 1 (the constructor's initial step). */
  readonly stepCount: number | undefined;
  /**
   * `lr_lambdas` of a LambdaLR as saved: `null` for plain functions and lambdas, the `__dict__`
   * of callable objects (`{}` for a `functools.partial`); undefined for other schedulers.
   */
  readonly lrLambdas: PlainValue[] | undefined;
  /** Every key of the state dict as plain data (lists cut to 8 items). */
  readonly fields: { [key: string]: PlainValue };
}

/** {@link summarizeScheduler} plus `_step_count`, `lr_lambdas` and all fields; undefined when `v` is not a dict. */
export function summarizeSchedulerState(v: PyValue | undefined): SchedulerStateSummary | undefined {
  const base = summarizeScheduler(v);
  if (!base || !v || v.kind !== 'dict') return undefined;
  const lambdas = dictGet(v, 'lr_lambdas');
  const budget = plainBudget();
  const fields = plainEntries(v.entries, budget);
  return {
    ...base,
    stepCount: asNumber(dictGet(v, '_step_count')),
    lrLambdas: lambdas && lambdas.kind === 'list' ? lambdas.items.map((x) => plainValue(x, 8, 0, budget)) : undefined,
    fields,
  };
}

