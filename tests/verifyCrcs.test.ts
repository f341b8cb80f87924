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
