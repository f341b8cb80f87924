/**
 * Results of comparing checkpoints: fields side by side, tensors identical / changed / missing,
 * findings, and the slim summary a share link carries (names and counts, never tensor values).
 */
import type { Finding } from '../findings/types';
import type { TensorRole } from '../health/tensorIndex';

/** One compared field (a counter, a metric, a hyper-parameter), as display text. */
export interface FieldRow {
  /** `position`, `metrics`, `facts`, `optimizer`, `scheduler`, `scaler`, `model`, `files`. */
  readonly group: string;
  readonly label: string;
  /** The values; undefined when the checkpoint does not have the field. */
  readonly a: string | undefined;
  readonly b: string | undefined;
  readonly same: boolean;
}

/** How a tensor pair was decided. */
export type DiffMethod =
  /** Both CRC-32s came from the zip central directory: no tensor byte was read. */
  | 'zip CRC-32'
  /** At least one side's bytes were read and CRC-32 hashed. */
  | 'hashed'
  /** dtype, shape or strides differ: no bytes needed. */
  | 'layout'
  | 'missing'
  /** Not compared: a side's elements are not one contiguous range (or a read failed). */
  | 'not compared';

/** One tensor name across two checkpoints. */
export interface TensorDiff {
  /** Name (key path; prefixed by the file name when the checkpoint has several tensor files). */
  readonly name: string;
  readonly role: TensorRole;
  readonly status: 'identical' | 'changed' | 'only-a' | 'only-b' | 'not-compared';
  readonly method: DiffMethod;
  readonly a?: { readonly dtype: string; readonly shape: readonly number[] };
  readonly b?: { readonly dtype: string; readonly shape: readonly number[] };
  /** For `changed` by layout and for `not-compared`: why. */
  readonly note?: string;
}

/** Counts of a tensor comparison, by status. */
export interface DiffCounts {
  readonly identical: number;
  readonly changed: number;
  readonly onlyA: number;
  readonly onlyB: number;
  readonly notCompared: number;
}

/** Two checkpoints compared. */
export interface CheckpointDiff {
  /** Checkpoint ids and display names. */
  readonly a: { readonly id: string; readonly name: string };
  readonly b: { readonly id: string; readonly name: string };
  readonly fields: FieldRow[];
  readonly tensors: TensorDiff[];
  readonly counts: DiffCounts;
  /** Tensor bytes read to hash (0 when every pair was decided from the zip central directory). */
  readonly bytesHashed: number;
  /** False when stopped before every tensor was compared. */
  readonly complete: boolean;
  readonly findings: Finding[];
}

/** What a share link carries of a diff: fields, counts, changed names (at most 50) and findings. */
export interface DiffSummary {
  readonly a: string;
  readonly b: string;
  readonly fields: FieldRow[];
  readonly counts: DiffCounts;
  readonly changed: string[];
  readonly bytesHashed: number;
  readonly findings: Finding[];
}

/** The slim form of a diff for a share link. */
export function summarizeDiff(d: CheckpointDiff): DiffSummary {
  return {
    a: d.a.id,
    b: d.b.id,
    fields: d.fields,
    counts: d.counts,
    changed: d.tensors.filter((t) => t.status === 'changed').slice(0, 50).map((t) => t.name),
    bytesHashed: d.bytesHashed,
    findings: d.findings,
  };
}
