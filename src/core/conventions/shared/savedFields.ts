/**
 * Reading the plain fields trainers save beside the weights: numbers that may be a Python int or
 * float, a numpy scalar or a one-element tensor (the ImageNet example's `best_acc1`, cgcnn's
 * `best_mae_error`); the attributes of an `argparse.Namespace` (timm `args`) or of `vars(args)`
 * (cgcnn, YOLOv5 `opt`, Ultralytics `train_args`), shown as labelled facts.
 */
import type { ByteSource } from '../../bytes/byteSource';
import { dictGet, type PyValue } from '../../pickle/values';
import type { TorchFile } from '../../torch/torchFile';
import { displayText, keyText } from '../plainValues';
import { numberOrScalar } from '../stateDicts';
import type { SavedFact, SavedMetric } from '../summary';

/**
 * The attributes of an `argparse.Namespace` (pickled as `object.__new__` + BUILD of its `__dict__`)
 * or a plain dict, as a dict value; undefined for anything else.
 */
export function attributesOf(v: PyValue | undefined): PyValue | undefined {
  if (!v) return undefined;
  if (v.kind === 'dict') return v;
  if (v.kind === 'object') {
    if (v.state?.kind === 'dict') return v.state;
    if (v.state?.kind === 'tuple' && v.state.items[0]?.kind === 'dict') return v.state.items[0];
    if (v.dictItems) return { kind: 'dict', entries: v.dictItems, ordered: false };
  }
  return undefined;
}

/** A field as short text (`100`, `'yolov8n.pt'` shown as `yolov8n.pt`, `[640, 640]`). */
export function fieldText(v: PyValue): string {
  return v.kind === 'str' ? v.value : displayText(v, 120);
}

/**
 * Facts `prefix.key` for the `keys` present in `fields` (a dict or a Namespace), in `keys` order;
 * `None` values are skipped.
 */
export function factsOf(prefix: string, fields: PyValue | undefined, keys: readonly string[]): SavedFact[] {
  const attrs = attributesOf(fields);
  const out: SavedFact[] = [];
  for (const k of keys) {
    const v = dictGet(attrs, k);
    if (!v || v.kind === 'none') continue;
    out.push({ label: `${prefix}.${k}`, value: fieldText(v) });
  }
  return out;
}

/** An int field of a dict or Namespace, when it is a plain int. */
export function intField(fields: PyValue | undefined, key: string): number | undefined {
  const v = dictGet(attributesOf(fields), key);
  return v?.kind === 'int' ? Number(v.value) : undefined;
}

/**
 * A saved number read as a metric: int, float, bool, numpy scalar or one-element tensor (its
 * bytes are read). Undefined for anything else (None, arrays, strings).
 */
export async function savedNumber(src: ByteSource, file: TorchFile, v: PyValue | undefined): Promise<number | undefined> {
  if (!v || v.kind === 'bool') return undefined;
  return numberOrScalar(src, file, v);
}

/**
 * Top-level keys that hold a metric in plain PyTorch scripts: `best_*` (best so far), `acc`,
 * `accuracy`, `*_acc`, `*_accuracy`, `loss`, `*_loss`, `metric`, `fitness`, `*_error`, `*_f1`,
 * `*_iou`, `*_map`, `*_auc`, `*_prec1`.
 */
export const METRIC_KEY = /^(best_.+|acc|accuracy|loss|metric|fitness|val_.+|.+_(acc|accuracy|loss|error|f1|iou|map|auc|prec1|acc1|acc5))$/i;

/** Keys that match {@link METRIC_KEY} but hold no metric. */
const NOT_METRIC = new Set(['best_model_checkpoint', 'best_model_path', 'best_epoch', 'best_step', 'best_iter', 'best_global_step']);

/**
 * The metrics saved at the top level of a dict: keys matching {@link METRIC_KEY} whose value is a
 * number, numpy scalar or one-element tensor; `best` when the key starts with `best_`.
 */
export async function topLevelMetrics(src: ByteSource, file: TorchFile, root: PyValue): Promise<SavedMetric[]> {
  if (root.kind !== 'dict') return [];
  const out: SavedMetric[] = [];
  for (const [k, v] of root.entries) {
    const name = keyText(k);
    if (k.kind !== 'str' || !METRIC_KEY.test(name) || NOT_METRIC.has(name)) continue;
    const value = await savedNumber(src, file, v);
    if (value !== undefined) out.push({ name, value, best: name.toLowerCase().startsWith('best_') });
  }
  return out;
}

/** The file name of a path (`runs/x/epoch_5.pth` -> `epoch_5.pth`). */
export function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
