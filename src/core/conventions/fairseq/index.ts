/**
 * fairseq (`checkpoint_last.pt`, `checkpoint{E}.pt`, `checkpoint_{E}_{U}.pt`, `checkpoint_best.pt`).
 * Resume rule (`fairseq/checkpoint_utils.py:load_checkpoint`, `fairseq/trainer.py:Trainer.load_checkpoint`,
 * `fairseq/data/iterators.py:EpochBatchIterator.load_state_dict`): the train iterator is rebuilt
 * for `train_iterator.epoch` and fast-forwarded by `iterations_in_epoch` batches; at an epoch end
 * the saved epoch is already the next one with 0 iterations (CONVENTIONS.md §13). The LR
 * scheduler follows `num_updates`. Training stops once epoch > max_epoch or num_updates >= max_update.
 */
import type { AnalysisContext } from '../../analyze/context';
import { baseName } from '../../folder/paths';
import { dictGet } from '../../pickle/values';
import type { Convention, ConventionPart } from '../convention';
import { summarizeStateDict } from '../modelWeights';
import { notRepairable } from '../shared/repairEligibility';
import { summarizeOptimizer } from '../stateDicts';
import type { SavedFact, SavedMetric, TrainingPosition } from '../summary';
import { fairseqName, isFairseqCheckpoint, readFairseqState, type FairseqState } from './readState';
import { fairseqRepair } from './repair';

/** fairseq's position in the shared model (epochs from 1, steps = batches of the iterator). */
export function fairseqPosition(s: FairseqState, hasOptimizer: boolean): TrainingPosition {
  const e = s.iteratorEpoch;
  const into = s.iterationsInEpoch;
  const byEpoch = s.maxEpoch !== undefined && s.maxEpoch > 0 && e !== undefined && e > s.maxEpoch;
  const byUpdate = s.maxUpdate !== undefined && s.maxUpdate > 0 && s.numUpdates !== undefined && s.numUpdates >= s.maxUpdate;
  const finished = byEpoch || byUpdate;
  const where = e === undefined
    ? 'where a resume starts cannot be told (no extra_state.train_iterator)'
    : into === undefined || into === 0
      ? `start epoch ${e} at its first batch`
      : `continue epoch ${e} after batch ${into} (the iterator is fast-forwarded ${into} batches)`;
  return {
    epochsCompleted: e === undefined ? undefined : e - 1,
    epoch: e,
    epochBase: 1,
    epochMeaning: 'train_iterator.epoch: the epoch (from 1) a resume trains; at an epoch end it already names the next epoch, with iterations_in_epoch 0',
    stepInEpoch: into,
    stepsPerEpoch: undefined,
    stepUnit: 'batches',
    globalStep: s.numUpdates,
    plannedEpochs: s.maxEpoch !== undefined && s.maxEpoch > 0 ? s.maxEpoch : undefined,
    finished,
    resumable: hasOptimizer,
    resume: finished
      ? byEpoch
        ? `train nothing: train_iterator.epoch ${e} is past max_epoch ${s.maxEpoch} (the run finished)`
        : `train nothing: num_updates ${s.numUpdates} has reached max_update ${s.maxUpdate} (the run finished)`
      : where,
    note: 'fairseq resumes from extra_state.train_iterator (epoch and batches into it); num_updates drives the LR schedule.',
  };
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const path = ctx.paths('training-state')[0];
  const file = await ctx.loadTorch(path);
  if (!file) return { kind: 'unreadable', repair: notRepairable('no readable training state') };
  const root = file.value;
  const s = readFairseqState(root);
  const optimizer = await summarizeOptimizer(ctx.open(path), file, dictGet(root, 'last_optimizer_state'));
  const position = fairseqPosition(s, optimizer !== undefined);
  const name = fairseqName(baseName(path));
  if (name?.kind === 'epoch' && s.iteratorEpoch !== undefined && (s.iteratorEpoch !== name.epoch + 1 || (s.iterationsInEpoch ?? 0) !== 0)) {
    ctx.warnings.push(`${path}: named as the end of epoch ${name.epoch}, but train_iterator says epoch ${s.iteratorEpoch} after ${s.iterationsInEpoch ?? '?'} batches (an end-of-epoch save holds epoch ${name.epoch + 1} and 0); a resume follows train_iterator.`);
  }
  if (name?.kind === 'updates' && s.numUpdates !== undefined && s.numUpdates !== name.updates) {
    ctx.warnings.push(`${path}: named after update ${name.updates}, but optimizer_history says num_updates ${s.numUpdates}.`);
  }
  if (s.iteratorVersion !== undefined && s.iteratorVersion < 2) {
    ctx.warnings.push(`${path}: train_iterator version ${s.iteratorVersion}: a position past the end of a changed dataset is treated as a finished epoch (version 2 raises "Cannot resume training due to dataloader mismatch").`);
  }
  // extra_state.best holds the best value of best_checkpoint_metric (default `loss`)
  const metricName = s.bestMetricName ?? 'loss';
  const metrics: SavedMetric[] = [
    ...(s.best !== undefined ? [{ name: metricName, value: s.best, best: true }] : []),
    ...(s.valLoss !== undefined ? [{ name: 'extra_state.val_loss', value: s.valLoss, best: false }] : []),
  ];
  const facts: SavedFact[] = [
    ...(s.iteratorEpoch !== undefined ? [{ label: 'train_iterator.epoch', value: String(s.iteratorEpoch) }] : []),
    ...(s.iterationsInEpoch !== undefined ? [{ label: 'train_iterator.iterations_in_epoch', value: String(s.iterationsInEpoch) }] : []),
    ...(s.numUpdates !== undefined ? [{ label: 'num_updates', value: String(s.numUpdates) }] : []),
    ...(s.maxEpoch !== undefined ? [{ label: 'max_epoch', value: String(s.maxEpoch) }] : []),
    ...(s.maxUpdate !== undefined ? [{ label: 'max_update', value: String(s.maxUpdate) }] : []),
    ...(s.optimizerName ? [{ label: 'optimizer_name', value: s.optimizerName }] : []),
    ...(s.criterionName ? [{ label: 'criterion_name', value: s.criterionName }] : []),
  ];
  return {
    kind: 'fairseq',
    position,
    metrics,
    facts,
    optimizer,
    model: summarizeStateDict(path, root),
    bestMetric: s.best !== undefined ? { name: metricName, value: s.best } : undefined,
    repair: notRepairable('fairseq resumes from extra_state.train_iterator (epoch, iterations_in_epoch), not an epoch/step pair'),
  };
}

/** fairseq. */
export const fairseq: Convention = {
  id: 'fairseq',
  label: 'fairseq',
  repair: fairseqRepair,
  matches: (file) => isFairseqCheckpoint(file.value),
  read,
};
