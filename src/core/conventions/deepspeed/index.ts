/**
 * DeepSpeed `save_checkpoint` output (CONVENTIONS.md §8; `deepspeed/runtime/engine.py`
 * `save_checkpoint`, `load_checkpoint`, `_load_checkpoint`): one checkpoint per tag folder
 * (`global_step{N}/`). `load_checkpoint(load_dir, tag=None)` reads the tag from `latest`, restores
 * `global_steps`, `global_samples` and `skipped_steps`, and hands every other key back as
 * `client_state`: the epoch and the position in it are the caller's business. A lone
 * model-states file is recognised by content (`ds_version`).
 */
import type { AnalysisContext } from '../../analyze/context';
import { dirOf } from '../../folder/paths';
import { dictGet } from '../../pickle/values';
import type { TorchFile } from '../../torch/torchFile';
import type { Convention, ConventionPart } from '../convention';
import { summarizeStateDict } from '../modelWeights';
import { notRepairable } from '../shared/repairEligibility';
import { summarizeOptimizer, summarizeScheduler } from '../stateDicts';
import type { OptimizerSummary, SavedFact, TrainingPosition } from '../summary';
import { deepspeedClaims } from './files';
import { isDeepspeedStates, readModelStates, type ModelStates } from './modelStates';
import { latestTarget, tagPresent } from './latest';
import { deepspeedRepair } from './repair';

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** The optimizer part of a ZeRO shard (`optimizer_state_dict.base_optimizer_state`), when it is a torch optimizer state dict. */
async function shardOptimizer(ctx: AnalysisContext, path: string, f: TorchFile): Promise<OptimizerSummary | undefined> {
  const osd = dictGet(f.value, 'optimizer_state_dict');
  return (await summarizeOptimizer(ctx.open(path), f, dictGet(osd, 'base_optimizer_state'))) ?? (await summarizeOptimizer(ctx.open(path), f, osd));
}

