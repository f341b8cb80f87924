#!/usr/bin/env node
/**
 * Issue 16: the page in Firefox ESR and WebKitGTK (Safari's engine), for real: the sample loads with
 * the right values, a repair is verified and downloaded, the share link opens, and a zipped run
 * folder reads like the folder. Serves the built `dist/` (run `vite build` first) with
 * `vite preview` on port $E2E_PORT+2 (4175 by default). Run with
 * `node --experimental-websocket e2e-engines/smoke.mjs` (`npm run test:engines`).
 * An engine that is not installed is skipped with a note, except under CI=true, where it fails.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { firefox, stopAll, webkit } from './drivers.mjs';
import { pageSmoke, sharedSmoke } from './pageSmoke.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = Number(process.env.E2E_PORT ?? 4173) + 2;
const URL_ = `http://127.0.0.1:${PORT}/`;
/** $SMOKE_ENGINES (e.g. "firefox" or "webkit") picks engines; all by default. */
const ONLY = (process.env.SMOKE_ENGINES ?? 'firefox,webkit').toLowerCase().split(',');
const ENGINES = [
  { name: 'Firefox', installed: existsSync('/usr/bin/firefox-esr'), open: () => firefox({ port: PORT + 10 }) },
  { name: 'WebKitGTK', installed: existsSync('/usr/bin/WebKitWebDriver') && existsSync('/usr/bin/xvfb-run'), open: () => webkit({ port: PORT + 11 }) },
];

/** The sample run folder (public/sample) as a deflated .zip, base64. */
function sampleZip() {
  const dir = join(ROOT, 'public', 'sample');
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const tree = Object.fromEntries(m.files.map((f) => [`${m.root}/${f.path}`, new Uint8Array(readFileSync(join(dir, f.file)))]));
  return { base64: Buffer.from(zipSync(tree)).toString('base64'), lastState: readFileSync(join(dir, m.files.find((f) => f.path === 'last_checkpoint/training_state.pth').file)).length };
}

async function serve() {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) throw new Error('dist/ is missing: run `npx vite build` first');
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { cwd: ROOT, detached: true, stdio: 'ignore' });
  const t0 = Date.now();
  while (!(await fetch(URL_).then((r) => r.ok, () => false))) {
    if (Date.now() - t0 > 60_000 || server.exitCode !== null) throw new Error(`vite preview did not serve ${URL_}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  };
}

/** Name cell and the cells of a row, by checkpoint name. */
const byName = (rows) => Object.fromEntries(rows.map((r) => [r[0], r]));

/** Longest one engine's smoke may take, in ms: a hung browser fails the run instead of stalling CI. */
const ENGINE_TIMEOUT = 240_000;

async function smoke(engine, zip) {
  const t0 = Date.now();
  const b = await engine.open();
  let timer;
  try {
    await Promise.race([check(engine, b, zip, t0), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no result after ${ENGINE_TIMEOUT / 1000} s`)), ENGINE_TIMEOUT)))]);
  } finally {
    clearTimeout(timer);
    await Promise.race([b.close(), new Promise((r) => setTimeout(r, 10_000))]);
  }
}

async function check(engine, b, zip, t0) {
  {
    await b.open(URL_);
    const r = await b.run(pageSmoke, zip.base64);
    assert.deepEqual(r.errors, [], 'no errors in the page');
    const names = Object.keys(byName(r.sampleRows)).sort();
    assert.deepEqual(names, ['.backup_last_checkpoint', 'best_model', 'checkpoint_epoch3_step300', 'last_checkpoint', 'recovery_checkpoint']);
    const last = byName(r.sampleRows).last_checkpoint;
    assert.ok(last.includes('2') && last.includes('800') && last.includes('900'), `last_checkpoint: epoch 2, step 800 of 900 (${last.join(' | ')})`);
    assert.match(r.lostEpochEnd ?? '', /last_checkpoint says epoch 2 step 800/, 'the lost end-of-epoch save is found');
    assert.deepEqual(r.liveFolder, { button: false, note: 'Live folder (re-read a folder while training writes it) needs a Chromium-based browser; here, choose the folder again to see new checkpoints.' });
    assert.equal(r.download.name, 'training_state.pth');
    assert.ok(r.download.zipMagic, 'the repaired file is a torch.save zip');
    assert.ok(Math.abs(r.download.size - zip.lastState) <= 64, `repaired size ${r.download.size} close to the original ${zip.lastState}`);
    assert.ok(r.shareLink.startsWith(`${URL_}#s=`), r.shareLink.slice(0, 80));
    assert.deepEqual(r.zipRows.map((x) => x[0]).sort(), names, 'the zipped folder gives the same checkpoints');
    assert.deepEqual(byName(r.zipRows).last_checkpoint, last, 'and the same values');
    await b.open('about:blank');
    await b.open(r.shareLink);
    const shared = await b.run(sharedSmoke);
    assert.ok(shared.banner, 'the shared-snapshot banner');
    assert.deepEqual(shared.rows.map((x) => x[0]).sort(), names, 'the share link shows the same checkpoints');
    console.log(`ok ${engine.name}: sample, repair download (${r.download.size} bytes), share link, zipped folder (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
}

const stopServer = await serve();
let failed = 0;
try {
  const zip = sampleZip();
  for (const e of ENGINES.filter((x) => ONLY.some((o) => x.name.toLowerCase().startsWith(o)))) {
    if (!e.installed) {
      console.log(`${process.env.CI ? 'not ok' : 'skip'} ${e.name}: not installed (.ci/run installs firefox-esr, webkit2gtk-driver and xvfb)`);
      if (process.env.CI) failed++;
      continue;
    }
    try {
      await smoke({ name: e.name, open: e.open }, zip);
    } catch (err) {
      failed++;
      console.log(`not ok ${e.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
} finally {
  stopServer();
  stopAll();
}
process.exitCode = failed ? 1 : 0;
// a driver connection left open must not keep the process (and CI) waiting
setTimeout(() => process.exit(process.exitCode), 2_000).unref();
