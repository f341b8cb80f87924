/** Every byte checked on demand: a fixture passes; a byte flipped inside a tensor storage is found. */
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesSource } from '../src/core/bytes/byteSource';
import { readLocalHeader, readZipIndex } from '../src/core/zip/zipReader';
import { verifyCrcs } from '../src/core/zip/verifyCrcs';
import { OWN } from './support/fixtures';

test('a real checkpoint passes; a flipped byte in data/1 is named', async () => {
  const bytes = new Uint8Array(readFileSync(join(OWN, 'enstack', 'last_checkpoint', 'training_state.pth')));
  const index = await readZipIndex(bytesSource(bytes));
  const ok = await verifyCrcs(bytesSource(bytes), index);
  expect(ok.bad).toEqual([]);
  expect(ok.checked).toBe(index.entries.length);
  const target = index.entries.find((e) => e.name.endsWith('/data/1'))!;
  const { dataOffset } = await readLocalHeader(bytesSource(bytes), target);
  const flipped = bytes.slice();
  flipped[dataOffset + 3] ^= 0x10;
  const bad = await verifyCrcs(bytesSource(flipped), index);
  expect(bad.bad.map((b) => b.name)).toEqual([target.name]);
  expect(bad.bad[0].message).toMatch(/CRC-32 does not match/);
});

test('Stop: the check ends between entries, says it stopped and never vouches for the entries it did not read', async () => {
  const bytes = new Uint8Array(readFileSync(join(OWN, 'enstack', 'last_checkpoint', 'training_state.pth')));
  const index = await readZipIndex(bytesSource(bytes));
  const stored = index.entries.filter((e) => e.method === 0).length;
  expect(stored).toBeGreaterThan(4);
  const ctl = new AbortController();
  const inner = bytesSource(bytes);
  let progress = 0;
  // abort once the third entry's data has been read (each entry here is one chunk)
  const report = await verifyCrcs(inner, index, {
    signal: ctl.signal,
    onProgress: () => {
      if (++progress === 3) ctl.abort();
    },
  });
  expect(report.stopped).toBe(true);
  expect(report.checked).toBe(3);
  expect(report.unchecked).toBe(stored - 3);
  expect(report.bad).toEqual([]);
  // not stopped: every stored entry checked, nothing left unchecked
  const full = await verifyCrcs(inner, index, { signal: new AbortController().signal });
  expect([full.stopped, full.checked, full.unchecked]).toEqual([false, stored, 0]);
});
