/**
 * Conformance on the HF Trainer and Lightning cases of ../shared/realworld2 (see its README):
 * hf_chatglm2_prefix (global_step 3000 == max_steps 3000 at 0.277 of an epoch: finished),
 * hf_peft_new_schema (best_global_step, stateful_callbacks, gradient accumulation 4),
 * pl085_mafat (Lightning 0.8.5: top-level checkpoint_callback_best_model_score, model = state_dict,
 * global_step saved one higher) and pl163_molkgnn (three ModelCheckpoint monitors). Values from
 * each case's truth.json. Also the CLI lines of one case. Skipped when ../shared/realworld2 is absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CheckpointSummary } from '../src/core/conventions/summary';
import { analyzeFolder, ROOT } from './support/fixtures';

const RW2 = join(ROOT, '..', 'shared', 'realworld2');
type TruthFile = { prog: Record<string, number>; best: Record<string, number>; params: number | null; keys?: string[] | null };
const truth = (name: string): Record<string, TruthFile> => (JSON.parse(readFileSync(join(RW2, `${name}.truth.json`), 'utf8')) as { files: Record<string, TruthFile> }).files;
const fact = (s: CheckpointSummary, label: string): string | undefined => s.facts?.find((f) => f.label === label)?.value;

async function only(name: string): Promise<CheckpointSummary> {
  const { summaries } = await analyzeFolder(join(RW2, name));
  expect(summaries).toHaveLength(1);
  return summaries[0];
}

describe.skipIf(!existsSync(RW2))('realworld2 HF Trainer and Lightning cases', () => {
  test('hf_chatglm2_prefix: global_step == max_steps = finished, a resume trains nothing; 0.277 of epoch 1; floor U by transformers 4.31', async () => {
    const t = truth('hf_chatglm2_prefix')['hf_chatglm2_prefix/checkpoint-3000/trainer_state.json'].prog;
    expect(t.global_step).toBe(t.max_steps);
    const s = await only('hf_chatglm2_prefix');
    expect(s.kind).toBe('hf-trainer');
    expect(s.position).toMatchObject({ globalStep: t.global_step, finished: true, epochsCompleted: Math.floor(t.epoch), epoch: t.epoch });
    // a finished run is not offered "mark epoch complete": the resume trains nothing either way
    expect(s.repair.offers?.find((o) => o.id.includes('mark'))?.refusal).toBe(`the run is finished: global_step ${t.global_step} has reached max_steps ${t.max_steps}, so a resume trains nothing whatever the epoch says; raise max_steps to train further`);
    expect(s.position?.resume).toBe(`train nothing: global_step ${t.global_step} has reached max_steps ${t.max_steps} (the run finished); raise max_steps to train further`);
    expect(s.progress?.resume.text).not.toMatch(/continues epoch 1 from step 3000/);
    expect(s.progress?.progressPercent).toBe(Math.round(t.epoch * 1000) / 10);
    expect(s.progress?.remainingBatches).toBe(0);
    // epoch = 3000 x GA 4 / len(dataloader): 43309 batches, floor 10827 (4.31) vs ceil 10828
    expect(Math.round((t.global_step * 4) / t.epoch)).toBe(43309);
    expect(s.progress?.totalBatches).toBe(10827);
    expect(fact(s, 'update steps per epoch')).toBe('43309 batches / gradient_accumulation_steps 4: 10827 update steps per epoch up to transformers 4.51 (floor), 10828 from 4.52 (ceil, PR #37923); transformers 4.31.0 uses floor (up to 4.51): 10827');
    expect(fact(s, 'transformers_version')).toBe('4.31.0');
    // a folder without weights: Trainer stops; without optimizer.pt: optimizer and scheduler start afresh
    expect(s.position?.resumable).toBe(false);
    expect(s.warnings).toContain('hf_chatglm2_prefix/checkpoint-3000: no model weights in this folder: Trainer stops with "Can\'t find a valid checkpoint at hf_chatglm2_prefix/checkpoint-3000"');
    expect(s.warnings).toContain('hf_chatglm2_prefix/checkpoint-3000/trainer_state.json: no optimizer.pt beside it: Trainer restores global_step, but the optimizer and scheduler state start afresh');
    expect(s.optimizer).toBeUndefined();
    expect(s.scheduler?.lastEpoch).toBe(truth('hf_chatglm2_prefix')['hf_chatglm2_prefix/checkpoint-3000/scheduler.pt'].prog['scheduler.last_epoch']);
  });

  test('hf_peft_new_schema: best_global_step, stateful_callbacks, gradient accumulation 4 (ceil U 57 of 225 batches)', async () => {
    const files = truth('hf_peft_new_schema');
    const t = files['hf_peft_new_schema/checkpoint-100/trainer_state.json'];
    const s = await only('hf_peft_new_schema');
    expect(s.kind).toBe('hf-trainer');
    expect(s.metrics).toEqual([{ name: 'eval_loss', value: t.best.best_metric, best: true }]);
    expect(fact(s, 'best_global_step')).toBe(String(t.prog.global_step));
    expect(fact(s, 'stateful_callbacks')).toBe('TrainerControl');
    expect(fact(s, 'gradient_accumulation_steps')).toBe('4');
    expect(fact(s, 'max_steps')).toBe(String(t.prog.max_steps));
    const u = t.prog.max_steps / t.prog.num_train_epochs;
    expect(u).toBe(57);
    expect(s.position).toMatchObject({ globalStep: t.prog.global_step, epochsCompleted: 1, stepInEpoch: t.prog.global_step - u, stepsPerEpoch: u, plannedEpochs: t.prog.num_train_epochs, finished: false });
    // % of the epoch in batches, as Trainer logs epoch: 43 updates x 4 = 172 of 225 batches
    expect(s.progress?.progressPercent).toBe(Math.round((t.prog.epoch - 1) * 1000) / 10);
    expect(s.progress?.resume.text).toBe(`skip 1 epoch and ${(t.prog.global_step - u) * 4} batches (global_step ${t.prog.global_step})`);
    expect(fact(s, 'update steps per epoch')).toBe('225 batches / gradient_accumulation_steps 4: 56 update steps per epoch up to transformers 4.51 (floor), 57 from 4.52 (ceil, PR #37923); config.json names no transformers_version, so which one the run used cannot be told; max_steps / num_train_epochs = 57 fits ceil: saved by transformers >= 4.52');
    expect(s.scheduler?.lastEpoch).toBe(files['hf_peft_new_schema/checkpoint-100/scheduler.pt'].prog['scheduler.last_epoch']);
    expect(s.position?.resumable).toBe(false);
  });

  test('pl085_mafat: Lightning 0.8.5, best score at the top level, model = state_dict, global_step one higher explained', async () => {
    const t = truth('pl085_mafat')['pl085_mafat/last.ckpt'];
    const s = await only('pl085_mafat');
    expect(s.kind).toBe('lightning');
    expect(s.model?.parameters).toBe(t.params);
    expect(t.params).toBe(63707);
    expect(s.metrics).toHaveLength(1);
    expect(s.metrics?.[0].name).toBe('checkpoint_callback_best_model_score');
    expect(s.metrics?.[0].value).toBeCloseTo(t.best.checkpoint_callback_best_model_score, 6);
    expect(s.bestMetric?.name).toBe('checkpoint_callback_best_model_score');
    expect(s.position).toMatchObject({ epoch: t.prog.epoch, epochsCompleted: t.prog.epoch, globalStep: t.prog.global_step, resume: `start epoch ${t.prog.epoch} (0-based)` });
    expect(s.optimizer?.steps).toBe(t.prog.global_step - 1);
    expect(fact(s, 'saved counters')).toBe('Lightning 0.8.5 wrote epoch = current_epoch + 1 and global_step = optimizer steps + 1 (dump_checkpoint), so global_step 3 with 2 optimizer steps is expected, not an error');
    expect(s.warnings).toEqual([]);
  });

  test('pl163_molkgnn: three ModelCheckpoint monitors, each best score a metric', async () => {
    const t = truth('pl163_molkgnn')['pl163_molkgnn/last.ckpt'];
    const s = await only('pl163_molkgnn');
    expect(s.kind).toBe('lightning');
    expect(s.model?.parameters).toBe(t.params);
    const names = Object.keys(t.best).map((k) => /^callbacks\[(.*)\]\.best_model_score$/.exec(k)?.[1]);
    expect(s.metrics?.map((m) => m.name).sort()).toEqual([...names].sort());
    for (const [k, v] of Object.entries(t.best)) {
      const name = /^callbacks\[(.*)\]\.best_model_score$/.exec(k)?.[1];
      const m = s.metrics?.find((x) => x.name === name);
      expect(m?.best).toBe(true);
      expect(m?.value).toBeCloseTo(v, 6);
    }
    expect(s.position).toMatchObject({ epoch: t.prog.epoch, globalStep: t.prog.global_step, epochsCompleted: t.prog.epoch + 1, resume: `start epoch ${t.prog.epoch + 1} (0-based)` });
  });

  test('CLI: a long metric name keeps a gap before its value; the finished HF run says it trains nothing', () => {
    const run = (dir: string) => spawnSync(process.execPath, [join(ROOT, 'bin', 'ckptview.mjs'), 'inspect', join(RW2, dir)], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const pl = run('pl163_molkgnn').stdout;
    expect(pl).toMatch(/best logAUC_0\.001_0\.1 +0\.2342/);
    expect(pl).toContain('[Lightning, epoch 3 complete');
    const hf = run('hf_chatglm2_prefix').stdout;
    expect(hf).toContain('[HF Trainer, finished');
    expect(hf).toContain('resume             train nothing: global_step 3000 has reached max_steps 3000');
    expect(hf).not.toContain('continues epoch 1 from step 3000');
  });
});
