/**
 * Where in training a checkpoint stands, comparable across checkpoints: through the shared
 * {@link TrainingPosition} every convention fills (epochs completed as a count, steps into the
 * next one), never through the trainer's own epoch number, whose base differs (Lightning and
 * Ultralytics count from 0, EnStack from 1).
 */
import type { CheckpointSummary, TrainingPosition, TrainingProgress } from '../conventions/summary';

/** Completed epochs and batches into the next one. */
export interface Position {
  readonly epochsDone: number;
  /** Batches done in epoch `epochsDone + 1`. */
  readonly batchesInto: number;
}

/**
 * The comparable position of a checkpoint: epochs completed and steps into the next epoch, from
 * its shared position. Undefined when either is unknown (e.g. an epoch saved without a step).
 */
export function positionOf(s: Pick<CheckpointSummary, 'position'>): Position | undefined {
  const p: TrainingPosition | undefined = s.position;
  if (!p || p.epochsCompleted === undefined || p.stepInEpoch === undefined) return undefined;
  return { epochsDone: p.epochsCompleted, batchesInto: p.stepInEpoch };
}

/** Negative when `a` is earlier than `b`, 0 when equal, positive when later. */
export function comparePositions(a: Position, b: Position): number {
  return a.epochsDone - b.epochsDone || a.batchesInto - b.batchesInto;
}

/**
 * Optimizer steps the trainer expects at a save (EnStack trainer's resume check):
 * `epoch * total_batches` at an epoch end, otherwise `(epoch - 1) * total_batches + step`.
 * Undefined without total_batches.
 */
export function expectedOptimizerSteps(p: TrainingProgress): number | undefined {
  if (!p.totalBatches) return undefined;
  return p.status === 'complete' ? p.epoch * p.totalBatches : (p.epoch - 1) * p.totalBatches + p.step;
}

/** Position on a common training axis in epochs done (e.g. 1.787 = 78.7% into the second epoch), for charts. */
export function trainingAxis(s: Pick<CheckpointSummary, 'position'>): number | undefined {
  const pos = positionOf(s);
  if (!pos) return undefined;
  if (pos.batchesInto === 0) return pos.epochsDone;
  const per = s.position?.stepsPerEpoch;
  return per ? pos.epochsDone + pos.batchesInto / per : undefined;
}
