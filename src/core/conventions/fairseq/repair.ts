/**
 * fairseq "mark epoch complete" (CONVENTIONS.md §13 "ckptview repair rule", §15: safe): an
 * end-of-epoch save holds `extra_state.train_iterator.epoch` = E + 1 and `iterations_in_epoch` = 0
 * (`fairseq/data/iterators.py:EpochBatchIterator.state_dict`; maintainer's note in fairseq #848), and
 * `fairseq/checkpoint_utils.py:load_checkpoint` builds the iterator for that epoch and fast-forwards
 * it by iterations_in_epoch. Marking epoch E (1-based) complete writes exactly that pair;
 * `optimizer_history[-1].num_updates` (which drives the LR schedule) is left as it is.
 */
import type { PyValue } from '../../pickle/values';
import { intInput, offerOf, RepairRefused, type ConventionRepair, type PickleValueTarget, type RepairOffer } from '../../repair/offers';
import { fieldsOf, intAt, loadForRepair, pickleSpec, targetAt } from '../../repair/specKit';

const ID = 'fairseq-mark-complete';
const EPOCH = ['extra_state', 'train_iterator', 'epoch'];
const ITERS = ['extra_state', 'train_iterator', 'iterations_in_epoch'];
const SIDE_EFFECTS = [
  'optimizer_history num_updates is unchanged: the LR schedule continues from the updates actually made',
  'the batches of the marked epoch after iterations_in_epoch are not trained',
];

function targets(root: PyValue, file: string, e: number): PickleValueTarget[] {
  const a = targetAt(root, EPOCH, e + 1);
  const b = targetAt(root, ITERS, 0);
  if (!a || !b) throw new RepairRefused(`${file} has no integer extra_state.train_iterator.epoch and iterations_in_epoch`);
  return [a, b];
}

/** The fairseq offer for the checkpoint at `path`. */
export function fairseqRepairOffers(path: string, root: PyValue): RepairOffer[] {
  const e = intAt(root, EPOCH);
  const it = intAt(root, ITERS);
  if (e === undefined || it === undefined) return [];
  const base = { id: ID, label: `Mark epoch ${e} complete`, verb: 'mark-complete' as const, safety: 'safe' as const, file: path, sideEffects: SIDE_EFFECTS };
  if (it === 0) return [{ ...base, label: 'Mark epoch complete', fields: [], resumeAfter: `start epoch ${e}`, refusal: `train_iterator is already at the start of epoch ${e} (iterations_in_epoch 0): there is no partial epoch to mark complete` }];
  return [{
    ...base,
    input: { kind: 'int', label: 'Epoch to mark complete (1-based)', option: '--epoch', default: String(e), min: 1 },
    fields: fieldsOf(path, targets(root, path, e)),
    resumeAfter: `start epoch ${e + 1} from its first batch`,
  }];
}

/** Plans `fairseq-mark-complete`. */
export const fairseqRepair: ConventionRepair = {
  async offers(ctx) {
    const path = ctx.paths('training-state')[0];
    const f = path ? await ctx.loadTorch(path) : undefined;
    return f && path ? fairseqRepairOffers(path, f.value) : [];
  },
  async plan(subject, request, access) {
    const offer = offerOf(subject, request);
    const e = intInput(offer, request.value);
    const file = await loadForRepair(access, offer.file);
    return pickleSpec(offer.id, offer.file, targets(file.value, offer.file, e), `start epoch ${e + 1} from its first batch`, offer.sideEffects);
  },
};
