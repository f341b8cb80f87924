/**
 * timm's checkpoint file names (`timm/utils/checkpoint_saver.py:CheckpointSaver`): `last.pth.tar`,
 * `model_best.pth.tar`, `checkpoint-{epoch}.pth.tar` (the kept top-N), `recovery-{epoch}-{batch_idx}.pth.tar`
 * (mid-epoch saves, every `--recovery-interval` updates; `batch_idx` is the index of the last update done).
 */

/** What a timm file name says. */
export type TimmFileKind =
  | { readonly kind: 'last' }
  | { readonly kind: 'best' }
  | { readonly kind: 'checkpoint'; readonly epoch: number }
  | { readonly kind: 'recovery'; readonly epoch: number; readonly batchIdx: number }
  | { readonly kind: 'other' };

/** The kind of a timm checkpoint by its file name (the last path part). */
export function timmFileKind(name: string): TimmFileKind {
  if (/^last\.pth(\.tar)?$/.test(name)) return { kind: 'last' };
  if (/^model_best\.pth(\.tar)?$/.test(name)) return { kind: 'best' };
  const rec = /^recovery-(\d+)-(\d+)\.pth(\.tar)?$/.exec(name);
  if (rec) return { kind: 'recovery', epoch: Number(rec[1]), batchIdx: Number(rec[2]) };
  const ck = /^checkpoint-(\d+)\.pth(\.tar)?$/.exec(name);
  if (ck) return { kind: 'checkpoint', epoch: Number(ck[1]) };
  return { kind: 'other' };
}
