import { test } from 'vitest';
import { readFileSync } from 'node:fs';
import { bytesSource } from '/work/main/src/core/bytes/byteSource';
import { readEventFile } from '/work/main/src/core/tensorboard/eventFile';
test('probe', async () => {
  const b = new Uint8Array(readFileSync('/work/main/fixtures/enstack_run/logs/events.out.tfevents.1764398800.colab-vm.2817.0'));
  const r = await readEventFile(bytesSource(b.slice(0, b.length - 30), 'x'));
  console.log(JSON.stringify({ ...r, series: Object.fromEntries(Object.entries(r.series).map(([k, v]) => [k, [v.length, v[0], v[v.length-1]]])) }, null, 1));
  const d = b.slice(); d[500] ^= 1; d[1500] ^= 4;
  console.log((await readEventFile(bytesSource(d, 'x'))).problems);
  const e = await readEventFile(bytesSource(readFileSync('/work/main/fixtures/bad/empty.pth'), 'x')).catch(e => e); console.log(e);
});
