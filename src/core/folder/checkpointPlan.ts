/**
 * The types of a drop's plan: which files make up each checkpoint, with their roles, and which
 * convention reads it. Types only (no logic), shared by the planner, the conventions and the
 * analysis context.
 */
import type { SniffedKind } from '../torch/sniff';

/** A file as dropped: its path relative to the drop (forward slashes) and its size in bytes. */
export interface DroppedFile {
  readonly path: string;
  readonly size: number;
}

/** A file of a planned checkpoint with its role (a convention's own role name, e.g. `optimizer`). */
export interface PlannedFile {
  readonly path: string;
  readonly role: string;
}

/** One checkpoint a convention claimed. */
export interface CheckpointClaim {
  /** Stable id: folder path, or file path for single-file checkpoints. */
  readonly id: string;
  readonly name: string;
  /** Folder path ('' for the drop root). */
  readonly path: string;
  readonly files: PlannedFile[];
}

/** One folder of a drop, as the planner shows it to `claimFolder` (paths only, no I/O). */
export interface FolderListing {
  /** Folder path relative to the drop ('' for the root). */
  readonly dir: string;
  /** File names directly in the folder, sorted. */
  readonly names: readonly string[];
  /** Names of the folder's direct sub-folders, sorted. */
  readonly subfolders: readonly string[];
  /** The files of every folder below this one, as paths relative to the drop (for layouts such as DeepSpeed `global_stepN/`). */
  readonly below: readonly string[];
  /** What the first bytes said, for files whose name alone does not tell (no or unknown extension). */
  readonly sniffed: ReadonlyMap<string, SniffedKind>;
  /** Names already claimed by an earlier convention. */
  readonly claimed: ReadonlySet<string>;
  /** `dir/name`, or `name` at the root. */
  join(name: string): string;
}

/** One checkpoint to analyse: a claim plus the id of the convention that reads it. */
export interface CheckpointPlan extends CheckpointClaim {
  /** A convention id from `conventions/registry.ts`, or {@link BY_CONTENT}. */
  readonly convention: string;
}

/** Folders that hold files but no checkpoint (leftovers such as `.tmp_*` with only config.json). */
export interface OtherFolder {
  readonly path: string;
  readonly files: string[];
}

/** The result of planning a drop. */
export interface DropPlan {
  readonly checkpoints: CheckpointPlan[];
  readonly otherFolders: OtherFolder[];
}

/** The plan's convention id of a lone torch file whose convention is decided by its content. */
export const BY_CONTENT = 'by-content';
