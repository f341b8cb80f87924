/**
 * Ultralytics "train more epochs" (CONVENTIONS.md §6 "ckptview repair rule", §15: safe with an LR
 * warning): `ultralytics/engine/trainer.py:BaseTrainer.check_resume` replaces every setting with the
 * checkpoint's `train_args` (except imgsz, batch, device, close_mosaic), so `yolo train resume
 * epochs=150` is ignored (ultralytics #15812, #8101); raising `train_args['epochs']` in `last.pt` is
 * what extends the run. `resume_training` starts at epoch + 1 and asserts start_epoch > 0, so a
 * stripped file (`strip_optimizer`: epoch -1, optimizer None) is refused.
 */
import type { PyValue } from '../../pickle/values';
import { dictGet } from '../../pickle/values';
import { intInput, offerOf, RepairRefused, type ConventionRepair, type PickleValueTarget, type RepairOffer } from '../../repair/offers';
import { fieldsOf, intAt, loadForRepair, pickleSpec, targetAt } from '../../repair/specKit';

const ID = 'ultralytics-epochs';
const PATH = ['train_args', 'epochs'];
const SIDE_EFFECTS = [
  'the LR schedule (lf lambda over epochs) is recomputed for the new total, so the learning-rate curve changes shape from here on',
  'close_mosaic counts back from the new total: mosaic is switched off in the last close_mosaic epochs of the longer run',
];

function refusal(root: PyValue): string | undefined {
  const epoch = intAt(root, ['epoch']);
  if (epoch === -1) return 'a stripped file (epoch -1, optimizer removed by strip_optimizer) cannot be resumed (resume_training: "training ... is finished, nothing to resume"); start a new run with model=last.pt instead';
  if (dictGet(root, 'optimizer')?.kind !== 'dict') return 'the file holds no optimizer state, so it cannot be resumed';
  if (epoch === undefined) return 'the file has no integer epoch';
  if (intAt(root, PATH) === undefined) return 'the file has no integer train_args.epochs (a YOLOv5 file keeps its settings in opt, which is not edited)';
  return undefined;
}

function target(root: PyValue, file: string, epochs: number): PickleValueTarget {
  const t = targetAt(root, PATH, epochs);
  if (!t) throw new RepairRefused(`${file} has no integer train_args.epochs`);
  return t;
}

function resumeAfter(root: PyValue, epochs: number): string {
  const epoch = intAt(root, ['epoch']) ?? 0;
  return `resume=True starts epoch ${epoch + 2} of ${epochs} (1-based; ${epochs - epoch - 1} more epochs)`;
}

/** The Ultralytics offer for the checkpoint at `path`. */
export function ultralyticsRepairOffers(path: string, root: PyValue): RepairOffer[] {
  const why = refusal(root);
  const now = intAt(root, PATH);
  const dflt = now !== undefined ? Math.max(now * 2, (intAt(root, ['epoch']) ?? 0) + 2) : 0;
  const base = { id: ID, label: 'Train more epochs (raise train_args.epochs)', verb: 'set' as const, safety: 'safe' as const, file: path, sideEffects: SIDE_EFFECTS };
  if (why || now === undefined) return [{ ...base, fields: [], resumeAfter: 'nothing to resume', refusal: why }];
  return [{
    ...base,
    input: { kind: 'int', label: 'Total epochs', option: '--epochs', default: String(dflt), min: now + 1 },
    fields: fieldsOf(path, [target(root, path, dflt)]),
    resumeAfter: resumeAfter(root, dflt),
  }];
}

/** Plans `ultralytics-epochs`. */
export const ultralyticsRepair: ConventionRepair = {
  async offers(ctx) {
    const path = ctx.paths('training-state')[0];
    const f = path ? await ctx.loadTorch(path) : undefined;
    return f && path ? ultralyticsRepairOffers(path, f.value) : [];
  },
  async plan(subject, request, access) {
    const offer = offerOf(subject, request);
    const epochs = intInput(offer, request.value);
    const file = await loadForRepair(access, offer.file);
    const why = refusal(file.value);
    if (why) throw new RepairRefused(`${offer.file}: ${why}`);
    return pickleSpec(offer.id, offer.file, [target(file.value, offer.file, epochs)], resumeAfter(file.value, epochs), offer.sideEffects);
  },
};
