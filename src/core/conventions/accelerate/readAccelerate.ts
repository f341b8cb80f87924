/**
 * Read the files of an Accelerate `save_state` folder (accelerate `checkpointing.py`
 * `save_accelerator_state` / `load_accelerator_state`): model weights, optimizer, scheduler,
 * scaler, the RNG states and the registered objects' states. Shared by the Accelerate and kohya
 * conventions (kohya's `*-state` folders are Accelerate folders plus `train_state.json`).
 */
import type { AnalysisContext } from '../../analyze/context';
import { readModel } from '../../analyze/weights';
import { asNumber, dictGet, dictKeys } from '../../pickle/values';
import { summarizeOptimizer, summarizeScaler, summarizeScheduler } from '../stateDicts';
import type { ModelSummary, OptimizerSummary, SavedFact, ScalerSummary, SchedulerSummary } from '../summary';
import { describeCustomState } from './customState';

/** Roles whose torch files are parsed (formats, safety) even when nothing is read from them. */
const TORCH_ROLES = ['optimizer', 'scheduler', 'scaler', 'rng-state', 'custom-state', 'sampler-state', 'extra-weights', 'deepspeed-state'];

/** What the files of an Accelerate folder hold. */
export interface AccelerateState {
  readonly model: ModelSummary | undefined;
  readonly optimizer: OptimizerSummary | undefined;
  readonly scheduler: SchedulerSummary | undefined;
  readonly scaler: ScalerSummary | undefined;
  /** `step` of the first `random_states_*.pkl`: the gradient-accumulation micro-step counter, NOT progress. */
  readonly rngStep: number | undefined;
  /** Number of `random_states_*.pkl` files (one per process). */
  readonly rngFiles: number;
  /** What `load_state` restores from this folder, in words (`model`, `optimizer`, `RNG`...). */
  readonly restored: string[];
  /** Labelled lines: the RNG step and what it means, the registered objects' states. */
  readonly facts: SavedFact[];
}

const fileName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** Read an Accelerate folder's files. Unreadable files are recorded as problems by the context. */
export async function readAccelerateState(ctx: AnalysisContext): Promise<AccelerateState> {
  for (const f of ctx.plan.files) if (TORCH_ROLES.includes(f.role) && !f.path.endsWith('.safetensors')) await ctx.loadTorch(f.path);
  const model = await readModel(ctx);
  const facts: SavedFact[] = [];
  const firstTorch = async (role: string) => {
    const path = ctx.paths(role).sort()[0];
    const file = path ? await ctx.loadTorch(path) : undefined;
    return path && file ? { path, file } : undefined;
  };
  const opt = await firstTorch('optimizer');
  const optimizer = opt ? await summarizeOptimizer(ctx.open(opt.path), opt.file, opt.file.value) : undefined;
  const sch = await firstTorch('scheduler');
  const scheduler = sch ? summarizeScheduler(sch.file.value) : undefined;
  const sca = await firstTorch('scaler');
  const scaler = sca ? await summarizeScaler(ctx.open(sca.path), sca.file, sca.file.value) : undefined;

  const rngPaths = ctx.paths('rng-state').sort();
  const rng = await firstTorch('rng-state');
  let rngStep: number | undefined;
  if (rng) {
    const keys = dictKeys(rng.file.value);
    rngStep = asNumber(dictGet(rng.file.value, 'step'));
    const generators = keys.filter((k) => k !== 'step').join(', ');
    facts.push({ label: 'RNG state', value: `${rngPaths.length} random_states_*.pkl (one per process): ${generators}; RNG state, not model weights` });
    facts.push({
      label: `${fileName(rng.path)} step`,
      value: rngStep !== undefined
        ? `${rngStep}: Accelerate's gradient-accumulation micro-step counter (Accelerator.step, reset at each dataloader end), not training progress`
        : 'not saved (accelerate versions before the gradient-accumulation counter was stored)',
    });
  }
  const customs = ctx.paths('custom-state').sort();
  for (const p of customs) {
    const f = await ctx.loadTorch(p);
    facts.push({ label: fileName(p), value: `registered object (register_for_checkpointing): ${f ? describeCustomState(f.value) : 'unreadable'}` });
  }
  const restored = [
    ...(model || ctx.paths('weights').length ? ['model'] : []),
    ...(ctx.paths('optimizer').length ? ['optimizer'] : []),
    ...(ctx.paths('scheduler').length ? ['scheduler'] : []),
    ...(ctx.paths('scaler').length ? ['grad scaler'] : []),
    ...(ctx.paths('sampler-state').length ? ['sampler/dataloader state'] : []),
    ...(rngPaths.length ? ['RNG'] : []),
    ...(customs.length ? [`${customs.length} registered object${customs.length > 1 ? 's' : ''}`] : []),
  ];
  return { model, optimizer, scheduler, scaler, rngStep, rngFiles: rngPaths.length, restored, facts };
}

/** `a, b and c`. */
export function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
