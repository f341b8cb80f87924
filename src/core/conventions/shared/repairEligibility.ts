/**
 * Whether the epoch/step repair ("mark epoch complete", `repair/markEpochComplete.ts`) may be
 * offered for a parsed torch.save file, and why not when it may not.
 */
import type { AnalysisContext } from '../../analyze/context';
import type { TorchFile } from '../../torch/torchFile';
import { epochAndStep } from '../enstack/state';
import type { CheckpointSummary } from '../summary';

/** A repair that does not apply, with the reason shown to the user. */
export function notRepairable(reason: string): CheckpointSummary['repair'] {
  return { eligible: false, reason };
}

/**
 * Repair eligibility of the file at `path`: refused for files that run or may run code, plain pickles,
 * files that failed an integrity check, and files without a top-level `epoch` and `step`.
 */
export function epochStepRepairOf(ctx: AnalysisContext, state: TorchFile, path: string): CheckpointSummary['repair'] {
  // the file's findings were collected when it was loaded
  if (ctx.findings.some((f) => f.file === path && f.verdict === 'dangerous')) {
    return notRepairable('this file would run code when loaded, so ckptview will not write a new copy of it');
  }
  if (ctx.findings.some((f) => f.file === path && f.verdict === 'unknown')) {
    return notRepairable('this file imports names ckptview has not reviewed (it may run code when loaded), so ckptview will not write a new copy of it');
  }
  if (state.format === 'pickle') return notRepairable('this is a plain pickle, not a torch.save file; ckptview repairs torch.save files only');
  if (state.integrity.length) return notRepairable('the file failed an integrity check (see the problems above), and a repair would hide the damage');
  const read = epochAndStep(state.value);
  if (read) return { eligible: true, reason: 'epoch and step are saved at the top level of the state dict', file: path, read };
  return notRepairable('this file has no top-level epoch and step to repair');
}
