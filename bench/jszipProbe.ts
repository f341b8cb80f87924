/**
 * Benchmark helper, run in a fresh Node process (`node --import tsx bench/jszipProbe.ts FILE`):
 * read the same torch archive with JSZip, the common in-browser zip library, to get data.pkl.
 * JSZip needs the whole archive in memory (`loadAsync` takes a buffer; in a browser a Blob is
 * read whole into an ArrayBuffer first), which is why the core reads the zip by random access.
 * Prints one JSON line: time to data.pkl, peak RSS growth, or the error when it cannot load.
 */
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';

const file = process.argv[2];
const maxRss = (): number => process.resourceUsage().maxRSS * 1024;
const start = { rss: process.memoryUsage().rss, maxRss: maxRss() };
const t = performance.now();
try {
  const buf = await readFile(file);
  const readMs = performance.now() - t;
  const zip = await JSZip.loadAsync(buf);
  const name = Object.keys(zip.files).find((n) => n.endsWith('/data.pkl'));
  if (!name) throw new Error('no data.pkl in the archive');
  const pkl = await zip.file(name)!.async('uint8array');
  console.log(JSON.stringify({ ok: true, ms: performance.now() - t, readMs, entries: Object.keys(zip.files).length, pklBytes: pkl.length, bytesRead: buf.length, start, maxRss: maxRss() }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, ms: performance.now() - t, error: `${(e as Error).name}: ${(e as Error).message}`, start, maxRss: maxRss() }));
}
