/**
 * Could `torch.load` open this file? Decided from its first bytes only, whatever its name, so that
 * a folder scan can include `model.pt.1`, `optimizer`, `scaler.joblib`, `weights.npy`... beside
 * `model.pt` (ckptview issue 12: every file torch.load could open is scanned).
 *
 * torch.load (PyTorch `torch/serialization.py` `load` / `_legacy_load`) opens: a zip archive
 * (local header `PK\x03\x04`); else, for a file at offset 0, a tar archive (CPython `tarfile`
 * accepts any 512-byte header with a valid checksum); else it unpickles from the first byte, so
 * any byte that is a pickle opcode (CPython `Lib/pickletools.py` table) starts a load; a head that
 * breaks before its first import (plain text that starts with an opcode letter) is not counted,
 * since torch.load stops there having run nothing. Safetensors
 * files (an 8-byte little-endian header length, then `{`) are read by their own reader instead.
 */
import { OPCODE_NAMES } from '../pickle/opcodes';
import { PickleParseError, runPickle } from '../pickle/machine';
import { isTarHeader } from '../zip/tarReader';

/** Bytes of the head {@link looksLoadableByTorch} needs to decide (a tar header is 512 bytes). */
export const LOADABLE_HEAD_BYTES = 512;

/**
 * True when torch.load could start reading a file with these first bytes (pass at least
 * {@link LOADABLE_HEAD_BYTES}, or the whole file when it is shorter; passing whole small files,
 * e.g. up to 64 KiB, with `size` in bytes, rules out text that merely starts with an opcode
 * letter). Empty input: false. Pure; never throws.
 */
export function looksLoadableByTorch(head: Uint8Array, size?: number): boolean {
  if (head.length === 0) return false;
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return true;
  if (isTarHeader(head)) return true;
  if (!OPCODE_NAMES.has(head[0])) return false;
  // a text file whose first letter happens to be an opcode breaks at once, before importing
  // anything: torch.load would fail the same way, having run nothing
  try {
    runPickle(head, { file: 'head', limits: { maxOpcodes: 100_000, maxMillis: 1000 } });
    return true;
  } catch (e) {
    if (!(e instanceof PickleParseError)) return false;
    if (e.partialGlobals.length > 0) return true;
    // cut short by the end of the head: unknown unless the head is the whole file
    return (e.code === 'truncated' && (size === undefined || head.length < size)) || e.code === 'limit-exceeded';
  }
}
