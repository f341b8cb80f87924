/**
 * Hugging Face Trainer repairs (CONVENTIONS.md §2 "ckptview repair rule", §15), both JSON edits of
 * `trainer_state.json` that keep every other byte (`repair/jsonSpans.ts`):
 *
 * - safe: `best_model_checkpoint` naming a folder that does not exist (transformers #35609: the
 *   Trainer crashes in `_load_best_model` / rotation) is set to `null`;
 * - guarded, "mark epoch N complete": `Trainer._inner_training_loop` reads only `global_step`
 *   (epochs_trained = global_step // U, U = update steps per epoch); `epoch` is informational. The
 *   edit sets global_step = N x U and epoch = N.0, and the folder is renamed checkpoint-<N x U>
 *   because `trainer_utils.get_last_checkpoint` and `_rotate_checkpoints` sort by that number.
 *   `scheduler.pt` and `optimizer.pt` stay at the old step, so the LR schedule is off by the
 *   difference: the preview says so and offers `ignore_data_skip=True` instead.
 */
import type { AnalysisContext } from '../../analyze/context';
import { baseName, dirOf } from '../../folder/paths';
import { jsonScalarAt, parseJsonSpans, pythonFloatText } from '../../repair/jsonSpans';
import { intInput, offerOf, RepairRefused, type ConventionRepair, type RepairAccess, type RepairOffer, type RepairSpec } from '../../repair/offers';
import type { HfTrainerSummary } from './readHfTrainer';

const BEST = 'hf-best-model-checkpoint';
const MARK = 'hf-mark-complete';
const MARK_SIDE_EFFECTS = (gap: string): string[] => [
  `scheduler.pt and optimizer.pt are not changed: they stay at the old global_step, so the learning-rate schedule runs ${gap} behind the new global_step`,
  'the batches of the interrupted epoch after the save are not trained',
  'log_history, best_metric and the rest of trainer_state.json are kept byte for byte',
];
const ALTERNATIVE = 'resume without editing, with TrainingArguments(ignore_data_skip=True): Trainer restarts the interrupted epoch from its first batch, and the optimizer and scheduler stay consistent';

/** True when the drop holds a checkpoint folder at `folder` (one of its usual files, from the listing: no read). */
function folderPresent(ctx: AnalysisContext, folder: string): boolean {
  return ['trainer_state.json', 'model.safetensors', 'pytorch_model.bin', 'adapter_model.safetensors', 'config.json'].some((name) => ctx.exists(folder ? `${folder}/${name}` : name));
}

function renamed(path: string, step: number): string | undefined {
  const m = /^(.*?)(checkpoint-)(\d+)$/.exec(path);
  return m ? `${m[1]}${m[2]}${step}` : undefined;
}

/** The HF Trainer offers for the checkpoint folder `dir` whose state is at `statePath`. */
export async function hfRepairOffers(ctx: AnalysisContext, statePath: string, dir: string, hf: HfTrainerSummary, stepsPerEpoch: number | undefined): Promise<RepairOffer[]> {
  const out: RepairOffer[] = [];
  const best = hf.bestModelCheckpoint;
  if (best) {
    const name = baseName(best.replace(/\\/g, '/').replace(/\/+$/, ''));
    const sibling = dirOf(dir) ? `${dirOf(dir)}/${name}` : name;
    const present = name === baseName(dir) || folderPresent(ctx, sibling);
    if (!present) {
      out.push({
        id: BEST, label: 'Clear best_model_checkpoint (it names a missing folder)', verb: 'set', safety: 'safe', file: statePath,
        input: { kind: 'choice', label: 'best_model_checkpoint', option: '--best-model-checkpoint', default: 'null', choices: ['null'] },
        fields: [{ file: statePath, field: 'best_model_checkpoint', before: JSON.stringify(best), after: 'null' }],
        resumeAfter: 'unchanged; load_best_model_at_end no longer tries to load a folder that is not there (transformers #35609)',
        sideEffects: [`${name} is not in the drop beside ${baseName(dir)}; if it exists on your disk, drop the whole output folder instead`, 'best_metric is kept'],
      });
    }
  }
  const base = { id: MARK, verb: 'mark-complete' as const, safety: 'guarded' as const, file: statePath, alternative: ALTERNATIVE };
  const U = stepsPerEpoch;
  if (!U) out.push({ ...base, label: 'Mark epoch complete', fields: [], resumeAfter: '', sideEffects: [], refusal: 'the update steps per epoch cannot be told from this folder (no max_steps / num_train_epochs), so the new global_step is unknown' });
  else if (hf.maxSteps !== undefined && hf.maxSteps > 0 && hf.globalStep >= hf.maxSteps) out.push({ ...base, label: 'Mark epoch complete', fields: [], resumeAfter: '', sideEffects: [], refusal: `the run is finished: global_step ${hf.globalStep} has reached max_steps ${hf.maxSteps}, so a resume trains nothing whatever the epoch says; raise max_steps to train further` });
  else if (!Number.isInteger(hf.globalStep)) out.push({ ...base, label: 'Mark epoch complete', fields: [], resumeAfter: '', sideEffects: [], refusal: `global_step ${hf.globalStep} is not an integer (transformers #27630); fix the Trainer version instead` });
  else if (hf.globalStep % U === 0) out.push({ ...base, label: 'Mark epoch complete', fields: [], resumeAfter: '', sideEffects: [], refusal: `global_step ${hf.globalStep} is already at an epoch boundary (${hf.globalStep / U} x ${U} update steps)` });
  else {
    const n = Math.floor(hf.globalStep / U) + 1;
    const spec = markSpec(statePath, dir, hf.globalStep, hf.epoch, hf.maxSteps, U, n);
    out.push({ ...base, label: `Mark epoch ${n} complete`, input: { kind: 'int', label: 'Epochs complete after the repair', option: '--epoch', default: String(n), min: 1 }, fields: [...spec.fields], resumeAfter: spec.resumeAfter, sideEffects: [...spec.sideEffects], params: { stepsPerEpoch: U } });
  }
  return out;
}

