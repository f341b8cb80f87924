/**
 * Builders between the shared {@link TrainingPosition} and the display progress the card and the
 * table show ({@link TrainingProgress}). A convention that fills a position gets its display
 * progress from here, so the two never disagree.
 */
import { roundOneDecimal } from '../../display/round';
import type { TrainingPosition, TrainingProgress } from '../summary';

/**
 * The display progress of a position, in the trainer's own epoch numbering: at an epoch boundary
 * the last completed epoch ("epoch 36 complete", 0-based for Ultralytics), otherwise the epoch in
 * progress with the steps done in it, % of the epoch (one decimal, as Python's `.1f`) and steps
 * left. Undefined when the position has no epoch count.
 */
export function progressOfPosition(p: TrainingPosition): TrainingProgress | undefined {
  if (p.epochsCompleted === undefined) return undefined;
  const into = p.stepInEpoch;
  const atBoundary = into === 0 && p.epochsCompleted > 0;
  const status: TrainingProgress['status'] = into === undefined ? 'unknown' : atBoundary ? 'complete' : 'incomplete';
  const per = p.stepsPerEpoch;
  return {
    epoch: atBoundary ? p.epochsCompleted - 1 + p.epochBase : p.epochsCompleted + p.epochBase,
    step: into ?? 0,
    stepSaved: into !== undefined,
    totalBatches: per,
    status,
    progressPercent: status === 'incomplete' && per ? roundOneDecimal(((into as number) / per) * 100) : undefined,
    remainingBatches: status === 'incomplete' && per ? per - (into as number) : undefined,
    resume: { epoch: p.epochsCompleted + p.epochBase, step: into ?? 0, text: p.resume },
    note: p.note,
  };
}

/** `epoch` as a count of completed epochs, for a 0-based "index of the epoch just finished" (timm v2, Ultralytics). */
export function finishedIndexPosition(
  epoch: number,
  fields: Omit<TrainingPosition, 'epoch' | 'epochsCompleted' | 'epochBase' | 'epochMeaning' | 'stepInEpoch'> & { epochMeaning?: string },
): TrainingPosition {
  return {
    ...fields,
    epoch,
    epochsCompleted: epoch + 1,
    epochBase: 0,
    epochMeaning: fields.epochMeaning ?? 'index (from 0) of the epoch just finished',
    stepInEpoch: 0,
  };
}
