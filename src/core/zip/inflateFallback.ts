/**
 * Raw DEFLATE (RFC 1951) for engines without `DecompressionStream('deflate-raw')` (Firefox < 113,
 * Safari < 16.4, Chromium < 103): fflate's streaming inflater, with the same size limits and error
 * sentences as the platform path in `zipReader.ts`.
 */
import { Inflate } from 'fflate';
import { CheckpointFormatError } from '../errors';

/** Compressed bytes handed to the inflater at a time: bounds the output produced past a limit. */
const CHUNK = 16 * 1024;

/** True when this engine's `DecompressionStream` accepts the `'deflate-raw'` format. */
export function hasDeflateRawStream(): boolean {
  try {
    new DecompressionStream('deflate-raw');
    return true;
  } catch {
    return false; // no DecompressionStream at all (ReferenceError), or no 'deflate-raw' (TypeError)
  }
}

/**
 * Inflate `raw` with fflate, stopping once the output exceeds `declared` bytes (the central
 * directory's size) or `max` bytes.
 * @param file archive name and `member` entry name, for error messages
 * @throws CheckpointFormatError 'limit-exceeded' past `max`, 'bad-zip' past `declared` or for data
 *   that is not valid DEFLATE (including a stream cut short)
 */
export function inflateRawFallback(raw: Uint8Array, declared: number, max: number, file: string, member: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > max) throw new CheckpointFormatError('limit-exceeded', file, `${member} inflates to more than ${max} bytes (a zip bomb?).`, { member });
    if (total > declared) throw new CheckpointFormatError('bad-zip', file, `${member} inflates to more than the ${declared} bytes its directory entry declares: the archive is damaged (or a zip bomb).`, { member });
    chunks.push(chunk);
  });
  try {
    if (raw.length === 0) inflater.push(raw, true);
    for (let at = 0; at < raw.length; at += CHUNK) inflater.push(raw.subarray(at, at + CHUNK), at + CHUNK >= raw.length);
  } catch (e) {
    if (e instanceof CheckpointFormatError) throw e;
    throw new CheckpointFormatError('bad-zip', file, `${member} is not valid deflate data: ${(e as Error).message}`, { member });
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) out.set(c, o), (o += c.length);
  return out;
}
