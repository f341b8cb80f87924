/**
 * Lightning "mark epoch complete", guarded (CONVENTIONS.md §4 "ckptview repair rule", §15).
 * Lightning >= 1.6 resumes from `loops.fit_loop`, not from the top-level epoch/global_step
 * (`checkpoint_connector.py:dump_checkpoint`: "for compatibility ... not relevant for restoration").
 * For the interrupted epoch E (0-based), in both `epoch_progress.total` and `.current`:
 * ready = started = processed = E + 1, completed = E: exactly what a genuine epoch-end checkpoint
 * holds, so `FitLoop.update_restart_stage` (>= 2.5, PR #20379) takes RESUMED_ON_EPOCH_END and
 * 2.0-2.4 the non-restarting path, and the run starts epoch E + 1 at batch 0.
 * `epoch_loop.batch_progress.current` gets its four counters equal to the batches done and
 * `is_last_batch` true (tidiness: it is reset on the next run). Optimizer progress (global_step),
 * scheduler progress, `_batches_that_stepped`, `optimizer_states` and `lr_schedulers` stay: they
 * count updates actually made, and the LR schedule stays consistent with them.
 * Refused: iteration-based runs (`FitLoop.restarting` is forced true), stateful dataloaders
 * (`combined_loader` state would restore a mid-epoch position), files without `loops` (<= 1.5
 * already starts the next epoch), and epochs already complete.
 */
import type { PyValue } from '../../pickle/values';
import { dictGet } from '../../pickle/values';
import { offerOf, RepairRefused, type ConventionRepair, type PickleValueTarget, type RepairOffer } from '../../repair/offers';
import { scalarOf, valueAt } from '../../repair/pickleValuePatch';
import { fieldsOf, intAt, loadForRepair, pickleSpec, targetAt } from '../../repair/specKit';

const ID = 'lightning-mark-complete';
const FIT = ['loops', 'fit_loop'];
const EPOCH_PROGRESS = [...FIT, 'epoch_progress'];
const BATCH_PROGRESS = [...FIT, 'epoch_loop.batch_progress'];
const SIDE_EFFECTS = [
  'global_step (optimizer progress), scheduler progress, optimizer_states and lr_schedulers are not changed: they count the updates actually made, so the LR schedule stays consistent with them',
  'the batches of the interrupted epoch after the save are not trained; validation of that epoch is not run again',
  'Lightning does not save the Trainer arguments: if your Trainer runs with max_steps and max_epochs=-1 (iteration-based), do not use this repair',
];

/** Why the repair is refused for this root, or undefined; with the epoch to mark when not refused. */
function check(root: PyValue): { refusal: string } | { epoch: number; batches: number } {
  const ep = valueAt(root, EPOCH_PROGRESS);
  if (!ep) return { refusal: 'this file has no loops.fit_loop.epoch_progress (Lightning <= 1.5, or saved without loops): Lightning <= 1.5 already resumes at the next epoch' };
  const fitState = valueAt(root, [...FIT, 'state_dict']);
  if (dictGet(fitState, 'combined_loader') !== undefined) return { refusal: 'the fit loop saved combined_loader state (a stateful dataloader): it would restore the mid-epoch position whatever the counters say' };
  const hp = dictGet(root, 'hyper_parameters');
  const maxEpochs = intAt(root, ['hyper_parameters', 'max_epochs']);
  const maxSteps = intAt(root, ['hyper_parameters', 'max_steps']);
  if (hp && (maxEpochs === -1 || (maxEpochs === undefined && maxSteps !== undefined && maxSteps > 0))) return { refusal: 'the run is iteration-based (max_epochs -1 or max_steps without max_epochs in hyper_parameters): FitLoop.restarting is then forced true and the counters would not move the resume' };
  const c = (part: string, name: string): number | undefined => intAt(root, [...EPOCH_PROGRESS, part, name]);
  const [ready, started, processed, completed] = ['ready', 'started', 'processed', 'completed'].map((n) => c('current', n));
  if ([ready, started, processed, completed].some((x) => x === undefined) || ['ready', 'started', 'processed', 'completed'].some((n) => c('total', n) === undefined)) return { refusal: 'epoch_progress does not hold the four integer counters in total and current' };
  if (processed === started) return { refusal: `epoch_progress says epoch ${completed} has not started or its end was saved (processed = started = ${processed}): there is no interrupted epoch to mark complete` };
  const batches = intAt(root, [...BATCH_PROGRESS, 'current', 'processed']) ?? 0;
  return { epoch: completed as number, batches };
}

function targets(root: PyValue, file: string, e: number, batches: number): PickleValueTarget[] {
  const out: PickleValueTarget[] = [];
  const add = (path: string[], after: number | boolean, required: boolean): void => {
    const t = targetAt(root, path, after);
    if (t) out.push(t);
    else if (required) throw new RepairRefused(`${file}: ${path.join('.')} is not an int`);
  };
  for (const part of ['total', 'current']) {
    for (const n of ['ready', 'started', 'processed']) add([...EPOCH_PROGRESS, part, n], e + 1, true);
    add([...EPOCH_PROGRESS, part, 'completed'], e, true);
  }
  for (const n of ['ready', 'started', 'processed', 'completed']) add([...BATCH_PROGRESS, 'current', n], batches, false);
  if (typeof scalarOf(valueAt(root, [...BATCH_PROGRESS, 'is_last_batch'])) === 'boolean') add([...BATCH_PROGRESS, 'is_last_batch'], true, false);
  add(['epoch'], e, false);
  return out;
}

/** The Lightning offer for the checkpoint at `path`. */
export function lightningRepairOffers(path: string, root: PyValue): RepairOffer[] {
  const c = check(root);
  const base = {
    id: ID,
    verb: 'mark-complete' as const,
    safety: 'guarded' as const,
    file: path,
    sideEffects: SIDE_EFFECTS,
    alternative: 'keep the checkpoint as it is: Lightning re-iterates the dataloader from its start and ends the epoch after the remaining number of batches ("dataloader is not resumable" warning)',
  };
  if ('refusal' in c) return [{ ...base, label: 'Mark epoch complete', fields: [], resumeAfter: '', refusal: c.refusal }];
  return [{ ...base, label: `Mark epoch ${c.epoch} (0-based) complete`, fields: fieldsOf(path, targets(root, path, c.epoch, c.batches)), resumeAfter: `start epoch ${c.epoch + 1} (0-based) at batch 0` }];
}

/** Plans `lightning-mark-complete`. */
export const lightningRepair: ConventionRepair = {
  async offers(ctx) {
    const path = ctx.paths('training-state')[0];
    const f = path ? await ctx.loadTorch(path) : undefined;
    return f && path ? lightningRepairOffers(path, f.value) : [];
  },
  async plan(subject, request, access) {
    const offer = offerOf(subject, request);
    const file = await loadForRepair(access, offer.file);
    const c = check(file.value);
    if ('refusal' in c) throw new RepairRefused(`${offer.file}: ${c.refusal}`);
    if (request.value !== undefined && request.value.trim() !== String(c.epoch)) throw new RepairRefused(`${offer.file}: the interrupted epoch is ${c.epoch} (0-based); only it can be marked complete`);
    return pickleSpec(offer.id, offer.file, targets(file.value, offer.file, c.epoch, c.batches), `start epoch ${c.epoch + 1} (0-based) at batch 0`, offer.sideEffects);
  },
};
