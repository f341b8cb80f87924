/**
 * The fallback for any torch.save file no trainer claimed: its state-dict tensors, optimizer, and
 * epoch/step when it has them. A dict with top-level `epoch` and `step` is read the EnStack way
 * (and may be repaired); the PyTorch tutorial layout (`pytorch/tutorials`
 * `saving_and_loading_a_general_checkpoint.py`: epoch without step) shows its epoch and leaves
 * the resume to the script.
 */
import type { AnalysisContext } from '../../analyze/context';
import { dictGet } from '../../pickle/values';
import type { TorchFile } from '../../torch/torchFile';
import type { Convention, ConventionPart } from '../convention';
import { readEnstackCheckpoint } from '../enstack/index';
import { hasEpochAndStep } from '../enstack/state';
import { summarizeStateDict } from '../modelWeights';
import { epochStepRepairOf, notRepairable } from '../shared/repairEligibility';
import { summarizeOptimizer } from '../stateDicts';
import type { TrainingPosition, TrainingProgress } from '../summary';

/** The tutorial layout's display progress: the epoch is shown, the step is marked not saved. */
function epochOnly(state: TorchFile): TrainingProgress | undefined {
  const e = dictGet(state.value, 'epoch');
  if (!e || e.kind !== 'int' || typeof e.value !== 'number') return undefined;
  return {
    epoch: e.value,
    step: 0,
    stepSaved: false,
    totalBatches: undefined,
    status: 'unknown',
    progressPercent: undefined,
    remainingBatches: undefined,
    resume: { epoch: e.value + 1, step: 0, text: `follow the training script: only epoch ${e.value} was saved, usually after finishing it, so most scripts start epoch ${e.value + 1}` },
    note: 'Only the epoch was saved (no step or batches per epoch): how far into it the save was made cannot be told.',
  };
}

/** An epoch whose meaning the file does not tell: no count of completed epochs. */
function epochOnlyPosition(p: TrainingProgress): TrainingPosition {
  return {
    epochsCompleted: undefined,
    epoch: p.epoch,
    epochBase: 1,
    epochMeaning: 'undefined: the script decides (the PyTorch tutorial saves whatever the loop variable held)',
    stepInEpoch: undefined,
    stepsPerEpoch: undefined,
    stepUnit: 'batches',
    globalStep: undefined,
    finished: false,
    resumable: undefined,
    resume: p.resume.text,
    note: p.note,
  };
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const path = ctx.paths('training-state')[0];
  const state = await ctx.loadTorch(path);
  if (!state) return { kind: 'unreadable', repair: notRepairable('no readable training state') };
  if (hasEpochAndStep(state.value)) return readEnstackCheckpoint(ctx, path, 'generic');
  const optimizer = await summarizeOptimizer(ctx.open(path), state, dictGet(state.value, 'optimizer_state_dict') ?? dictGet(state.value, 'optimizer'));
  const progress = epochOnly(state);
  return {
    kind: 'generic',
    progress,
    position: progress ? epochOnlyPosition(progress) : undefined,
    optimizer,
    model: summarizeStateDict(path, state.value),
    repair: epochStepRepairOf(ctx, state, path),
  };
}

/** Any torch.save file (always matches: it is last in the registry). */
export const generic: Convention = {
  id: 'generic',
  label: 'torch.save',
  matches: () => true,
  read,
};
