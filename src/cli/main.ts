/**
 * Entry point of the `ckptview` command line: built into `dist-cli/ckptview.mjs` by
 * `npm run build:cli` (vite.cli.config.ts), which `bin/ckptview.mjs` runs; in development also
 * `npm run cli -- ...` (through tsx). Sets the process exit code; an unexpected error (a bug)
 * prints its stack and exits with 70 (EX_SOFTWARE).
 */
import { runCli } from './runCli';
import { processIo } from './io';

// `ckptview inspect ... | head`: a closed pipe ends the output quietly, as other tools do
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

runCli(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`ckptview: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
