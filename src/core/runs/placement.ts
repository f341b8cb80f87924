/**
 * Where the checkpoints of ONE run stand against each other: which one a resume uses, which is
 * furthest, which are ahead of the resume checkpoint, and whether its end-of-epoch save was lost
 * (EnStack trainer: a save at an epoch end overwrites `last_checkpoint`; when it fails, a
 * checkpoint claiming the epoch complete, or one in the next epoch, is ahead of it).
 */
import { conventionById } from '../conventions/registry';
import type { CheckpointSummary } from '../conventions/summary';
import { comparePositions, positionOf, type Position } from '../findings/position';

/** A checkpoint whose position is known. */
export type Placed = CheckpointSummary & { progress: NonNullable<CheckpointSummary['progress']>; position: NonNullable<CheckpointSummary['position']> };

/** The comparable position of a placed checkpoint. */
export const at = (s: Placed): Position => positionOf(s) as Position;

/** True for leftovers of interrupted saves (`.tmp_*`, `.backup_*`). */
export const isLeftover = (name: string): boolean => name.startsWith('.tmp_') || name.startsWith('.backup_');

/** How the checkpoints of one run stand. */
export interface RunPlacement {
  /** The checkpoints whose position is known, leftovers excluded. */
  readonly regular: Placed[];
  /** The one a resume uses. */
  readonly last: Placed | undefined;
  /** The one with the most training. */
  readonly furthest: Placed | undefined;
  /** Checkpoints with more training than `last`. */
  readonly ahead: Placed[];
  /** The earliest of `ahead` that says `last`'s epoch (or a later one) is complete. */
  readonly claimsComplete: Placed | undefined;
  /** A checkpoint of a later epoch than `last`'s (preferring periodic `checkpoint_epoch*` saves). */
  readonly started: Placed | undefined;
  /** `last` is mid-epoch while the run went past that epoch's end: its end-of-epoch save was lost. */
  readonly lostEpochEnd: boolean;
}

/** The default resume pick among `checkpoints`: `last_checkpoint`, then `last*`, then `checkpoint_last*`, else undefined. */
export function namedLast<T extends { readonly name: string }>(checkpoints: readonly T[]): T | undefined {
  return checkpoints.find((s) => s.name === 'last_checkpoint') ?? checkpoints.find((s) => /^last/.test(s.name)) ?? checkpoints.find((s) => /^checkpoint_last/.test(s.name));
}

/** Place the checkpoints of one run (all of one convention). */
export function placeRun(summaries: readonly CheckpointSummary[]): RunPlacement {
  const placed = summaries.filter((s): s is Placed => s.progress !== undefined && positionOf(s) !== undefined);
  // a file that could not be read cleanly, or that runs code, is never what a resume should use
  const regular = placed.filter((s) => !isLeftover(s.name) && s.problems.length === 0 && s.safety?.verdict !== 'dangerous');
  const byPos = (a: Placed, b: Placed): number => comparePositions(at(a), at(b));
  const furthest = [...regular].sort((a, b) => byPos(b, a))[0];
  const convention = regular[0] ? conventionById(regular[0].kind) : undefined;
  const picked = convention?.pickResume?.(regular) as Placed | undefined;
  const last = picked && regular.includes(picked) ? picked : (namedLast(regular) ?? furthest);
  if (!last) return { regular, last, furthest, ahead: [], claimsComplete: undefined, started: undefined, lostEpochEnd: false };
  const lp = at(last);
  const ahead = regular.filter((s) => s !== last && comparePositions(at(s), lp) > 0 && (!s.progress.totalBatches || !last.progress.totalBatches || s.progress.totalBatches === last.progress.totalBatches));
  const claimsComplete = ahead.filter((s) => s.progress.status === 'complete' && s.progress.epoch >= last.progress.epoch).sort(byPos)[0];
  const started = ahead
    .filter((s) => s.progress.status === 'incomplete' && s.progress.epoch > last.progress.epoch)
    .sort((a, b) => Number(/^checkpoint_epoch/.test(b.name)) - Number(/^checkpoint_epoch/.test(a.name)) || byPos(a, b))[0];
  const lostEpochEnd = ahead.length > 0 && last.progress.status === 'incomplete' && (claimsComplete?.progress.epoch === last.progress.epoch || (started !== undefined && started.progress.epoch > last.progress.epoch));
  return { regular, last, furthest, ahead, claimsComplete, started, lostEpochEnd };
}
