/**
 * DeepSpeed `save_checkpoint` output (fixtures/deepspeed, real torch via
 * scripts/fixtures_folders.py): one checkpoint per tag folder; the tag `latest` names is the one
 * load_checkpoint uses; `latest` naming a missing tag and a missing rank shard are warnings; a
 * renamed model-states file is matched by content; DeepSpeed inside an HF Trainer folder stays
 * part of that one checkpoint.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeFolder, OWN } from './support/fixtures';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { conventionById } from '../src/core/conventions/registry';

const D = join(OWN, 'deepspeed');
type Tag = { tag: string | null; global_steps: number; global_samples: number; skipped_steps: number; dp_world_size: number; ds_version: string; client_epoch: number; model_parameters: number; scheduler_last_epoch: number; optim_shards: string[]; optimizer_steps: number | null };
const json = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;
const fact = (s: CheckpointSummary, label: string): string | undefined => s.facts?.find((f) => f.label === label)?.value;

function checkTag(s: CheckpointSummary, e: Tag): void {
  expect(s.kind).toBe('deepspeed');
  expect(s.position?.globalStep).toBe(e.global_steps);
  expect(s.position?.epoch).toBe(e.client_epoch);
  expect(s.model?.parameters).toBe(e.model_parameters);
  expect(s.scheduler?.lastEpoch).toBe(e.scheduler_last_epoch);
  expect(fact(s, 'global_samples')).toBe(String(e.global_samples));
  expect(fact(s, 'dp_world_size')).toBe(String(e.dp_world_size));
  expect(fact(s, 'ds_version')).toBe(e.ds_version);
  expect(fact(s, 'client_state epoch')).toBe(`${e.client_epoch} (the training script's own field)`);
  expect(s.optimizer?.steps ?? null).toBe(e.optimizer_steps);
}

describe('DeepSpeed output folder', async () => {
  const e = json<Record<string, Tag> & { latest: string }>(join(D, 'ds_output.expected.json'));
  const { plan, summaries } = await analyzeFolder(join(D, 'ds_output'));

  test('one checkpoint per tag folder; zero_to_fp32.py is listed as other', () => {
    expect(plan.checkpoints.map((c) => [c.name, c.convention])).toEqual([
      ['global_step200', 'deepspeed'],
      ['global_step300', 'deepspeed'],
    ]);
    for (const s of summaries) {
      expect(s.files.map((f) => [f.path, f.role])).toEqual([
        [`ds_output/${s.name}/mp_rank_00_model_states.pt`, 'DeepSpeed model states'],
        [`ds_output/${s.name}/zero_pp_rank_0_mp_rank_00_optim_states.pt`, 'ZeRO optimizer shard'],
        [`ds_output/${s.name}/zero_pp_rank_1_mp_rank_00_optim_states.pt`, 'ZeRO optimizer shard'],
        ['ds_output/latest', 'DeepSpeed latest tag'],
        ['ds_output/zero_to_fp32.py', 'other'],
      ]);
      checkTag(s, e[s.name]);
      expect(s.warnings).toEqual([]);
      expect(s.position?.resumable).toBe(true);
    }
  });

  test('the tag latest names is the one load_checkpoint uses', () => {
    const [s200, s300] = summaries;
    expect(e.latest).toBe('global_step300');
    expect(conventionById('deepspeed')?.pickResume?.(summaries)?.name).toBe(e.latest);
    expect(s300.position?.resume).toBe('load_checkpoint(ds_output) reads latest = global_step300: this checkpoint; it restores global_steps 300, global_samples 4800 and skipped_steps 0; the epoch and the position in it are the training script\'s (client_state)');
    expect(s200.position?.resume).toBe("load_checkpoint(ds_output) loads latest = global_step300, not this tag; pass tag='global_step200' to resume here: it restores global_steps 200, global_samples 3200 and skipped_steps 0; the epoch and the position in it are the training script's (client_state)");
  });
});

describe('broken latest and a missing rank shard', () => {
  test('warnings name latest and the shard count; not resumable', async () => {
    const e = json<Record<string, Tag> & { latest: string }>(join(D, 'ds_broken_latest.expected.json'));
    const { summaries } = await analyzeFolder(join(D, 'ds_broken_latest'));
    expect(summaries).toHaveLength(1);
    const [s] = summaries;
    checkTag(s, e.global_step300);
    expect(e.latest).toBe('global_step400');
    expect(s.position?.resumable).toBe(false);
    expect(s.warnings).toEqual([
      `ds_broken_latest/global_step300: dp_world_size is ${e.global_step300.dp_world_size} but ${e.global_step300.optim_shards.length} zero_pp_rank_*_optim_states.pt shard(s) are here: load_checkpoint needs one per data-parallel rank (LlamaFactory #8098)`,
      'ds_broken_latest/latest: names tag global_step400, which is not in the drop: load_checkpoint(ds_broken_latest) without a tag fails; rewrite latest to an existing tag such as global_step300',
    ]);
    expect(s.position?.resume).toMatch(/^load_checkpoint\(ds_broken_latest\) without a tag fails: latest names global_step400, which is missing; with tag='global_step300' it restores global_steps 300/);
  });

  test('latest with no tag folder at all', async () => {
    const e = json<{ latest: string }>(join(D, 'ds_latest_only.expected.json'));
    const { plan, summaries } = await analyzeFolder(join(D, 'ds_latest_only'));
    expect(plan.checkpoints.map((c) => [c.name, c.convention])).toEqual([['latest', 'deepspeed']]);
    expect(summaries[0].position?.resumable).toBe(false);
    expect(summaries[0].position?.resume).toBe(`load_checkpoint(ds_latest_only) reads latest = ${e.latest}, which is not in the drop: it fails`);
    expect(summaries[0].warnings).toEqual([`ds_latest_only/latest: names tag ${e.latest}, but no such folder was dropped: load_checkpoint(ds_latest_only) without a tag fails`]);
  });
});

describe('a renamed model-states file', () => {
  test('matched by content (ds_version)', async () => {
    const e = json<Tag>(join(D, 'renamed.expected.json'));
    const { plan, summaries } = await analyzeFolder(join(D, 'renamed'));
    expect(plan.checkpoints.map((c) => c.convention)).toEqual(['by-content']);
    checkTag(summaries[0], e);
    expect(summaries[0].position?.resume).toMatch(/^a DeepSpeed model-states file on its own: load_checkpoint\(dir, tag\) needs it as <tag>\/mp_rank_00_model_states.pt; it restores global_steps 300/);
  });
});

describe('DeepSpeed inside an HF Trainer checkpoint', () => {
  test('checkpoint-300 is one HF Trainer checkpoint holding the global_step300 files', async () => {
    const e = json<{ kind: string; checkpoints: number; files: string[] }>(join(D, 'hf_with_deepspeed.expected.json'));
    const { plan, summaries } = await analyzeFolder(join(D, 'hf_with_deepspeed'));
    expect(plan.checkpoints).toHaveLength(e.checkpoints);
    expect(summaries[0].kind).toBe(e.kind);
    expect(summaries[0].files.map((f) => f.path.replace('hf_with_deepspeed/', '')).sort()).toEqual(e.files);
    expect(summaries[0].files.find((f) => f.path.endsWith('global_step300/mp_rank_00_model_states.pt'))?.role).toBe('DeepSpeed state');
    expect(summaries[0].files.find((f) => f.path.endsWith('/latest'))?.role).toBe('DeepSpeed latest tag');
  });
});
