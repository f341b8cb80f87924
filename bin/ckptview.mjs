#!/usr/bin/env node
/**
 * `ckptview` command (package.json "bin"): loads the TypeScript command line in src/cli through
 * tsx's loader, so no build step is needed. tsx must be installed (it is after `npm install` in
 * this repository).
 */
let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch {
  process.stderr.write('ckptview: the tsx package is missing; run `npm install` in the ckptview folder first.\n');
  process.exit(2);
}
register();
await import('../src/cli/main.ts');
