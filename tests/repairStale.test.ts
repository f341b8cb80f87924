/**
 * A repair checks that the file still holds what the page showed: a training state replaced on
 * disk after it was analysed (keeping its size and time, so the browser's File still reads it) is
 * not repaired. The summary carries the file's top-level epoch and step as read (repair.read).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blobAccess } from '../src/core/pipeline/blobAccess';
import { runPipeline } from '../src/core/pipeline/runPipeline';
import { repairFile } from '../src/worker/repairFile';
import { describeError } from '../src/worker/describeError';
import { OWN } from './support/fixtures';

const blobOf = (dir: string): Blob => new Blob([readFileSync(join(OWN, 'enstack', dir, 'training_state.pth'))]);
const expected = (dir: string): { epoch: number; step: number } => JSON.parse(readFileSync(join(OWN, 'enstack', dir, 'expected.json'), 'utf8')) as { epoch: number; step: number };

async function summaryOf(dir: string) {
  const file = blobOf(dir);
  const r = await runPipeline([{ path: `${dir}/training_state.pth`, size: file.size, handle: file }], blobAccess);
  return r.summaries[0];
}

describe('repair of a file that changed since it was read', () => {
  it('the summary keeps the epoch and step the repair will check, as torch.load returned them', async () => {
    const s = await summaryOf('last_checkpoint');
    const e = expected('last_checkpoint');
    expect(s.repair.eligible).toBe(true);
    expect(s.repair.read).toEqual({ epoch: e.epoch, step: e.step });
  });

  it('repairs the file it read, and refuses another one put in its place', async () => {
    const s = await summaryOf('last_checkpoint');
    const path = 'last_checkpoint/training_state.pth';
    const ok = await repairFile(path, blobOf('last_checkpoint'), 3, s.repair.read);
    expect(ok.changes).toEqual([
      { field: 'epoch', before: s.repair.read?.epoch, after: 3 },
      { field: 'step', before: s.repair.read?.step, after: 0 },
    ]);
    const other = expected('checkpoint_epoch3_step300');
    await expect(repairFile(path, blobOf('checkpoint_epoch3_step300'), 3, s.repair.read)).rejects.toThrow(
      `the file changed since it was read (it now holds epoch ${other.epoch}, step ${other.step}; the page shows epoch ${s.repair.read?.epoch}, step ${s.repair.read?.step})`,
    );
  });

  it('a file the browser can no longer read (changed size or time, or removed) is said in words', () => {
    expect(describeError(new DOMException('The requested file could not be read, typically due to permission problems that have occurred after a reference to a file was acquired.', 'NotReadableError'))).toBe(
      'it changed, moved or lost its read permission after it was chosen: choose or drop it again',
    );
    expect(describeError(new DOMException('A requested file or directory could not be found at the time an operation was processed.', 'NotFoundError'))).toBe('it was removed after it was chosen');
    expect(describeError(new Error('other'))).toBe('other');
  });
});
