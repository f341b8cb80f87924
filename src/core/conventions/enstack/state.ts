/**
 * The EnStack convention (github.com/TCTri205/EnStack-paper): `training_state.pth` =
 * torch.save({optimizer_state_dict, scheduler_state_dict, scaler_state_dict, best_val_f1,
 * best_val_acc, epoch, step, total_batches}). Decision rules as in the seed tool
 * `scripts/debug_checkpoint.py` (see `resumeDecision.ts`).
 */
import type { ByteSource } from '../../bytes/byteSource';
import { asNumber, dictGet, type PyValue } from '../../pickle/values';
import type { TorchFile } from '../../torch/torchFile';
import { decideResume } from './resumeDecision';
import { summarizeOptimizer, summarizeScaler, summarizeScheduler } from '../stateDicts';
import type { EpochAndStep, OptimizerSummary, ScalerSummary, SchedulerSummary, TrainingProgress } from '../summary';

/** What the EnStack reader extracts from a training_state.pth. */
export interface EnstackState {
  readonly progress: TrainingProgress | undefined;
  readonly bestValF1: number | undefined;
  readonly bestValAcc: number | undefined;
  readonly optimizer: OptimizerSummary | undefined;
  readonly scheduler: SchedulerSummary | undefined;
  readonly scaler: ScalerSummary | undefined;
  /** `history` dict of metric lists (one value per epoch), when saved. */
  readonly history: Record<string, number[]> | undefined;
  /** Sentences for things worth flagging (e.g. missing keys). */
  readonly warnings: string[];
}

/** True when the root value is a dict holding `epoch` and `step` at top level (repairable trainers). */
export function hasEpochAndStep(root: PyValue): boolean {
  return epochAndStep(root) !== undefined;
}

/** The top-level int `epoch` and `step` of a state dict, as saved (no convention's reading applied), or undefined. */
export function epochAndStep(root: PyValue): EpochAndStep | undefined {
  if (root.kind !== 'dict') return undefined;
  const epoch = intValue(dictGet(root, 'epoch'));
  const step = intValue(dictGet(root, 'step'));
  return epoch !== undefined && step !== undefined ? { epoch, step } : undefined;
}

function intValue(v: PyValue | undefined): number | undefined {
  if (!v) return undefined;
  if (v.kind === 'int') return Number(v.value);
  return undefined;
}

/**
 * Read an EnStack training_state.pth that was parsed into `file`.
 * Reads a few bytes per sampled optimizer `step` tensor; nothing else beyond the pickle.
 */
export async function readEnstackState(src: ByteSource, file: TorchFile): Promise<EnstackState> {
  const root = file.value;
  const warnings: string[] = [];
  const epoch = intValue(dictGet(root, 'epoch'));
  const step = intValue(dictGet(root, 'step'));
  const totalV = dictGet(root, 'total_batches');
  const total = intValue(totalV);
  let progress: TrainingProgress | undefined;
  if (epoch === undefined || step === undefined) {
    warnings.push('old checkpoint format: no epoch or step saved, so where a resume starts cannot be told');
  } else {
    progress = decideResume(epoch, step, total);
  }
  if (totalV === undefined && epoch !== undefined) warnings.push('no total_batches saved (an older checkpoint): the trainer will use the current dataset\'s batches per epoch');
  return {
    progress,
    bestValF1: asNumber(dictGet(root, 'best_val_f1')),
    bestValAcc: asNumber(dictGet(root, 'best_val_acc')),
    optimizer: await summarizeOptimizer(src, file, dictGet(root, 'optimizer_state_dict')),
    scheduler: summarizeScheduler(dictGet(root, 'scheduler_state_dict')),
    scaler: await summarizeScaler(src, file, dictGet(root, 'scaler_state_dict')),
    history: readHistory(dictGet(root, 'history')),
    warnings,
  };
}

/** A `history` dict of numeric lists (e.g. `{'val_f1': [...], 'val_acc': [...]}`); non-numeric entries are skipped. */
export function readHistory(v: PyValue | undefined): Record<string, number[]> | undefined {
  if (!v || v.kind !== 'dict') return undefined;
  const out: Record<string, number[]> = {};
  for (const [k, list] of v.entries) {
    if (k.kind !== 'str' || list.kind !== 'list') continue;
    const nums = list.items.map(asNumber);
    if (nums.length && nums.every((n) => n !== undefined)) out[k.value] = nums as number[];
  }
  return Object.keys(out).length ? out : undefined;
}
