/**
 * The model-weights part of a checkpoint: safetensors headers (single, sharded through
 * `*.safetensors.index.json`, or a PEFT adapter), torch.save'd state dicts (`pytorch_model.bin`),
 * and the naming fields of `config.json` / `adapter_config.json`.
 */
import { adapterFields, configFields, summarizeSafetensors, summarizeStateDict } from '../conventions/modelWeights';
import type { ModelSummary } from '../conventions/summary';
import { readSafetensorsHeader, type SafetensorsHeader } from '../safetensors/header';
import type { AnalysisContext } from './context';

/** Read every weights file of the plan (roles `weights`, `weights-index`, `config`, `adapter-config`). */
export async function readModel(ctx: AnalysisContext): Promise<ModelSummary | undefined> {
  const weights = ctx.paths('weights');
  const index = ctx.paths('weights-index')[0];
  let model: ModelSummary | undefined;
  const safetensors = weights.filter((w) => w.endsWith('.safetensors'));
  const torchWeights = weights.filter((w) => !w.endsWith('.safetensors'));
  if (index) {
    const json = await ctx.readJson<{ weight_map?: Record<string, string>; metadata?: Record<string, unknown> }>(index);
    const shardNames = new Set(Object.values(json?.weight_map ?? {}));
    const present = safetensors.filter((p) => shardNames.has(p.slice(p.lastIndexOf('/') + 1)));
    const missing = [...shardNames].filter((n) => !safetensors.some((p) => p.endsWith(`/${n}`) || p === n));
    if (missing.length) ctx.warnings.push(`${index} lists ${missing.length} shard(s) that were not dropped: ${missing.slice(0, 5).join(', ')}`);
    const headers = await readHeaders(ctx, present);
    if (headers.length) model = summarizeSafetensors(index, headers);
  } else if (safetensors.length) {
    const headers = await readHeaders(ctx, safetensors);
    if (headers.length) model = summarizeSafetensors(safetensors[0], headers);
  } else if (torchWeights.length) {
    const tf = await ctx.loadTorch(torchWeights[0]);
    if (tf) model = summarizeStateDict(torchWeights[0], tf.value);
  }
  if (!model) return undefined;
  const bytesOnDisk = ctx.files.filter((f) => weights.includes(f.path)).reduce((n, f) => n + f.size, 0);
  model = { ...model, bytesOnDisk };
  const config = ctx.paths('config')[0];
  if (config) model = { ...model, ...configFields(await ctx.readJson(config)) };
  const adapter = ctx.paths('adapter-config')[0];
  if (adapter) model = { ...model, adapter: adapterFields(await ctx.readJson(adapter)) };
  return model;
}

async function readHeaders(ctx: AnalysisContext, paths: string[]): Promise<SafetensorsHeader[]> {
  const out: SafetensorsHeader[] = [];
  for (const p of paths) {
    try {
      out.push(await readSafetensorsHeader(ctx.open(p)));
      ctx.describe(p, { format: 'safetensors' });
    } catch (e) {
      ctx.fail(p, e);
    }
  }
  return out;
}
