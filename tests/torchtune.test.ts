/**
 * torchtune on torch-made fixtures (scripts/fixtures_research.py): epoch_0/ with recipe_state.pt
 * beside the model shard (older layout) and epoch_1/ with recipe_state/recipe_state.pt. Values
 * from expected.json (what torch.load returned).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeFolder, OWN } from './support/fixtures';

type Truth = { recipe_state: string; epochs_run: number; total_epochs: number; max_steps_per_epoch: number; steps_run: number; seed: number; optimizer_param_states: number; model_parameters: number };
const expected = JSON.parse(readFileSync(join(OWN, 'torchtune', 'expected.json'), 'utf8')) as { kind: string; folders: Record<string, Truth> };

describe('torchtune epoch folders', () => {
  test('one checkpoint per epoch_N folder with its recipe state and model shard', async () => {
    const { plan } = await analyzeFolder(join(OWN, 'torchtune', 'output'));
    expect(plan.checkpoints.map((c) => [c.name, c.convention])).toEqual([['epoch_0', 'torchtune'], ['epoch_1', 'torchtune']]);
    for (const [name, e] of Object.entries(expected.folders)) {
      const c = plan.checkpoints.find((x) => x.name === name);
      expect(c?.files).toEqual([
        { path: `output/${name}/${e.recipe_state}`, role: 'recipe-state' },
        { path: `output/${name}/config.json`, role: 'config' },
        { path: `output/${name}/model-00001-of-00001.safetensors`, role: 'weights' },
      ]);
    }
  });

  test('epochs_run = epochs completed; a resume runs range(epochs_run, total_epochs)', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'torchtune', 'output'));
    for (const [name, e] of Object.entries(expected.folders)) {
      const s = summaries.find((x) => x.name === name);
      expect(s?.kind).toBe(expected.kind);
      expect(s?.position).toMatchObject({ epoch: e.epochs_run, epochsCompleted: e.epochs_run, stepInEpoch: 0, stepsPerEpoch: e.max_steps_per_epoch, globalStep: e.steps_run, plannedEpochs: e.total_epochs, finished: false, resumable: true, epochBase: 0 });
      expect(s?.position?.resume).toBe(`start epoch ${e.epochs_run} (0-based) of range(${e.epochs_run}, ${e.total_epochs})`);
      expect(s?.progress).toMatchObject({ status: 'complete', epoch: e.epochs_run - 1, resume: { epoch: e.epochs_run } });
      expect(s?.facts).toContainEqual({ label: 'seed', value: String(e.seed) });
      expect(s?.optimizer?.paramStates).toBe(e.optimizer_param_states);
      expect(s?.model?.parameters).toBe(e.model_parameters);
      expect(s?.model?.architecture).toBe('LlamaForCausalLM');
      expect(s?.warnings).toEqual([]);
    }
  });
});
