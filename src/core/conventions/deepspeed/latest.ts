/**
 * DeepSpeed's `latest` file (`deepspeed/runtime/engine.py` `save_checkpoint` writes the tag as
 * plain text; `load_checkpoint` reads it when no tag is given and fails when it is missing).
 */
import type { AnalysisContext } from '../../analyze/context';

/** Largest `latest` file read, in bytes (a tag name). */
const MAX_LATEST_BYTES = 4096;

/** The tag `latest` names (trimmed), or undefined (with a problem recorded) when unreadable. */
export async function latestTarget(ctx: AnalysisContext, path: string): Promise<string | undefined> {
  try {
    const src = ctx.open(path);
    const text = new TextDecoder().decode(await src.read(0, Math.min(src.size, MAX_LATEST_BYTES))).trim();
    ctx.describe(path, { format: 'text' });
    return text || undefined;
  } catch (e) {
    ctx.fail(path, e);
    return undefined;
  }
}

/** Files a DeepSpeed tag folder always holds one of (rank 0). */
const RANK0_FILES = ['mp_rank_00_model_states.pt', 'zero_pp_rank_0_mp_rank_00_model_states.pt', 'zero_pp_rank_0_mp_rank_00_optim_states.pt', 'bf16_zero_pp_rank_0_mp_rank_00_optim_states.pt'];

/**
 * True when the drop holds tag folder `tag` beside this one: one of its rank-0 files opens and
 * reads. The plan lists only this checkpoint's files, so the opener is probed; any error (the
 * path was not dropped) means absent.
 */
export async function tagPresent(ctx: AnalysisContext, parent: string, tag: string): Promise<boolean> {
  for (const name of RANK0_FILES) {
    try {
      const src = ctx.open(parent ? `${parent}/${tag}/${name}` : `${tag}/${name}`);
      if (src && src.size > 0 && (await src.read(0, 1)).length === 1) return true;
    } catch {
      // not dropped
    }
  }
  return false;
}
