/**
 * `npx tsx bench/blobReads.ts DIR [N]`: what a `Blob` read costs in a Chromium worker, and whether
 * overlapping reads helps: the question behind the parser's design for large drops (issue 15).
 * The files of DIR are given to a `webkitdirectory` input (as a user's folder); the first N (default
 * 2,000) are posted to a worker, which reads the first 4 KiB of each:
 * - one read at a time, then 4, 8 and 32 at once (async lanes in one worker);
 * - spread over 1, 2 and 4 workers (4 lanes each);
 * - the whole file without `slice()`, and `slice()` alone (no read), `File.size` alone;
 * - `FileReaderSync` (workers only) of a 4 KiB slice and of the whole file;
 * - joined reads: one `Blob` made of 8 or 32 whole files read at once (`new Blob(files).arrayBuffer()`,
 *   what the pipeline does for small files: src/core/pipeline/smallFileBatches.ts).
 * Prints milliseconds per file for each, and the page's cost of posting a File to a worker.
 */
import type { Page } from '@playwright/test';
import { launch } from './browser';

const [dir, nText] = process.argv.slice(2);
if (!dir) {
  console.error('usage: npx tsx bench/blobReads.ts DIR [N]');
  process.exit(2);
}
const N = Number(nText ?? 2000);

/** The worker: reads `files` with `lanes` reads in flight; `mode` picks the kind of read. */
const WORKER = `onmessage = async (e) => {
  const { files = [], lanes, mode } = e.data;
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const f = files[next++];
      if (mode === 'slice') await f.slice(0, Math.min(f.size, 4096)).arrayBuffer();
      else if (mode === 'whole') await f.arrayBuffer();
      else if (mode === 'sync') new FileReaderSync().readAsArrayBuffer(f.slice(0, Math.min(f.size, 4096)));
      else if (mode === 'syncwhole') new FileReaderSync().readAsArrayBuffer(f);
      else if (mode === 'size') f.size;
      else if (mode.startsWith('joined')) {
        const k = Number(mode.slice(6));
        const part = [f, ...files.slice(next, next + k - 1)];
        next += k - 1;
        await new Blob(part).arrayBuffer();
      }
      else f.slice(0, 4096);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  postMessage((performance.now() - t0) / files.length);
};`;

/** The page side, as source text (tsx would add helpers the page does not have to a function). */
const PAGE = `async (code, n) => {
  const files = [...(document.querySelector('#probe').files ?? [])].slice(0, n);
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  const run = (part, lanes, mode) => new Promise((resolve) => {
    const w = new Worker(url);
    w.onmessage = (e) => { w.terminate(); resolve(e.data); };
    w.postMessage({ files: part, lanes, mode });
  });
  const out = {};
  const sink = new Worker(url);
  let t = performance.now();
  for (let i = 0; i < files.length; i += 64) sink.postMessage({ files: files.slice(i, i + 64), lanes: 0, mode: 'none' });
  out['post a File to a worker (page)'] = (performance.now() - t) / files.length;
  const list = document.querySelector('#probe').files;
  t = performance.now();
  sink.postMessage({ list, lanes: 0, mode: 'none' });
  out['post the whole FileList in one message, per file (page)'] = (performance.now() - t) / list.length;
  t = performance.now();
  for (let i = 0; i < files.length; i++) files[i].webkitRelativePath;
  out['File.webkitRelativePath (page)'] = (performance.now() - t) / files.length;
  sink.terminate();
  for (const lanes of [1, 4, 8, 32]) out['4 KiB slice read, ' + lanes + ' in flight'] = await run(files, lanes, 'slice');
  out['whole file, no slice, 1 in flight'] = await run(files, 1, 'whole');
  for (const k of [8, 32]) out['joined read of ' + k + ' whole files, 4 in flight, per file'] = await run(files, 4, 'joined' + k);
  out['slice() alone, no read'] = await run(files, 1, 'none');
  out['File.size alone, in the worker'] = await run(files, 1, 'size');
  out['4 KiB slice, FileReaderSync'] = await run(files, 1, 'sync');
  out['whole file, FileReaderSync'] = await run(files, 1, 'syncwhole');
  for (const workers of [1, 2, 4]) {
    const per = Math.ceil(files.length / workers);
    t = performance.now();
    await Promise.all(Array.from({ length: workers }, (_, k) => run(files.slice(k * per, (k + 1) * per), 4, 'slice')));
    out['4 KiB slice read, ' + workers + ' worker(s) x 4 in flight'] = (performance.now() - t) / files.length;
  }
  return out;
}`;

async function measure(page: Page): Promise<Record<string, number>> {
  return page.evaluate(`(${PAGE})(${JSON.stringify(WORKER)}, ${N})`) as Promise<Record<string, number>>;
}

const browser = await launch();
try {
  const page = await browser.newPage();
  await page.setContent('<input type="file" id="probe" webkitdirectory>');
  await page.locator('#probe').setInputFiles(dir);
  const r = await measure(page);
  console.log(`Chromium ${browser.version()}, ${N} files of ${dir}: ms per file`);
  for (const [k, v] of Object.entries(r)) console.log(`${v.toFixed(3).padStart(8)}  ${k}`);
} finally {
  await browser.close();
}
