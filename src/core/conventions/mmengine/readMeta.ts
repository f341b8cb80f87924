/**
 * The `meta` dict of an MMEngine / mmcv 1.x checkpoint and what it says about the position.
 * Sources: mmengine `runner/runner.py:Runner.save_checkpoint` (meta.epoch = loop epoch + 1 when
 * saved by epoch, meta.iter = total iterations), `runner/loops.py:EpochBasedTrainLoop.run` (loops
 * while `_epoch < max_epochs`; every epoch starts at batch 0) and `IterBasedTrainLoop.run`
 * (advances the dataloader `_iter` batches); mmcv 1.x `runner/epoch_based_runner.py:save_checkpoint`
 * (meta.epoch = epoch + 1, meta.iter; the stale-meta bug of mmcv PR #1108).
 */
import { asNumber, dictGet, type PyValue } from '../../pickle/values';

/** What the saved `meta` holds (units: epochs as a completed count, iterations = batches). */
export interface MmMeta {
  /** `meta.epoch`: epochs completed when saved by epoch (the index of the next epoch). */
  readonly epoch: number | undefined;
  /** `meta.iter`: iterations (batches) done over the whole run. */
  readonly iter: number | undefined;
  /** `mmengine_version` (MMEngine) or `mmcv_version` (mmcv 1.x runner). */
  readonly version: string | undefined;
  /** Which library saved the file. */
  readonly library: 'mmengine' | 'mmcv';
  /** `max_epochs` / `max_iters` found in `meta.cfg` (MMEngine: the config as text) or `meta.config` (mmdet 2.x). */
  readonly maxEpochs: number | undefined;
  readonly maxIters: number | undefined;
  readonly seed: number | undefined;
  readonly experimentName: string | undefined;
  readonly time: string | undefined;
}

/** True when `root` is a dict whose `meta` dict carries `mmengine_version` or `mmcv_version` (CONVENTIONS.md §16). */
export function isMmCheckpoint(root: PyValue): boolean {
  const meta = dictGet(root, 'meta');
  return meta?.kind === 'dict' && (dictGet(meta, 'mmengine_version') !== undefined || dictGet(meta, 'mmcv_version') !== undefined);
}

function str(v: PyValue | undefined): string | undefined {
  return v?.kind === 'str' ? v.value : undefined;
}

/** `name = 123` or `name=123` in a config text (Python config files keep this spelling). */
function configNumber(text: string | undefined, name: string): number | undefined {
  const m = text ? new RegExp(`\\b${name}\\s*=\\s*(\\d+)`).exec(text) : null;
  return m ? Number(m[1]) : undefined;
}

/** Read `root.meta` (undefined parts when absent). */
export function readMmMeta(root: PyValue): MmMeta {
  const meta = dictGet(root, 'meta');
  const mmengine = str(dictGet(meta, 'mmengine_version'));
  const cfg = str(dictGet(meta, 'cfg')) ?? str(dictGet(meta, 'config'));
  return {
    epoch: asNumber(dictGet(meta, 'epoch')),
    iter: asNumber(dictGet(meta, 'iter')),
    version: mmengine ?? str(dictGet(meta, 'mmcv_version')),
    library: mmengine !== undefined ? 'mmengine' : 'mmcv',
    maxEpochs: configNumber(cfg, 'max_epochs') ?? configNumber(cfg, 'total_epochs'),
    maxIters: configNumber(cfg, 'max_iters'),
    seed: asNumber(dictGet(meta, 'seed')),
    experimentName: str(dictGet(meta, 'experiment_name')),
    time: str(dictGet(meta, 'time')),
  };
}

/** How a file name says it was saved: `epoch_12.pth` -> by epoch 12, `iter_4000.pth` -> by iteration 4000 (`CheckpointHook.filename_tmpl`). */
export function savedBy(fileName: string): { readonly by: 'epoch' | 'iter'; readonly n: number } | undefined {
  const m = /^(epoch|iter)_(\d+)\.pth$/.exec(fileName);
  return m ? { by: m[1] as 'epoch' | 'iter', n: Number(m[2]) } : undefined;
}

/**
 * The best scores MMEngine's `CheckpointHook` keeps in `message_hub.runtime_info`: `best_score`
 * and `best_score_{key}` (mmengine `hooks/checkpoint_hook.py`). `message_hub` sits at the top
 * level; some copies nest it in `meta`.
 */
export function bestScores(root: PyValue): { name: string; value: number }[] {
  const hub = dictGet(root, 'message_hub') ?? dictGet(dictGet(root, 'meta'), 'message_hub');
  const info = dictGet(hub, 'runtime_info');
  if (info?.kind !== 'dict') return [];
  const out: { name: string; value: number }[] = [];
  for (const [k, v] of info.entries) {
    if (k.kind !== 'str' || !k.value.startsWith('best_score')) continue;
    const n = asNumber(v);
    if (n !== undefined) out.push({ name: `message_hub.runtime_info.${k.value}`, value: n });
  }
  return out;
}
