/**
 * The fallback for any torch.save file no trainer claimed: its model (the candidate state dict
 * with the most tensors), optimizer, metrics (`best_*`, `acc`, `*_acc`, `loss`...: numbers, 0-d
 * tensors or numpy scalars) and epoch/step when it has them. A dict with top-level `epoch` and
 * `step` is read the EnStack way (and may be repaired); the PyTorch tutorial layout
 * (`pytorch/tutorials` `saving_and_loading_a_general_checkpoint.py`: epoch without step) shows its
 * epoch and leaves the resume to the script; `iteration`/`iter`/`global_step` are shown as the step
 * count; an epoch found only in the file name (`epoch_5.pth`) is shown as a fact.
 */
import type { AnalysisContext } from '../../analyze/context';
import { dictGet } from '../../pickle/values';
import type { Convention, ConventionPart } from '../convention';
import { readEnstackCheckpoint } from '../enstack/index';
import { hasEpochAndStep } from '../enstack/state';
import { epochStepRepairOf, notRepairable } from '../shared/repairEligibility';
import { fileName, topLevelMetrics } from '../shared/savedFields';
import { largestStateDict, summarizeTensors } from '../shared/stateDictTensors';
import { summarizeOptimizer, summarizeScheduler } from '../stateDicts';
import type { SavedFact, TrainingPosition, TrainingProgress } from '../summary';
import { epochInFileName, savedEpoch, savedStep, type NamedCount } from './stepAliases';

/** The tutorial layout's display progress: the epoch is shown, the step is marked not saved. */
function epochOnly(e: NamedCount): TrainingProgress {
  return {
    epoch: e.value,
    step: 0,
    stepSaved: false,
    totalBatches: undefined,
    status: 'unknown',
    progressPercent: undefined,
    remainingBatches: undefined,
    resume: { epoch: e.value + 1, step: 0, text: `follow the training script: only ${e.name} ${e.value} was saved, usually after finishing it, so most scripts start epoch ${e.value + 1}` },
    note: 'Only the epoch was saved (no step or batches per epoch): how far into it the save was made cannot be told.',
  };
}

/** An epoch whose meaning the file does not tell: no count of completed epochs. */
function epochOnlyPosition(p: TrainingProgress, step: NamedCount | undefined): TrainingPosition {
  return {
    epochsCompleted: undefined,
    epoch: p.epoch,
    epochBase: 1,
    epochMeaning: 'undefined: the script decides (the PyTorch tutorial saves whatever the loop variable held)',
    stepInEpoch: undefined,
    stepsPerEpoch: undefined,
    stepUnit: step && step.name.startsWith('it') ? 'iterations' : 'batches',
    globalStep: step?.value,
    finished: false,
    resumable: undefined,
    resume: p.resume.text,
    note: p.note,
  };
}

/** Only a step counter (`iteration` 10): the global position, no epochs. */
function stepOnlyPosition(step: NamedCount, hasOptimizer: boolean): TrainingPosition {
  return {
    epochsCompleted: undefined,
    epoch: undefined,
    epochBase: 1,
    epochMeaning: 'not saved',
    stepInEpoch: undefined,
    stepsPerEpoch: undefined,
    stepUnit: step.name === 'global_step' || step.name === 'num_updates' ? 'optimizer steps' : 'iterations',
    globalStep: step.value,
    finished: false,
    resumable: hasOptimizer ? undefined : false,
    resume: `follow the training script: ${step.name} ${step.value} was saved (no epoch); scripts of this kind usually continue from ${step.name} ${step.value}${hasOptimizer ? '' : ', without an optimizer state'}`,
    note: `Only a step counter (${step.name}) was saved: epochs and batches per epoch are the script's business.`,
  };
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const path = ctx.paths('training-state')[0];
  const state = await ctx.loadTorch(path);
  if (!state) return { kind: 'unreadable', repair: notRepairable('no readable training state') };
  if (hasEpochAndStep(state.value)) return readEnstackCheckpoint(ctx, path, 'generic');
  const root = state.value;
  const src = ctx.open(path);
  const optimizer = await summarizeOptimizer(src, state, dictGet(root, 'optimizer_state_dict') ?? dictGet(root, 'optimizer'));
  const epoch = savedEpoch(root);
  const step = savedStep(root);
  const progress = epoch ? epochOnly(epoch) : undefined;
  const position = progress ? epochOnlyPosition(progress, step) : step ? stepOnlyPosition(step, optimizer !== undefined) : undefined;
  const facts: SavedFact[] = [];
  const nameEpoch = epoch ? undefined : epochInFileName(fileName(path));
  if (nameEpoch !== undefined) facts.push({ label: 'epoch (from the file name)', value: `${nameEpoch}: the file itself saves no epoch` });
  if (step && epoch) facts.push({ label: step.name, value: String(step.value) });
  const found = largestStateDict(root);
  if (found?.key) facts.push({ label: 'model weights', value: `under '${found.key}'` });
  const metrics = await topLevelMetrics(src, state, root);
  const best = metrics.find((m) => m.best);
  return {
    kind: 'generic',
    progress,
    position,
    metrics,
    facts,
    bestMetric: best ? { name: best.name, value: best.value } : undefined,
    optimizer,
    scheduler: summarizeScheduler(dictGet(root, 'scheduler_state_dict') ?? dictGet(root, 'scheduler')),
    model: found ? summarizeTensors(path, found.tensors) : undefined,
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