function markSpec(statePath: string, dir: string, globalStep: number, epoch: number | undefined, maxSteps: number | undefined, U: number, n: number): RepairSpec {
  const step = n * U;
  const to = renamed(dir, step);
  const fields = [
    { file: statePath, field: 'global_step', before: String(globalStep), after: String(step) },
    { file: statePath, field: 'epoch', before: epoch === undefined ? 'absent' : String(epoch), after: pythonFloatText(n) },
    ...(to && to !== dir ? [{ file: dir, field: '(folder name)', before: baseName(dir), after: baseName(to) }] : []),
  ];
  const finished = maxSteps !== undefined && step >= maxSteps;
  const gap = step > globalStep ? `${step - globalStep} steps` : `${globalStep - step} steps ahead`;
  return {
    offerId: MARK,
    edits: [
      { kind: 'json-values', file: statePath, targets: [{ path: ['global_step'], text: String(step) }, { path: ['epoch'], text: pythonFloatText(n) }] },
      ...(to && to !== dir ? [{ kind: 'rename-folder' as const, from: dir, to }] : []),
    ],
    fields,
    resumeAfter: finished ? `global_step ${step} reaches max_steps ${maxSteps}: a resume trains nothing (the run is finished)` : `epochs_trained = ${step} // ${U} = ${n}: a resume starts epoch ${n + 1} (1-based) with no batches skipped`,
    sideEffects: [...MARK_SIDE_EFFECTS(gap), `U = ${U} update steps per epoch as this folder says; it depends on the transformers version (floor before 4.52, ceil from 4.52, PR #37923) and on the GPU count`, ...(to && to !== dir ? [`the folder becomes ${baseName(to)} (get_last_checkpoint and checkpoint rotation sort by that number)`] : [])],
  };
}

async function readState(access: RepairAccess, path: string): Promise<ReturnType<typeof parseJsonSpans>> {
  const src = access.open(path);
  if (!src) throw new RepairRefused(`${path} is not available (drop it again)`);
  try {
    return parseJsonSpans(new TextDecoder().decode(await src.read(0, src.size)));
  } catch (e) {
    throw new RepairRefused(`${path} cannot be read: ${(e as Error).message}`);
  }
}

/** Plans `hf-best-model-checkpoint` and `hf-mark-complete`. */
export const hfTrainerRepair: ConventionRepair = {
  async offers(ctx, part) {
    const statePath = ctx.paths('trainer-state')[0];
    if (!statePath || !part.hf) return [];
    return hfRepairOffers(ctx, statePath, ctx.plan.path, part.hf, part.position?.stepsPerEpoch ?? part.hf.stepsPerEpoch);
  },
  async plan(subject, request, access) {
    const offer = offerOf(subject, request);
    const root = await readState(access, offer.file);
    if (offer.id === BEST) {
      if (request.value !== undefined && request.value !== 'null') throw new RepairRefused('best_model_checkpoint can only be cleared (null) here');
      if (typeof jsonScalarAt(root, ['best_model_checkpoint']) !== 'string') throw new RepairRefused(`${offer.file}: best_model_checkpoint is not a string any more`);
      return { offerId: BEST, edits: [{ kind: 'json-values', file: offer.file, targets: [{ path: ['best_model_checkpoint'], text: 'null' }] }], fields: offer.fields, resumeAfter: offer.resumeAfter, sideEffects: offer.sideEffects };
    }
    const n = intInput(offer, request.value);
    const gs = jsonScalarAt(root, ['global_step']);
    const ep = jsonScalarAt(root, ['epoch']);
    const max = jsonScalarAt(root, ['max_steps']);
    const U = Number(offer.params?.stepsPerEpoch);
    if (typeof gs !== 'number' || !Number.isInteger(gs)) throw new RepairRefused(`${offer.file}: global_step is not an integer`);
    if (typeof ep !== 'number') throw new RepairRefused(`${offer.file}: epoch is not a number`);
    if (!U) throw new RepairRefused(`${offer.file}: update steps per epoch unknown`);
    return markSpec(offer.file, subject.path, gs, ep, typeof max === 'number' ? max : undefined, U, n);
  },
};
