// Copy the project's own run fixture (made by scripts/make_fixtures.py with real PyTorch) into
// public/sample/, minus the expected.json test answers, and write the manifest that the page's
// "Try a sample" button reads. Run after make_fixtures.py: `node scripts/make_sample.mjs`.
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'fixtures', 'enstack_run');
const to = join(root, 'public', 'sample');
const rootName = 'checkpoints';

/** Every file under `dir`. */
function walk(dir) {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

rmSync(to, { recursive: true, force: true });
// Stored flat under plain names: static hosts (and Vite's preview server) refuse dot-folders such
// as `.backup_last_checkpoint/`; the manifest maps each stored file back to its path in the run.
const files = walk(from).filter((p) => !p.endsWith('expected.json')).sort();
mkdirSync(to, { recursive: true });
const entries = files.map((p, i) => {
  const stored = `f${String(i).padStart(2, '0')}.bin`;
  cpSync(p, join(to, stored));
  return { path: relative(from, p), file: stored };
});
const manifest = { root: rootName, files: entries };
writeFileSync(join(to, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
console.log(`sample: ${manifest.files.length} files in public/sample`);
