/**
 * timm repair (CONVENTIONS.md §5 "ckptview repair rule", §15: safe): `epoch` is one int and
 * `timm/models/_helpers.py:resume_checkpoint` resumes at epoch + 1 when `version` > 1 (epoch as
 * saved otherwise); `train.py` then steps the LR scheduler to that start epoch, so the schedule
 * follows the edit. A recovery file (`recovery-E-B.pth.tar`, mid-epoch) resumes at E + 1, skipping
 * the rest of epoch E: setting `epoch = E - 1` (version 2) makes the resume redo epoch E from its start.
 */
import type { PyValue } from '../../pickle/values';
import { fileName } from '../shared/savedFields';
import { timmFileKind } from './fileName';
import { intInput, offerOf, RepairRefused, type ConventionRepair, type RepairOffer } from '../../repair/offers';
import { fieldsOf, intAt, loadForRepair, pickleSpec, targetAt } from '../../repair/specKit';

const ID = 'timm-epoch';
const SIDE_EFFECTS = [
  'train.py recomputes the LR schedule from the start epoch at resume (scheduler.step(start_epoch)), so the schedule follows the new epoch',
  "the optimizer's per-parameter step counts (Adam `step`) keep their true value",
];

/** timm's resume epoch for a saved `epoch` (`resume_checkpoint`: +1 when version > 1). */
function resumeAt(epoch: number, version: number | undefined): number {
  return version !== undefined && version > 1 ? epoch + 1 : epoch;
}

function plan(root: PyValue, file: string, value: number) {
  const target = targetAt(root, ['epoch'], value);
  if (!target) throw new RepairRefused(`${file} has no integer epoch`);
  const version = intAt(root, ['version']);
  return { target, resumeAfter: `timm resumes at epoch ${resumeAt(value, version)} (0-based index; resume_checkpoint: epoch${version !== undefined && version > 1 ? ' + 1, version 2' : ', no version'}) from its first batch` };
}

/** The timm offers for the checkpoint file at `path` (its parsed root and whether it is a recovery file). */
export function timmRepairOffers(path: string, root: PyValue, recovery: boolean): RepairOffer[] {
  const epoch = intAt(root, ['epoch']);
  if (epoch === undefined) return [];
  const version = intAt(root, ['version']);
  const dflt = recovery && version !== undefined && version > 1 && epoch > 0 ? epoch - 1 : epoch;
  const p = plan(root, path, dflt);
  return [{
    id: ID,
    label: recovery ? `Redo epoch ${epoch} from its start (set epoch)` : 'Set epoch',
    verb: 'set',
    safety: 'safe',
    file: path,
    input: { kind: 'int', label: 'epoch (as saved)', option: '--epoch', default: String(dflt), min: 0 },
    fields: fieldsOf(path, [p.target]),
    resumeAfter: p.resumeAfter,
    sideEffects: recovery ? [`as saved, this recovery file resumes at epoch ${resumeAt(epoch, version)}: the rest of epoch ${epoch} would not be trained`, ...SIDE_EFFECTS] : SIDE_EFFECTS,
  }];
}

/** Plans `timm-epoch`. */
export const timmRepair: ConventionRepair = {
  async offers(ctx) {
    const path = ctx.paths('training-state')[0];
    const f = path ? await ctx.loadTorch(path) : undefined;
    return f && path ? timmRepairOffers(path, f.value, timmFileKind(fileName(path)).kind === 'recovery') : [];
  },
  async plan(subject, request, access) {
    const offer = offerOf(subject, request);
    const value = intInput(offer, request.value);
    const file = await loadForRepair(access, offer.file);
    const p = plan(file.value, offer.file, value);
    return pickleSpec(offer.id, offer.file, [p.target], p.resumeAfter, offer.sideEffects);
  },
};
