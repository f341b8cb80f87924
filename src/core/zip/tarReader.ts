/**
 * Minimal reader of the tar archives that pre-0.4 `torch.save` wrote (members `sys_info`,
 * `pickle`, `tensors`, `storages`). torch.load tries this format FIRST for any file that is not a
 * zip (PyTorch `torch/serialization.py` `_legacy_load` -> `legacy_load`, which opens
 * `tarfile.open(fileobj=f, mode="r:")` before reading the file as a stream of pickles), so a file
 * that is a valid tar is read from its tar members, whatever its first bytes say.
 *
 * Header rules follow CPython `Lib/tarfile.py` (`TarInfo.frombuf`, `calc_chksums`, `nti`): a
 * 512-byte header is valid when its checksum field equals the unsigned or the signed byte sum
 * of the header with the checksum field read as 8 spaces; the magic ("ustar") is not required.
 */

/** One member of a tar archive. Offsets and sizes in bytes. */
export interface TarMember {
  readonly name: string;
  /** Offset of the member's data in the archive. */
  readonly dataOffset: number;
  readonly size: number;
  /** Type flag (`0`/NUL regular file, `5` directory, `x`/`g` PAX headers...). */
  readonly type: string;
}

const BLOCK = 512;

/** An octal (or base-256) number field as CPython `tarfile.nti` reads it; undefined when invalid. */
function numberField(b: Uint8Array, at: number, len: number): number | undefined {
  if (b[at] === 0x80 || b[at] === 0xff) {
    let n = 0;
    for (let i = at + 1; i < at + len; i++) n = n * 256 + b[i];
    return b[at] === 0xff ? -n : n;
  }
  let s = '';
  for (let i = at; i < at + len && b[i] !== 0; i++) s += String.fromCharCode(b[i]);
  s = s.trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) return undefined;
  return parseInt(s, 8);
}

/**
 * True when the 512 bytes at `offset` are a tar header CPython's tarfile accepts (checksum
 * matches, not all zeros). Pure; never throws.
 */
export function isTarHeader(b: Uint8Array, offset = 0): boolean {
  if (b.length < offset + BLOCK) return false;
  let unsigned = 0;
  let signed = 0;
  let zeros = true;
  for (let i = 0; i < BLOCK; i++) {
    const v = i >= 148 && i < 156 ? 0x20 : b[offset + i];
    if (b[offset + i] !== 0) zeros = false;
    unsigned += v;
    signed += v > 127 ? v - 256 : v;
  }
  if (zeros) return false;
  const chk = numberField(b, offset + 148, 8);
  return chk !== undefined && (chk === unsigned || chk === signed);
}

/**
 * List the members of a tar archive held whole in `b` (the pre-0.4 torch.save archives are small
 * metadata plus storages; callers bound the size). Stops at the first zero block or invalid
 * header; PAX (`x`) headers' `path` records rename the next member as tarfile does.
 */
export function listTar(b: Uint8Array): TarMember[] {
  const out: TarMember[] = [];
  let p = 0;
  let paxName: string | undefined;
  while (p + BLOCK <= b.length && isTarHeader(b, p)) {
    let name = '';
    for (let i = p; i < p + 100 && b[i] !== 0; i++) name += String.fromCharCode(b[i]);
    const size = numberField(b, p + 124, 12) ?? 0;
    const type = String.fromCharCode(b[p + 156] || 0x30);
    const dataOffset = p + BLOCK;
    if (type === 'x') {
      const text = new TextDecoder().decode(b.subarray(dataOffset, Math.min(b.length, dataOffset + size)));
      const m = /\d+ path=([^\n]*)\n/.exec(text);
      paxName = m ? m[1] : undefined;
    } else {
      out.push({ name: paxName ?? name, dataOffset, size: Math.max(0, size), type });
      paxName = undefined;
    }
    p = dataOffset + Math.ceil(Math.max(0, size) / BLOCK) * BLOCK;
  }
  return out;
}
