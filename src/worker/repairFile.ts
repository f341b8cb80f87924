/**
 * The worker's repair jobs: EnStack's mark-complete (parse the training state, plan the patch,
 * compose the output Blob from slices of the dropped File, re-parse it and compare) and the
 * conventions' own repairs (`repairOffer`). Only a verified repair is returned.
 */
import { blobSource } from '../core/bytes/byteSource';
import { CheckpointFormatError } from '../core/errors';
import { planMarkEpochComplete } from '../core/repair/markEpochComplete';
import { literalBytes, type Segment } from '../core/repair/segments';
import { verifyRepair } from '../core/repair/verifyRepair';
import { loadTorchFile } from '../core/torch/loadTorchFile';
import type { RepairFieldChange, RepairRequest, RepairSubject } from '../core/repair/offers';
import { runRepair } from '../core/repair/runRepair';
import type { RepairOutcome } from './protocol';
import type { EpochAndStep } from '../core/conventions/summary';

/** A Blob made of slices of `file` and new bytes: memory does not grow with the file size. */
export function segmentsBlob(file: Blob, segments: readonly Segment[]): Blob {
  return new Blob(segments.map((s) => (s.kind === 'source' ? file.slice(s.offset, s.offset + s.length) : (s.data as Uint8Array<ArrayBuffer>))), { type: 'application/octet-stream' });
}

/**
 * Mark `epoch` complete in `file` (dropped at `path`).
 * @param read the file's top-level epoch and step when it was analysed (what the page showed): a
 *   file that holds others now (replaced on disk since, keeping its size and time) is not repaired
 * @throws Error with a user-facing message when the file cannot be repaired or verification fails
 */
export async function repairFile(path: string, file: Blob, epoch: number, read?: EpochAndStep): Promise<RepairOutcome> {
  const src = blobSource(file, path);
  const torch = await loadTorchFile(src);
  const plan = await planMarkEpochComplete(src, torch, epoch);
  const now = Object.fromEntries(plan.changes.map((c) => [c.field, c.before]));
  if (read && (now.epoch !== read.epoch || now.step !== read.step)) {
    throw new CheckpointFormatError('not-a-checkpoint', path, `not repaired: the file changed since it was read (it now holds epoch ${now.epoch}, step ${now.step}; the page shows epoch ${read.epoch}, step ${read.step}). Drop it again to see what it holds now.`);
  }
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

/** A verified convention repair, ready to download (the files' Blobs are slices of the dropped Files plus new bytes). */
export interface OfferOutcome {
  readonly files: { readonly path: string; readonly blob: Blob; readonly checks: string[]; readonly mode: string }[];
  readonly renames: { readonly from: string; readonly to: string }[];
  readonly fields: readonly RepairFieldChange[];
  readonly resumeAfter: string;
  readonly sideEffects: readonly string[];
}

/**
 * Run a convention's repair (`core/repair/runRepair.ts`) over dropped files (`files`: path -> Blob).
 * @throws RepairRefused or RepairVerificationError (their messages are shown as they are)
 */
export async function repairOffer(subject: RepairSubject, request: RepairRequest, files: ReadonlyMap<string, Blob>): Promise<OfferOutcome> {
  const blobs = new Map<string, Blob>(files);
  const built = await runRepair(subject, request, { open: (p) => (blobs.has(p) ? blobSource(blobs.get(p) as Blob, p) : undefined) });
  return {
    files: built.files.map((f) => ({ path: f.path, blob: segmentsBlob(blobs.get(f.path) as Blob, f.segments), checks: f.checks, mode: f.mode })),
    renames: built.renames,
    fields: built.spec.fields,
    resumeAfter: built.spec.resumeAfter,
    sideEffects: built.spec.sideEffects,
  };
}
