/**
 * Which file `mark-complete` repairs: a folder means its `training_state.pth` (the EnStack layout);
 * a file is taken as given.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, EXIT } from './exitCodes';

/** The training state file name in an EnStack checkpoint folder. */
export const STATE_FILE = 'training_state.pth';

/**
 * Resolve `arg` to the file to repair (a path as the user would recognise it).
 * @throws CliError (exit 2) when the path does not exist or a folder has no training_state.pth
 */
export function resolveStateFile(arg: string): string {
  let isDir: boolean;
  try {
    isDir = statSync(arg).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(EXIT.badInput, code === 'ENOENT' ? `${arg}: no such file or folder.` : `${arg}: cannot be read (${code ?? (e as Error).message}).`);
  }
  if (!isDir) return arg;
  const file = join(arg, STATE_FILE);
  try {
    if (statSync(file).isFile()) return file;
  } catch {
    // reported below
  }
  throw new CliError(EXIT.badInput, `${arg}: this folder has no ${STATE_FILE} to mark complete.`);
}
