/**
 * Results of the tensor health scan: per-tensor statistics, per-checkpoint findings, and the slim
 * summary a share link carries (counts and findings, never tensor values).
 */
import type { Finding } from '../findings/types';
import type { TensorRole } from './tensorIndex';

/** Statistics of one tensor. Counts in elements; min / max / mean / rms in the tensor's values. */
export interface TensorHealth {
  /** Key path in its file (`model.fc1.weight`, `optimizer.state.0.exp_avg_sq`). */
  readonly name: string;
  /** The file (path as dropped) holding it. */
  readonly file: string;
  readonly role: TensorRole;
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Elements. */
  readonly numel: number;
  /** `read`: statistics below are complete; `skipped`: not read (see `reason`); `stopped`: the scan was stopped before it. */
  readonly status: 'read' | 'skipped' | 'stopped';
  readonly reason?: string;
  readonly nan: number;
  readonly posInf: number;
  readonly negInf: number;
  readonly zeros: number;
  /** Smallest and largest finite value (ints: exact up to 2^53); undefined when none is finite. */
  readonly min: number | undefined;
  readonly max: number | undefined;
  /** Mean and root mean square of the finite values (floats; ints too, for information). */
  readonly mean: number | undefined;
  readonly rms: number | undefined;
}

/** One file's part of a health report. */
export interface FileHealth {
  readonly file: string;
  readonly format: string;
  readonly tensors: TensorHealth[];
  /** Why the file's tensors could not be listed, when they could not. */
  readonly error?: string;
}

/** The health of one checkpoint's tensor files. */
export interface HealthReport {
  readonly files: FileHealth[];
  /** Tensor bytes read (each dense tensor's elements; shared storages are read once per view). */
  readonly bytesRead: number;
  /** Tensor bytes the full scan reads. */
  readonly bytesTotal: number;
  readonly tensorsRead: number;
  readonly tensorsSkipped: number;
  /** False when the scan was stopped before the end. */
  readonly complete: boolean;
  readonly findings: Finding[];
  readonly elapsedMs: number;
}

/** What a share link carries of a health report: counts and findings only. */
export interface HealthSummary {
  /** The checkpoint's id. */
  readonly checkpoint: string;
  readonly tensorsRead: number;
  readonly tensorsSkipped: number;
  readonly bytesRead: number;
  readonly complete: boolean;
  /** Tensors with at least one NaN / at least one ±Inf. */
  readonly nanTensors: number;
  readonly infTensors: number;
  readonly findings: Finding[];
}

/** Scan options. */
export interface HealthOptions {
  /** Bytes read per step (default {@link DEFAULT_HEALTH_CHUNK}); memory stays near one chunk. */
  readonly chunkBytes?: number;
  /** Called after each chunk with bytes done and bytes in total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stop reading when aborted: the report comes back with `complete: false`. */
  readonly signal?: AbortSignal;
  /** Id of the checkpoint scanned, put in the findings' `checkpoints`. */
  readonly checkpoint?: string;
}

/** Default read size: 4 MiB. */
export const DEFAULT_HEALTH_CHUNK = 4 * 1024 * 1024;

/** The slim summary of a report (no per-tensor values). */
export function summarizeHealth(checkpoint: string, r: HealthReport): HealthSummary {
  const all = r.files.flatMap((f) => f.tensors);
  return {
    checkpoint,
    tensorsRead: r.tensorsRead,
    tensorsSkipped: r.tensorsSkipped,
    bytesRead: r.bytesRead,
    complete: r.complete,
    nanTensors: all.filter((t) => t.nan > 0).length,
    infTensors: all.filter((t) => t.posInf + t.negInf > 0).length,
    findings: r.findings,
  };
}
