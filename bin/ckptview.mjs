#!/usr/bin/env node
/**
 * `ckptview` command (package.json "bin"): runs the built command line, `dist-cli/ckptview.mjs`
 * (plain JavaScript for Node >= 20, built from src/cli by `npm run build:cli`, which `npm install`
 * runs through the "prepare" script and `npm pack` ships).
 */
try {
  await import('../dist-cli/ckptview.mjs');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist-cli')) throw e;
  process.stderr.write('ckptview: the command line is not built; run `npm run build:cli` (or `npm install`) in the ckptview folder first.\n');
  process.exit(2);
}
