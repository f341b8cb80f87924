/**
 * The training state of a fairseq checkpoint (`fairseq/trainer.py:Trainer.state_dict`,
 * `fairseq/checkpoint_utils.py:save_checkpoint`, `fairseq/data/iterators.py:EpochBatchIterator.state_dict`):
 * `extra_state.train_iterator` {version, epoch (1-based), iterations_in_epoch (batches), shuffle},
 * `optimizer_history[-1].num_updates` (optimizer updates over the run), `extra_state.best` and
 * `val_loss`, and the settings in `cfg` (an OmegaConf container saved as a plain dict) or the
 * legacy `args` (an argparse.Namespace).
 */
import { asNumber, dictGet, type PyValue } from '../../pickle/values';

/** What a fairseq checkpoint says about its position (units: epochs from 1, batches, updates). */
export interface FairseqState {
  /** `train_iterator.epoch`: the epoch a resume trains (at an epoch end, already the next one). */
  readonly iteratorEpoch: number | undefined;
  /** `train_iterator.iterations_in_epoch`: batches of that epoch already consumed. */
  readonly iterationsInEpoch: number | undefined;
  readonly iteratorVersion: number | undefined;
  /** `optimizer_history[-1].num_updates`. */
  readonly numUpdates: number | undefined;
  /** `cfg.optimization.max_epoch` / `args.max_epoch` (0 = no limit). */
  readonly maxEpoch: number | undefined;
  /** `cfg.optimization.max_update` / `args.max_update` (0 = no limit). */
  readonly maxUpdate: number | undefined;
  /** `cfg.checkpoint.best_checkpoint_metric` / `args.best_checkpoint_metric` (default `loss`). */
  readonly bestMetricName: string | undefined;
  readonly best: number | undefined;
  readonly valLoss: number | undefined;
  readonly optimizerName: string | undefined;
  readonly criterionName: string | undefined;
}

/** True when `root` carries `extra_state.train_iterator` or `optimizer_history` (CONVENTIONS.md §16). */
export function isFairseqCheckpoint(root: PyValue): boolean {
  if (root.kind !== 'dict') return false;
  const extra = dictGet(root, 'extra_state');
  return dictGet(extra, 'train_iterator') !== undefined || dictGet(root, 'optimizer_history')?.kind === 'list';
}

/** The attribute dict of an argparse.Namespace (BUILD state), or a dict as is. */
function fieldsOf(v: PyValue | undefined): PyValue | undefined {
  if (v?.kind === 'object') return v.state;
  return v;
}

/** A setting from `cfg.<group>.<name>`, else the flat legacy `args.<name>`. */
function setting(root: PyValue, group: string, name: string): PyValue | undefined {
  return dictGet(dictGet(dictGet(root, 'cfg'), group), name) ?? dictGet(fieldsOf(dictGet(root, 'args')), name);
}

/** Read the position fields of a parsed fairseq checkpoint (absent parts are undefined). */
export function readFairseqState(root: PyValue): FairseqState {
  const extra = dictGet(root, 'extra_state');
  const it = dictGet(extra, 'train_iterator');
  const hist = dictGet(root, 'optimizer_history');
  const last = hist?.kind === 'list' ? hist.items[hist.items.length - 1] : undefined;
  const str = (v: PyValue | undefined) => (v?.kind === 'str' ? v.value : undefined);
  return {
    iteratorEpoch: asNumber(dictGet(it, 'epoch')),
    iterationsInEpoch: asNumber(dictGet(it, 'iterations_in_epoch')),
    iteratorVersion: asNumber(dictGet(it, 'version')),
    numUpdates: asNumber(dictGet(last, 'num_updates')),
    maxEpoch: asNumber(setting(root, 'optimization', 'max_epoch')),
    maxUpdate: asNumber(setting(root, 'optimization', 'max_update')),
    bestMetricName: str(setting(root, 'checkpoint', 'best_checkpoint_metric')),
    best: asNumber(dictGet(extra, 'best')),
    valLoss: asNumber(dictGet(extra, 'val_loss')),
    optimizerName: str(dictGet(last, 'optimizer_name')),
    criterionName: str(dictGet(last, 'criterion_name')),
  };
}

/** What a file name says (`checkpoint_utils.save_checkpoint`): `checkpoint{E}.pt` end of epoch E, `checkpoint_{E}_{U}.pt` mid-epoch E at update U, last/best. */
export function fairseqName(name: string): { kind: 'epoch'; epoch: number } | { kind: 'updates'; epoch: number; updates: number } | { kind: 'last' | 'best' } | undefined {
  let m = /^checkpoint(\d+)\.pt$/.exec(name);
  if (m) return { kind: 'epoch', epoch: Number(m[1]) };
  m = /^checkpoint_(\d+)_(\d+)\.pt$/.exec(name);
  if (m) return { kind: 'updates', epoch: Number(m[1]), updates: Number(m[2]) };
  if (name === 'checkpoint_last.pt') return { kind: 'last' };
  if (name === 'checkpoint_best.pt' || name.startsWith('checkpoint.best_')) return { kind: 'best' };
  return undefined;
}
