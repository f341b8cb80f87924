/**
 * The one interface every training convention implements (a trainer = one folder under
 * `conventions/<id>/` + one line in `registry.ts`). The seam follows Netron's list of readers
 * (`pytorch.js` `Reader.open(context)` returns a reader or null): a convention claims what it
 * recognises and reads it; everything else (detection order, the table, the CLI, the share link,
 * the chart) goes through the registry.
 *
 * Two ways to claim:
 * - `claimFolder`: by the names in one folder (no I/O): HF `trainer_state.json`, Accelerate
 *   `random_states_0.pkl`, DeepSpeed `latest`...;
 * - `matches`: by content, for a lone torch file once it is parsed: the keys of its top-level dict
 *   (Ultralytics `train_args`, Lightning `pytorch-lightning_version`...) or its zip members
 *   (TorchScript `constants.pkl`). The first convention in registry order that matches reads it.
 */
import type { AnalysisContext } from '../analyze/context';
import type { CheckpointClaim, FolderListing } from '../folder/checkpointPlan';
import type { TorchFile } from '../torch/torchFile';
import type { ConventionRepair } from '../repair/offers';
import type { CheckpointSummary } from './summary';

/** The convention-specific part of a summary (what `read` returns). */
export type ConventionPart = Omit<CheckpointSummary, 'id' | 'name' | 'path' | 'files' | 'totalBytes' | 'problems' | 'warnings' | 'safety'>;

/** A training convention: how one trainer lays out, names and resumes its checkpoints. */
export interface Convention {
  /** Stable id used in summaries, share links and `inspect --json` (`ultralytics`). */
  readonly id: string;
  /** Display name for the table, the card and the CLI (`Ultralytics`). */
  readonly label: string;
  /** Display names of this convention's file roles (`{ 'train-state': 'kohya train state' }`). */
  readonly roles?: Readonly<Record<string, string>>;
  /** Claim checkpoints in one folder by file and folder names. Every file in `files` is claimed except those with role `other` (listed, still analysed on their own). */
  claimFolder?(folder: FolderListing): CheckpointClaim[];
  /** For a lone torch file: does its parsed content belong to this convention? */
  matches?(file: TorchFile): boolean;
  /**
   * Read a claimed checkpoint. The context parses each file once and records per-file problems;
   * a convention that cannot read its files returns `kind: 'unreadable'` with the reason.
   */
  read(ctx: AnalysisContext): Promise<ConventionPart>;
  /**
   * The checkpoint of one run that the trainer's own resume picks (HF `get_last_checkpoint`: the
   * highest `checkpoint-N`). Absent: `last_checkpoint`, a name starting with `last` or
   * `checkpoint_last`, else the furthest checkpoint.
   */
  pickResume?(checkpoints: readonly CheckpointSummary[]): CheckpointSummary | undefined;
  /**
   * Plans the repairs this convention offers (`summary.repair.offers`, listed by `read`) from its own
   * folder's `repair.ts`; absent: no repairs beyond EnStack's epoch/step (`shared/repairEligibility.ts`).
   */
  readonly repair?: ConventionRepair;
}

