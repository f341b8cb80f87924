/**
 * PyTorch Lightning checkpoints (`.ckpt`, or any torch file whose top-level dict holds
 * `pytorch-lightning_version`). Resume rule: Lightning `loops/fit_loop.py` restores
 * `loops.fit_loop.epoch_progress` and the epoch loop's batch progress (>= 1.5); the top-level
 * `epoch` is the completed-count at save time (>= 1.6) or the next epoch (<= 1.5).
 */
import type { AnalysisContext } from '../../analyze/context';
import type { Convention, ConventionPart } from '../convention';
import { notRepairable } from '../shared/repairEligibility';
import type { TrainingPosition, TrainingProgress } from '../summary';
import { isLightningCheckpoint, readLightning, type LightningSummary } from './readLightning';
import { lightningRepair } from './repair';

/** Lightning's counters as the display progress; epochs stay 0-based as Lightning saves them. */
export function lightningProgress(l: LightningSummary): TrainingProgress | undefined {
  if (l.epoch === undefined) return undefined;
  const p = l.position;
  return {
    epoch: l.epoch,
    step: p.batchesDoneInEpoch ?? 0,
    totalBatches: undefined,
    status: p.epochFinished ? 'complete' : p.savedAt === 'unknown' ? 'unknown' : 'incomplete',
    progressPercent: undefined,
    remainingBatches: undefined,
    resume: { epoch: p.resumeEpoch ?? l.epoch, step: p.resumeAfterBatch, text: p.resume },
    note: `Lightning counts epochs from 0. ${p.explanation}`,
  };
}

/** Lightning's position in the shared model: epochs completed = the 0-based epoch a resume trains next. */
export function positionOfLightning(l: LightningSummary): TrainingPosition {
  const p = l.position;
  const known = p.savedAt !== 'unknown';
  return {
    epochsCompleted: p.resumeEpoch,
    epoch: l.epoch,
    epochBase: 0,
    epochMeaning: 'trainer.current_epoch at save (Lightning >= 1.6: epochs completed; <= 1.5: the next epoch)',
    stepInEpoch: known ? p.resumeAfterBatch : undefined,
    stepsPerEpoch: undefined,
    stepUnit: 'batches',
    globalStep: l.globalStep,
    finished: false,
    resumable: l.optimizers.length > 0 ? true : undefined,
    resume: p.resume,
    note: p.explanation,
  };
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const path = ctx.paths('training-state')[0];
  const state = await ctx.loadTorch(path);
  if (!state) return { kind: 'unreadable', repair: notRepairable('no readable training state') };
  const l = await readLightning(ctx.open(path), state);
  for (const p of l.problems) ctx.problems.push(p);
  for (const w of l.warnings) ctx.warnings.push(w);
  const bestName = l.monitor ?? l.modelCheckpoints.find((c) => c.bestModelScore === l.bestModelScore)?.key ?? 'best_model_score';
  const best = l.bestModelScore !== undefined ? { name: bestName, value: l.bestModelScore } : undefined;
  // every ModelCheckpoint's best score (several callbacks may monitor different metrics)
  const metrics = l.modelCheckpoints.flatMap((c) => (c.bestModelScore === undefined ? [] : [{ name: c.monitor ?? c.key, value: c.bestModelScore, best: true }]));
  return {
    kind: 'lightning',
    lightning: l,
    progress: lightningProgress(l),
    position: positionOfLightning(l),
    metrics,
    facts: l.savedPlusOne
      ? [{
          label: 'saved counters',
          value: `Lightning ${l.lightningVersion ?? '< 1.5'} wrote epoch = current_epoch + 1 and global_step = optimizer steps + 1 (dump_checkpoint), so global_step ${l.globalStep ?? '?'}${l.optimizers[0]?.steps !== undefined ? ` with ${l.optimizers[0].steps} optimizer steps` : ''} is expected, not an error`,
        }]
      : [],
    optimizer: l.optimizers[0],
    scheduler: l.schedulers[0],
    model: l.model,
    bestMetric: best,
    repair: notRepairable('Lightning resumes from its loop counters, not from a top-level epoch/step pair; re-save from Lightning instead'),
  };
}

/** PyTorch Lightning. */
export const lightning: Convention = {
  id: 'lightning',
  label: 'Lightning',
  repair: lightningRepair,
  matches: (file) => isLightningCheckpoint(file.value),
  read,
};
