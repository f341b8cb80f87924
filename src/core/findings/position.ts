/**
 * Where in training a checkpoint stands, comparable across checkpoints. By the EnStack convention
 * (seed tool `debug_checkpoint.py`): a complete epoch E means E epochs done; an incomplete one
 * means E-1 epochs done plus `step` batches of epoch E.
 */
import type { TrainingProgress } from '../conventions/summary';

/** Completed epochs and batches into the next one. */
export interface Position {
  readonly epochsDone: number;
  /** Batches done in epoch `epochsDone + 1`. */
  readonly batchesInto: number;
}

/** The position of a saved progress. */
export function positionOf(p: TrainingProgress): Position {
  return p.status === 'complete' ? { epochsDone: p.epoch, batchesInto: 0 } : { epochsDone: p.epoch - 1, batchesInto: p.step };
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

/** Position on a common training axis in epochs (e.g. 1.787 = 78.7% into epoch 2), for charts. */
export function trainingAxis(p: TrainingProgress): number | undefined {
  const pos = positionOf(p);
  if (pos.batchesInto === 0) return pos.epochsDone;
  return p.totalBatches ? pos.epochsDone + pos.batchesInto / p.totalBatches : undefined;
}
