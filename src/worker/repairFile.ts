/**
 * The worker's repair job: parse the training state, plan the patch, compose the output Blob from
 * slices of the dropped File, re-parse it and compare. Only a verified repair is returned.
 */
import { blobSource } from '../core/bytes/byteSource';
import { CheckpointFormatError } from '../core/errors';
import { planMarkEpochComplete } from '../core/repair/markEpochComplete';
import { literalBytes, type Segment } from '../core/repair/segments';
import { verifyRepair } from '../core/repair/verifyRepair';
import { loadTorchFile } from '../core/torch/loadTorchFile';
import type { RepairOutcome } from './protocol';

/** A Blob made of slices of `file` and new bytes: memory does not grow with the file size. */
export function segmentsBlob(file: Blob, segments: readonly Segment[]): Blob {
  return new Blob(segments.map((s) => (s.kind === 'source' ? file.slice(s.offset, s.offset + s.length) : (s.data as Uint8Array<ArrayBuffer>))), { type: 'application/octet-stream' });
}

/**
 * Mark `epoch` complete in `file` (dropped at `path`).
 * @throws Error with a user-facing message when the file cannot be repaired or verification fails
 */
export async function repairFile(path: string, file: Blob, epoch: number): Promise<RepairOutcome> {
  const src = blobSource(file, path);
  const torch = await loadTorchFile(src);
  const plan = await planMarkEpochComplete(src, torch, epoch);
  const verdict = await verifyRepair(src, torch, plan);
  if (!verdict.ok) {
    throw new CheckpointFormatError('bad-zip', path, `the repaired file did not pass verification, so it is not offered: ${verdict.problems.join('; ')}`);
  }
  return {
    blob: segmentsBlob(file, plan.segments),
    path,
    changes: plan.changes,
    mode: plan.mode,
    resumeAfter: plan.resumeAfter,
    epoch,
    checks: verdict.checks,
    patchedBytes: literalBytes(plan.segments),
  };
}
