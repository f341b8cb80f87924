/**
 * What an Accelerate checkpoint folder's name says (CONVENTIONS.md §3 "ckptview repair rule":
 * nothing inside the folder records the position, so the name is read):
 * - `checkpoint-{N}`: diffusers training scripts (`train_text_to_image.py`): N = global step
 *   (optimizer updates);
 * - `checkpoint_{N}`: `ProjectConfiguration(automatic_checkpoint_naming=True)`
 *   (`Accelerator.save_state`): N counts saves from 0, not steps;
 * - `epoch_{E}`: accelerate `examples/complete_nlp_example.py`, saved after the 0-based epoch E,
 *   resumed at E + 1;
 * - `step_{N}`: the same example, N = batches seen; resumed at epoch N // len(dataloader), skipping
 *   N mod len(dataloader) batches.
 */

/** The meaning of a folder name, or undefined when it follows none of the known patterns. */
export type FolderNameMeaning =
  | { readonly kind: 'global-step'; readonly n: number }
  | { readonly kind: 'save-index'; readonly n: number }
  | { readonly kind: 'epoch'; readonly n: number }
  | { readonly kind: 'batches'; readonly n: number };

/** Parse the last component of a folder path (`out/checkpoint-500` -> global step 500). */
export function folderNameMeaning(dir: string): FolderNameMeaning | undefined {
  const name = dir.slice(dir.lastIndexOf('/') + 1);
  const m = /^(checkpoint-|checkpoint_|epoch_|step_)(\d+)$/.exec(name);
  if (!m) return undefined;
  const n = Number(m[2]);
  if (m[1] === 'checkpoint-') return { kind: 'global-step', n };
  if (m[1] === 'checkpoint_') return { kind: 'save-index', n };
  if (m[1] === 'epoch_') return { kind: 'epoch', n };
  return { kind: 'batches', n };
}