function statesFacts(m: ModelStates): SavedFact[] {
  return [
    ...(m.globalSamples !== undefined ? [{ label: 'global_samples', value: String(m.globalSamples) }] : []),
    ...(m.skippedSteps !== undefined ? [{ label: 'skipped_steps', value: `${m.skippedSteps} (steps skipped on fp16 overflow)` }] : []),
    ...(m.dpWorldSize !== undefined ? [{ label: 'dp_world_size', value: String(m.dpWorldSize) }] : []),
    ...(m.dsVersion !== undefined ? [{ label: 'ds_version', value: m.dsVersion }] : []),
    ...m.clientState.map(([k, v]) => ({ label: `client_state ${k}`, value: `${v} (the training script's own field)` })),
  ];
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const modelPaths = [...ctx.paths('model-states'), ...ctx.paths('training-state')].sort((a, b) => Number(!/mp_rank_00_model_states\.pt$/.test(a)) - Number(!/mp_rank_00_model_states\.pt$/.test(b)) || a.localeCompare(b));
  const optimPaths = ctx.paths('optim-states').sort();
  for (const p of [...modelPaths, ...optimPaths]) await ctx.loadTorch(p);
  const latestPath = ctx.paths('deepspeed-latest')[0];
  const tag = ctx.plan.name;
  const parent = latestPath ? dirOf(latestPath) : dirOf(ctx.plan.path);
  const latest = latestPath ? await latestTarget(ctx, latestPath) : undefined;

  const mainPath = modelPaths[0];
  const main = mainPath ? await ctx.loadTorch(mainPath) : undefined;
  const states = main && mainPath && isDeepspeedStates(main.value) && dictGet(main.value, 'module') !== undefined ? await readModelStates(ctx.open(mainPath), main) : undefined;
  const model = main && mainPath ? summarizeStateDict(mainPath, dictGet(main.value, 'module') ?? { kind: 'none' }) : undefined;
  const scheduler = main ? summarizeScheduler(dictGet(main.value, 'lr_scheduler')) : undefined;
  const firstShard = optimPaths[0] ? await ctx.loadTorch(optimPaths[0]) : undefined;
  const optimizer = firstShard ? await shardOptimizer(ctx, optimPaths[0], firstShard) : undefined;

  const facts: SavedFact[] = states ? statesFacts(states) : [];
  if (optimPaths.length) facts.push({ label: 'ZeRO optimizer shards', value: `${optimPaths.length} (${optimPaths.map(base).join(', ')})` });
  const dp = states?.dpWorldSize;
  let complete = mainPath !== undefined && states !== undefined;
  if (optimPaths.length && dp !== undefined && optimPaths.length !== dp) {
    complete = false;
    ctx.warnings.push(`${ctx.plan.path}: dp_world_size is ${dp} but ${optimPaths.length} zero_pp_rank_*_optim_states.pt shard(s) are here: load_checkpoint needs one per data-parallel rank (LlamaFactory #8098)`);
  }
  for (const f of ctx.files) if (f.size === 0 && (modelPaths.includes(f.path) || optimPaths.includes(f.path))) {
    complete = false;
    ctx.warnings.push(`${f.path} is empty (0 bytes): a save interrupted mid-write; load_checkpoint fails on it`);
  }

  let resume: string;
  const restores = states ? `restores global_steps ${states.globalSteps ?? '?'}, global_samples ${states.globalSamples ?? '?'} and skipped_steps ${states.skippedSteps ?? '?'}; the epoch and the position in it are the training script's (client_state)` : 'finds no model states to restore';
  const loadDir = parent || '.';
  if (!mainPath) {
    resume = latest ? `load_checkpoint(${loadDir}) reads latest = ${latest}, which is not in the drop: it fails` : 'nothing to resume from: no model states file';
    if (latest) ctx.warnings.push(`${latestPath}: names tag ${latest}, but no such folder was dropped: load_checkpoint(${loadDir}) without a tag fails`);
  } else if (!latestPath) {
    resume = ctx.plan.convention === 'by-content'
      ? `a DeepSpeed model-states file on its own: load_checkpoint(dir, tag) needs it as <tag>/mp_rank_00_model_states.pt; it ${restores}`
      : `load_checkpoint(${loadDir}, tag='${tag}') ${restores}; there is no latest file beside it, so load_checkpoint without a tag fails (transformers #22170)`;
  } else if (latest === tag) {
    resume = `load_checkpoint(${loadDir}) reads latest = ${tag}: this checkpoint; it ${restores}`;
  } else {
    const present = latest !== undefined && (await tagPresent(ctx, parent, latest));
    if (!present) ctx.warnings.push(`${latestPath}: names tag ${latest ?? '(unreadable)'}, which is not in the drop: load_checkpoint(${loadDir}) without a tag fails; rewrite latest to an existing tag such as ${tag}`);
    resume = present
      ? `load_checkpoint(${loadDir}) loads latest = ${latest}, not this tag; pass tag='${tag}' to resume here: it ${restores}`
      : `load_checkpoint(${loadDir}) without a tag fails: latest names ${latest ?? '(unreadable)'}, which is missing; with tag='${tag}' it ${restores}`;
  }
  const epoch = states?.clientNumbers.get('epoch');
  const position: TrainingPosition = {
    epochsCompleted: undefined,
    epoch,
    epochBase: 0,
    epochMeaning: epoch !== undefined ? "client_state epoch: the training script's own number (DeepSpeed does not define it)" : 'DeepSpeed saves no epoch (the training script may, in client_state)',
    stepInEpoch: undefined,
    stepsPerEpoch: undefined,
    stepUnit: 'optimizer steps',
    globalStep: states?.globalSteps,
    finished: false,
    resumable: mainPath ? complete : false,
    resume,
    note: 'DeepSpeed restores global_steps; the epoch is the caller\'s client_state',
  };
  return {
    kind: 'deepspeed',
    position,
    metrics: [],
    facts: latest !== undefined ? [{ label: 'latest', value: latest }, ...facts] : facts,
    optimizer,
    scheduler,
    model,
    repair: notRepairable('DeepSpeed resumes from the tag latest names; only latest is edited (from a complete tag folder that latest does not name)'),
  };
}

/** DeepSpeed `save_checkpoint` tag folders. */
export const deepspeed: Convention = {
  id: 'deepspeed',
  label: 'DeepSpeed',
  repair: deepspeedRepair,
  roles: { 'model-states': 'DeepSpeed model states', 'optim-states': 'ZeRO optimizer shard', 'deepspeed-latest': 'DeepSpeed latest tag', 'deepspeed-state': 'DeepSpeed state' },
  claimFolder: deepspeedClaims,
  matches: (file) => isDeepspeedStates(file.value),
  read,
  /** `load_checkpoint(dir)` without a tag loads the tag `latest` names (none when it names a missing tag). */
  pickResume: (checkpoints) => checkpoints.find((c) => c.facts?.some((f) => f.label === 'latest' && f.value === c.name)),
};
