/**
 * torch.distributed.checkpoint directory (fixtures/dcp/pytorch_model_fsdp_0, `.metadata` pickled
 * with stand-ins of torch 2.x's classes, `.distcp` blobs written by torch.save; see
 * scripts/fixtures_folders.py): shards, bytes, tensor shapes and the `step`/`epoch` values read
 * from their blobs, compared with expected.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { analyzeFolder, OWN } from './support/fixtures';

type Expected = { kind: string; shards: string[]; total_bytes: number; tensors: Record<string, number[]>; parameters: number; objects: Record<string, number>; version: string };
const E = JSON.parse(readFileSync(join(OWN, 'dcp', 'expected.json'), 'utf8')) as Expected;

test('a DCP folder is one checkpoint, summarised from .metadata', async () => {
  const { plan, summaries } = await analyzeFolder(join(OWN, 'dcp', 'pytorch_model_fsdp_0'));
  expect(plan.checkpoints.map((c) => [c.name, c.convention])).toEqual([['pytorch_model_fsdp_0', 'dcp']]);
  const [s] = summaries;
  expect(s.kind).toBe(E.kind);
  expect(s.totalBytes).toBe(E.total_bytes);
  const shardBytes = s.files.filter((f) => f.role === 'DCP data shard').reduce((n, f) => n + f.size, 0);
  expect(s.files.filter((f) => f.role === 'DCP data shard').map((f) => f.path.replace('pytorch_model_fsdp_0/', ''))).toEqual(E.shards);
  expect(s.facts?.find((f) => f.label === 'shards')?.value).toBe(`${E.shards.length} .distcp files, ${shardBytes} bytes`);
  expect(Object.fromEntries((s.model?.tensorList ?? []).map((t) => [t.name, t.shape]))).toEqual(E.tensors);
  expect(s.model?.parameters).toBe(E.parameters);
  expect(s.facts?.find((f) => f.label === 'DCP version')?.value).toBe(E.version);
  expect(s.facts?.find((f) => f.label === 'saved object step')?.value).toBe(String(E.objects.step));
  expect(s.facts?.find((f) => f.label === 'saved object epoch')?.value).toBe(String(E.objects.epoch));
  expect(s.position?.globalStep).toBe(E.objects.step);
  expect(s.position?.epoch).toBe(E.objects.epoch);
  expect(s.position?.resume).toBe(`dcp.load fills the caller's state dict; the training script decides where training restarts (saved: step ${E.objects.step}, epoch ${E.objects.epoch})`);
  expect(s.warnings).toEqual([]);
});
