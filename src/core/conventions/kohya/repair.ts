/**
 * kohya repair (CONVENTIONS.md §11 "ckptview repair rule", §15: safe): `train_network.py`
 * `load_model_hook` reads only `current_step` from `train_state.json` (epoch_to_start = current_step
 * // steps per epoch). After a resume without `--skip_until_initial_step`, global_step restarts at 0
 * and the next state's current_step is too small (kohya_ss #2771). The repair sets
 * current_step = current_epoch x steps per epoch, where steps per epoch come from the optimizer's own
 * step count (Adam `state[*].step` counts every update across resumes) over current_epoch in an
 * end-of-epoch state (`trainState.ts` `checkKohyaSteps`); any other value can be given (`--current-step`).
 * Only the number's bytes change (`repair/jsonSpans.ts`).
 */
import { jsonScalarAt, parseJsonSpans } from '../../repair/jsonSpans';
import { intInput, offerOf, RepairRefused, type ConventionRepair, type RepairOffer } from '../../repair/offers';
import { checkKohyaSteps, kohyaFolderName, kohyaTrainState, type KohyaStepCheck, type KohyaTrainState } from './trainState';

const ID = 'kohya-current-step';

function resumeAfter(step: number, per: number | undefined): string {
  return per ? `train_network.py starts epoch ${Math.floor(step / per) + 1} (1-based): epoch_to_start = ${step} // ${per}` : `train_network.py starts from current_step ${step} (epoch = ${step} // steps per epoch)`;
}

/** The kohya offer for the state at `statePath`. */
export function kohyaRepairOffers(statePath: string, ts: KohyaTrainState, check: KohyaStepCheck): RepairOffer[] {
  const S = ts.currentStep;
  if (S === undefined || !Number.isInteger(S)) return [{ id: ID, label: 'Set current_step', verb: 'set', safety: 'safe', file: statePath, fields: [], resumeAfter: '', sideEffects: [], refusal: 'train_state.json has no integer current_step to set' }];
  const dflt = check.restarted && check.expectedStep !== undefined ? check.expectedStep : S;
  return [{
    id: ID,
    label: check.restarted ? `Set current_step to ${dflt} (kohya_ss #2771)` : 'Set current_step',
    verb: 'set',
    safety: 'safe',
    file: statePath,
    input: { kind: 'int', label: 'current_step', option: '--current-step', default: String(dflt), min: 0 },
    fields: dflt === S ? [] : [{ file: statePath, field: 'current_step', before: String(S), after: String(dflt) }],
    resumeAfter: resumeAfter(dflt, check.stepsPerEpoch),
    sideEffects: [
      'current_epoch is informational (not read by resume) and is kept',
      'global_step still restarts at 0 after the resume unless you pass --skip_until_initial_step, so the next state needs the same fix',
    ],
    params: check.stepsPerEpoch !== undefined ? { stepsPerEpoch: check.stepsPerEpoch } : undefined,
  }];
}

/** Offers and plans `kohya-current-step`. */
export const kohyaRepair: ConventionRepair = {
  async offers(ctx, part) {
    const statePath = ctx.paths('train-state')[0];
    if (!statePath) return [];
    const ts = kohyaTrainState(await ctx.readJson(statePath));
    return kohyaRepairOffers(statePath, ts, checkKohyaSteps(ts, part.optimizer?.steps, kohyaFolderName(ctx.plan.path || ctx.plan.name)));
  },
  async plan(subject, request, access) {
    const offer = offerOf(subject, request);
    const step = intInput(offer, request.value);
    const src = access.open(offer.file);
    if (!src) throw new RepairRefused(`${offer.file} is not available (drop it again)`);
    let before: unknown;
    try {
      before = jsonScalarAt(parseJsonSpans(new TextDecoder().decode(await src.read(0, src.size))), ['current_step']);
    } catch (e) {
      throw new RepairRefused(`${offer.file} cannot be read: ${(e as Error).message}`);
    }
    if (typeof before !== 'number') throw new RepairRefused(`${offer.file} has no numeric current_step`);
    const per = typeof offer.params?.stepsPerEpoch === 'number' ? offer.params.stepsPerEpoch : undefined;
    return {
      offerId: ID,
      edits: [{ kind: 'json-values', file: offer.file, targets: [{ path: ['current_step'], text: String(step) }] }],
      fields: step === before ? [] : [{ file: offer.file, field: 'current_step', before: String(before), after: String(step) }],
      resumeAfter: resumeAfter(step, per),
      sideEffects: offer.sideEffects,
    };
  },
};
