/**
 * `ckptview set` and `ckptview mark-complete` on the trainers' own repairs, in-process on copies of
 * the fixtures: the file is replaced with the repaired one, the original kept as `<name>.backup`
 * byte for byte, refusals exit 2 with the reason and write nothing, and an HF Trainer folder is
 * renamed checkpoint-<new step>.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/runCli';
import { bytesSource } from '../src/core/bytes/byteSource';
import { valueAt } from '../src/core/repair/pickleValuePatch';
import { loadTorchFile } from '../src/core/torch/loadTorchFile';
import { OWN } from './support/fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'ckptview-set-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function copy(from: string, to: string): string {
  const dst = join(tmp, to);
  cpSync(join(OWN, from), dst, { recursive: true });
  return dst;
}

describe('ckptview set', () => {
  test('--epochs 150 on Ultralytics last.pt: train_args.epochs 150, original kept as last.pt.backup', async () => {
    const dir = copy('ultralytics/runs', 'u/runs');
    const last = join(dir, 'detect', 'train', 'weights', 'last.pt');
    const original = readFileSync(last);
    const r = await cli('set', last, '--epochs', '150');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('train_args.epochs: 10 -> 150');
    expect(Buffer.compare(readFileSync(`${last}.backup`), original)).toBe(0);
    const t = await loadTorchFile(bytesSource(new Uint8Array(readFileSync(last)), 'last.pt'));
    expect(valueAt(t.value, ['train_args', 'epochs'])).toMatchObject({ value: 150 });
    // a second run refuses to overwrite the backup
    expect((await cli('set', last, '--epochs', '200')).code).toBe(2);
  });

  test('--epochs on a stripped best.pt is refused with the reason; nothing written', async () => {
    const dir = copy('ultralytics/runs', 'u2/runs');
    const best = join(dir, 'detect', 'train', 'weights', 'best.pt');
    const r = await cli('set', best, '--epochs', '150');
    expect(r.code).toBe(2);
    expect(r.err).toContain('stripped');
    expect(readdirSync(join(dir, 'detect', 'train', 'weights')).filter((n) => n.endsWith('.backup'))).toEqual([]);
  });

  test('--latest global_step200 on a DeepSpeed folder; --current-step 40 on a kohya state', async () => {
    const ds = copy('deepspeed/ds_output', 'ds/ds_output');
    expect((await cli('set', ds, '--latest', 'global_step200')).code).toBe(0);
    expect(readFileSync(join(ds, 'latest'), 'utf8')).toBe('global_step200');
    expect(readFileSync(join(ds, 'latest.backup'), 'utf8')).toBe('global_step300');
    const k = copy('kohya/run/run-000004-state', 'k/run-000004-state');
    expect((await cli('set', k, '--current-step', '40')).code).toBe(0);
    expect(readFileSync(join(k, 'train_state.json'), 'utf8')).toBe(readFileSync(join(k, 'train_state.json.backup'), 'utf8').replace('"current_step": 20', '"current_step": 40'));
  });
});

describe('ckptview mark-complete with the trainers own repairs', () => {
  test('HF Trainer folder: global_step 939, epoch 3.0, folder renamed checkpoint-939', async () => {
    const dir = copy('hf_trainer/checkpoint-700', 'hf/checkpoint-700');
    const before = readFileSync(join(dir, 'trainer_state.json'), 'utf8');
    const r = await cli('mark-complete', dir);
    expect(r.code).toBe(0);
    const moved = join(tmp, 'hf', 'checkpoint-939');
    expect(existsSync(dir)).toBe(false);
    expect(readFileSync(join(moved, 'trainer_state.json'), 'utf8')).toBe(before.replace('"epoch": 2.236421725239617,', '"epoch": 3.0,').replace('"global_step": 700,', '"global_step": 939,'));
    expect(readFileSync(join(moved, 'trainer_state.json.backup'), 'utf8')).toBe(before);
    expect(r.out).toContain('ignore_data_skip=True');
  });

  test('Lightning epoch-end checkpoint: refused (nothing to mark)', async () => {
    const dir = copy('lightning', 'lt');
    const r = await cli('mark-complete', join(dir, 'epoch=5-step=750.ckpt'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('no interrupted epoch');
  });
});
