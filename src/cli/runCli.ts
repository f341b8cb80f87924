/**
 * Parse the command line and run one command. Returns the exit code instead of exiting, so the
 * commands can also run in-process (benchmark). The commands are imported when run, so
 * `--version` and `--help` load none of the format core (the built bin starts in tens of ms).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError, EXIT, type ExitCode } from './exitCodes';
import type { CliIo } from './io';
import { USAGE } from './usage';
import { SET_OPTIONS } from './setOptions';

/** Set by the CLI build (vite.cli.config.ts) to package.json's version; undefined under tsx. */
declare const __CKPTVIEW_VERSION__: string | undefined;

/** The package version: built in by the CLI build, else read from package.json next to src/. */
export function version(): string {
  if (typeof __CKPTVIEW_VERSION__ === 'string') return __CKPTVIEW_VERSION__;
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function positiveInt(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new CliError(EXIT.badInput, `${option} ${text}: give a whole number of 1 or more.`);
  return Number(text);
}

/**
 * Run the command line `argv` (without `node` and the script).
 * @returns the exit code (see `exitCodes.ts`); usage errors and bad input print to `io.err` and give 2
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'inspect': {
        const { values, positionals } = parseArgs({
          args: [...rest],
          allowPositionals: true,
          options: { json: { type: 'boolean', default: false }, 'batches-per-epoch': { type: 'string' }, stats: { type: 'boolean', default: false } },
        });
        const { inspectCommand } = await import('./inspectCommand');
        return await inspectCommand({ paths: positionals, json: values.json === true, batchesPerEpoch: positiveInt(values['batches-per-epoch'], '--batches-per-epoch'), stats: values.stats === true }, io);
      }
      case 'mark-complete': {
        const { values, positionals } = parseArgs({
          args: [...rest],
          allowPositionals: true,
          options: {
            epoch: { type: 'string' },
            force: { type: 'boolean', default: false },
            'copy-backup': { type: 'boolean', default: false },
            stats: { type: 'boolean', default: false },
          },
        });
        if (positionals.length > 1) throw new CliError(EXIT.badInput, `mark-complete: give one checkpoint folder or file, not ${positionals.length}.`);
        const { markCompleteCommand } = await import('./markCompleteCommand');
        return await markCompleteCommand({ target: positionals[0], epoch: values.epoch, force: values.force === true, copyBackup: values['copy-backup'] === true, stats: values.stats === true }, io);
      }
      case 'health': {
        const { values, positionals } = parseArgs({ args: [...rest], allowPositionals: true, options: { json: { type: 'boolean', default: false }, tensors: { type: 'boolean', default: false }, stats: { type: 'boolean', default: false } } });
        const { healthCommand } = await import('./healthCommand');
        return await healthCommand({ paths: positionals, json: values.json === true, tensors: values.tensors === true, stats: values.stats === true }, io);
      }
      case 'diff': {
        const { values, positionals } = parseArgs({ args: [...rest], allowPositionals: true, options: { json: { type: 'boolean', default: false }, all: { type: 'boolean', default: false } } });
        const { diffCommand } = await import('./diffCommand');
        return await diffCommand({ paths: positionals, json: values.json === true, all: values.all === true }, io);
      }
      case 'set': {
        const { values, positionals } = parseArgs({
          args: [...rest],
          allowPositionals: true,
          options: {
            ...Object.fromEntries(SET_OPTIONS.map((k) => [k, { type: 'string' as const }])),
            force: { type: 'boolean', default: false },
            'copy-backup': { type: 'boolean', default: false },
          },
        });
        if (positionals.length > 1) throw new CliError(EXIT.badInput, `set: give one checkpoint folder or file, not ${positionals.length}.`);
        const given = SET_OPTIONS.filter((k) => typeof (values as Record<string, unknown>)[k] === 'string');
        if (given.length !== 1) throw new CliError(EXIT.badInput, `set: give exactly one of ${SET_OPTIONS.map((k) => `--${k}`).join(', ')}.`);
        const { offerCommand } = await import('./setCommand');
        return await offerCommand({ verb: 'set', target: positionals[0], option: `--${given[0]}`, value: String((values as Record<string, unknown>)[given[0]]), force: values.force === true, copyBackup: values['copy-backup'] === true }, io);
      }
      case '--version':
      case '-v':
        io.out(version());
        return EXIT.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? EXIT.badInput : EXIT.ok;
      default:
        throw new CliError(EXIT.badInput, `unknown command ${JSON.stringify(command)}; see ckptview --help.`);
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`ckptview: ${e.message}`);
      return e.code;
    }
    // parseArgs reports unknown options and missing values as TypeErrors with a code
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`ckptview: ${(e as Error).message}; see ckptview --help.`);
      return EXIT.badInput;
    }
    throw e;
  }
}
