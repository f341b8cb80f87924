/**
 * TorchScript archives (`torch.jit.save`, scripts/fixtures_files.py): recognised by their zip
 * records (`constants.pkl`, `code/`; torch/serialization.py `_is_torchscript_zip`) and summarised
 * as TorchScript, not as a failed or a training checkpoint.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeFolder, OWN } from './support/fixtures';

const x = JSON.parse(readFileSync(join(OWN, 'torchscript', 'expected.json'), 'utf8')) as Record<string, any>;

describe('TorchScript', () => {
  test('model_scripted.pt: TorchScript, no position, its code files and parameters', async () => {
    const { summaries } = await analyzeFolder(join(OWN, 'torchscript'));
    const s = summaries[0];
    expect(x.constants_pkl).toBe(true);
    expect(s.kind).toBe('torchscript');
    expect(s.problems).toEqual([]);
    expect(s.position).toBeUndefined();
    expect(s.progress).toBeUndefined();
    expect(s.facts).toContainEqual({ label: 'code files', value: `${x.code_files} under code/ (TorchScript source compiled by torch.jit.load)` });
    expect(s.facts?.find((f) => f.label === 'module')?.value.endsWith(x.model_class_suffix)).toBe(true);
    expect(s.model?.parameters).toBe(x.model_parameters);
    expect(s.warnings).toContain('torchscript/model_scripted.pt: a TorchScript archive (torch.jit.save), not a training checkpoint: torch.load hands it to torch.jit.load, which would compile and run its code. It holds no epoch, step or optimizer.');
  });
});
