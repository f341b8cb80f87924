/**
 * Weights-only checkpoints: a sharded safetensors set (`*.safetensors.index.json` + its shards), a
 * lone `.safetensors` (with `adapter_config.json` for a PEFT adapter, `config.json` for an HF
 * model). They hold no training position.
 */
import type { AnalysisContext } from '../../analyze/context';
import { readModel } from '../../analyze/weights';
import type { CheckpointClaim, FolderListing } from '../../folder/checkpointPlan';
import type { Convention, ConventionPart } from '../convention';
import { notRepairable } from '../shared/repairEligibility';

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const model = await readModel(ctx);
  return { kind: model ? 'weights' : 'unreadable', model, repair: notRepairable('model weights hold no training position') };
}

function claimFolder(folder: FolderListing): CheckpointClaim[] {
  const { names, claimed, dir } = folder;
  const out: CheckpointClaim[] = [];
  const taken = new Set<string>();
  const index = names.find((n) => n.endsWith('.safetensors.index.json') && !claimed.has(n));
  if (index) {
    const shards = names.filter((n) => n.endsWith('.safetensors') && !claimed.has(n));
    [index, ...shards].forEach((n) => taken.add(n));
    const cfg = names.includes('config.json') && !claimed.has('config.json') ? [{ path: folder.join('config.json'), role: 'config' }] : [];
    out.push({ id: folder.join(index), name: index, path: dir, files: [{ path: folder.join(index), role: 'weights-index' }, ...shards.map((n) => ({ path: folder.join(n), role: 'weights' })), ...cfg] });
  }
  for (const n of names) {
    if (claimed.has(n) || taken.has(n) || !n.endsWith('.safetensors')) continue;
    taken.add(n);
    const extra = n === 'adapter_model.safetensors' && names.includes('adapter_config.json') ? [{ path: folder.join('adapter_config.json'), role: 'adapter-config' }] : [];
    const cfg = names.includes('config.json') && !claimed.has('config.json') && !taken.has('config.json') ? [{ path: folder.join('config.json'), role: 'config' }] : [];
    out.push({ id: folder.join(n), name: n, path: dir, files: [{ path: folder.join(n), role: 'weights' }, ...extra, ...cfg] });
  }
  return out;
}

/** Model weights without training state. */
export const weights: Convention = {
  id: 'weights',
  label: 'weights',
  claimFolder,
  read,
};
