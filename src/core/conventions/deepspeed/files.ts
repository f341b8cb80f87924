/**
 * DeepSpeed checkpoint file names (`deepspeed/runtime/engine.py` `_get_ckpt_name`,
 * `_get_zero_ckpt_name`, `save_checkpoint`): `{save_dir}/latest` holds the tag as text; a tag
 * folder (default `global_step{N}`) holds `mp_rank_{mp:02d}_model_states.pt` (ZeRO-3:
 * `zero_pp_rank_{dp}_mp_rank_{mp:02d}_model_states.pt`) and one
 * `{bf16_}zero_pp_rank_{dp}_mp_rank_{mp:02d}_optim_states.pt` per data-parallel rank;
 * `zero_to_fp32.py` is a script copied beside them (`_copy_recovery_script`).
 */
import type { CheckpointClaim, FolderListing, PlannedFile } from '../../folder/checkpointPlan';

/** A model-states file name. */
export const MODEL_STATES = /model_states\.pt$/;
/** A ZeRO optimizer shard file name. */
export const OPTIM_STATES = /zero_pp_rank_\d+_mp_rank_\d+_optim_states\.pt$/;

/** Role of a file in a DeepSpeed tag folder. */
export function deepspeedRole(name: string): string {
  if (OPTIM_STATES.test(name)) return 'optim-states';
  if (MODEL_STATES.test(name)) return 'model-states';
  return 'other';
}

const isDeepspeedFile = (name: string): boolean => MODEL_STATES.test(name) || OPTIM_STATES.test(name);

/**
 * Claims in one folder. A folder with a free `latest` file: one checkpoint per tag sub-folder
 * holding DeepSpeed files, each listing `latest` (role `deepspeed-latest`) and `zero_to_fp32.py`
 * (`other`); with no tag folder at all, `latest` alone (so a pointer to nothing is reported). A
 * folder holding DeepSpeed files nobody claimed (a tag folder dropped without its parent): that
 * folder.
 */
export function deepspeedClaims(folder: FolderListing): CheckpointClaim[] {
  const { dir, names, claimed } = folder;
  const out: CheckpointClaim[] = [];
  if (names.includes('latest') && !claimed.has('latest')) {
    const prefix = dir ? `${dir}/` : '';
    const byTag = new Map<string, string[]>();
    for (const p of folder.below) {
      const rest = p.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0 || rest.indexOf('/', slash + 1) >= 0) continue; // direct files of a direct sub-folder
      const list = byTag.get(rest.slice(0, slash)) ?? [];
      list.push(p);
      byTag.set(rest.slice(0, slash), list);
    }
    const extra: PlannedFile[] = [
      { path: folder.join('latest'), role: 'deepspeed-latest' },
      ...(names.includes('zero_to_fp32.py') ? [{ path: folder.join('zero_to_fp32.py'), role: 'other' }] : []),
    ];
    for (const [tag, paths] of [...byTag.entries()].sort()) {
      if (!paths.some((p) => isDeepspeedFile(p.slice(p.lastIndexOf('/') + 1)))) continue;
      out.push({ id: `${prefix}${tag}`, name: tag, path: `${prefix}${tag}`, files: [...paths.map((p) => ({ path: p, role: deepspeedRole(p.slice(p.lastIndexOf('/') + 1)) })), ...extra] });
    }
    if (!out.length) out.push({ id: folder.join('latest'), name: 'latest', path: dir, files: extra });
    return out;
  }
  const free = names.filter((n) => !claimed.has(n) && isDeepspeedFile(n));
  if (!free.length) return [];
  const name = dir ? dir.slice(dir.lastIndexOf('/') + 1) : free[0];
  return [{ id: dir || folder.join(free[0]), name, path: dir, files: free.map((n) => ({ path: folder.join(n), role: deepspeedRole(n) })) }];
}
