/**
 * TFRecord framing, read through a {@link ByteSource} in windows (never the whole file at once).
 *
 * Format (`tensorflow/core/lib/io/record_writer.cc`, `record_reader.cc`; also
 * `tensorflow/python/lib/io/tf_record.py`): records are concatenated, each
 *
 * ```
 * uint64 length                      little-endian, bytes of data
 * uint32 masked_crc32c(length bytes)  the 8 length bytes' CRC-32C, masked (see crc32c.ts)
 * byte   data[length]
 * uint32 masked_crc32c(data)
 * ```
 *
 * Recovery rules (ours; TensorFlow's reader stops with DataLoss at the first bad record, and
 * TensorBoard retries a short last record later because the writer may still be appending):
 * - a last record cut short (header, data or data CRC) ends the scan with a problem, never an error;
 * - a data CRC mismatch skips that one record (its length is trusted, the header CRC passed);
 * - a header (length) CRC mismatch on the very first record means the file is not a TFRecord file
 *   at all and throws; later, the scan looks forward for the next offset whose 12 bytes form a
 *   valid header (a false match has probability 2^-32 per offset) and resumes there.
 */
import type { ByteSource } from '../bytes/byteSource';
import { u32, u64 } from '../bytes/binary';
import { CheckpointFormatError } from '../errors';
import { maskedCrc32c } from './crc32c';

/** Bytes of a record header: uint64 length + uint32 masked CRC of the length. */
export const TFRECORD_HEADER_BYTES = 12;
/** Bytes of a record footer: uint32 masked CRC of the data. */
export const TFRECORD_FOOTER_BYTES = 4;
/** Default read window, in bytes (1 MiB). */
export const DEFAULT_WINDOW_BYTES = 1 << 20;
/** Default largest record read, in bytes (64 MiB); larger records are skipped unread. */
export const DEFAULT_MAX_RECORD_BYTES = 64 << 20;

/** Options of {@link scanTfRecords}. */
export interface TfRecordScanOptions {
  /**
   * Check each record's data CRC-32C (default true). The 4-byte CRC of each 12-byte header is
   * always checked: it costs nothing, a wrong length would derail every later record, and it is
   * what tells a TFRecord file from any other file.
   */
  verifyCrc?: boolean;
  /** Stop after this many complete records (default: no limit); stopping early adds a problem. */
  maxRecords?: number;
  /** Records with more data bytes than this are skipped unread (default 64 MiB), with a problem. */
  maxRecordBytes?: number;
  /** Size of each read from the source, in bytes (default 1 MiB); larger records are read whole. */
  windowBytes?: number;
  /**
   * What to call the file in the "first record is not a header" error, e.g. "TensorBoard event
   * file" (default "TFRecord file").
   */
  kindName?: string;
}

/** Receives the scan's output, in file order. */
export interface TfRecordSink {
  /**
   * One complete record whose CRCs passed. `data` is a view into the read window, valid only during
   * the call (copy it to keep it). `index` counts records from 0 (skipped ones included); `offset`
   * is the byte offset of the record's header in the file.
   */
  record(data: Uint8Array, index: number, offset: number): void;
  /** A sentence about a damaged, skipped or cut-short part of the file. */
  problem(sentence: string): void;
}

/**
 * Walk the records of a TFRecord file in order.
 * @returns `records`: complete records found (including those skipped for a bad data CRC or size);
 *          `bytesScanned`: offset where the scan stopped (the file size when it read to the end)
 * @throws CheckpointFormatError `crc-mismatch` when the first 12 bytes are not a valid TFRecord
 *         header (the file is some other kind of file); errors of the source's `read`
 */
export async function scanTfRecords(
  src: ByteSource,
  sink: TfRecordSink,
  options: TfRecordScanOptions = {},
): Promise<{ records: number; bytesScanned: number }> {
  const verifyCrc = options.verifyCrc ?? true;
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const kindName = options.kindName ?? 'TFRecord file';
  const win = new Window(src, Math.max(64, options.windowBytes ?? DEFAULT_WINDOW_BYTES));
  const size = src.size;

  if (size === 0) {
    sink.problem('The file is empty (0 bytes): the writer has not flushed its first record yet, or the copy failed.');
    return { records: 0, bytesScanned: 0 };
  }

  let offset = 0;
  let index = 0;
  while (offset < size) {
    if (index >= maxRecords) {
      sink.problem(`Stopped after ${index} records (the record limit); the last ${size - offset} bytes of the file were not read.`);
      break;
    }
    const header = await win.get(offset, TFRECORD_HEADER_BYTES);
    if (header.length < TFRECORD_HEADER_BYTES) {
      sink.problem(
        `${ordinal(index)} at byte ${offset} is cut short: only ${header.length} of its ${TFRECORD_HEADER_BYTES} header bytes are present. ` +
          `The training job may still be writing this file; the ${index} complete records before it were read.`,
      );
      break;
    }
    if (u32(header, 8) !== maskedCrc32c(header.subarray(0, 8))) {
      if (offset === 0) {
        throw new CheckpointFormatError(
          'crc-mismatch',
          src.name,
          `this is not a ${kindName}: its first 12 bytes are not a TFRecord record header (the length checksum does not match).`,
          { offset: 8 },
        );
      }
      const next = await findNextHeader(win, size, offset + 1);
      if (next === undefined) {
        sink.problem(
          `${ordinal(index)} at byte ${offset} is damaged (its length checksum does not match) and no valid record follows: ` +
            `the last ${size - offset} bytes of the file were not read.`,
        );
        offset = size;
        break;
      }
      sink.problem(
        `${ordinal(index)} at byte ${offset} is damaged (its length checksum does not match): skipped ${next - offset} bytes ` +
          `to the next valid record, at byte ${next}.`,
      );
      offset = next;
      continue;
    }
    const length = u64(header, 0);
    const total = TFRECORD_HEADER_BYTES + length + TFRECORD_FOOTER_BYTES;
    if (length > size - offset - TFRECORD_HEADER_BYTES - TFRECORD_FOOTER_BYTES) {
      sink.problem(cutShort(index, offset, length, size - offset - TFRECORD_HEADER_BYTES));
      break;
    }
    if (length > maxRecordBytes) {
      sink.problem(`${ordinal(index)} at byte ${offset} holds ${length} bytes, more than the ${maxRecordBytes} this viewer reads: skipped unread.`);
      index += 1;
      offset += total;
      continue;
    }
    const body = await win.get(offset + TFRECORD_HEADER_BYTES, length + TFRECORD_FOOTER_BYTES);
    if (body.length < length + TFRECORD_FOOTER_BYTES) {
      // the source returned less than its size promised: the file shrank or the read failed short
      sink.problem(cutShort(index, offset, length, body.length));
      break;
    }
    const data = body.subarray(0, length);
    if (verifyCrc && u32(body, length) !== maskedCrc32c(data)) {
      sink.problem(`${ordinal(index)} at byte ${offset} is damaged (its data checksum does not match): skipped.`);
    } else {
      sink.record(data, index, offset);
    }
    index += 1;
    offset += total;
  }
  return { records: index, bytesScanned: Math.min(offset, size) };
}

/** "Record 5" for index 4: records are numbered from 1 in sentences. */
function ordinal(index: number): string {
  return `Record ${index + 1}`;
}

function cutShort(index: number, offset: number, length: number, present: number): string {
  return (
    `${ordinal(index)} at byte ${offset} is cut short: it declares ${length} data bytes plus a 4-byte checksum, but only ` +
    `${Math.max(0, present)} bytes follow its header. The training job may still be writing this file; the ${index} complete ` +
    `records before it were read.`
  );
}

/**
 * The first offset >= `from` whose 12 bytes form a valid TFRecord header (length CRC matches), or
 * undefined. Reads the source in windows, overlapping by 11 bytes so no candidate is missed.
 */
async function findNextHeader(win: Window, size: number, from: number): Promise<number | undefined> {
  let p = from;
  while (p + TFRECORD_HEADER_BYTES <= size) {
    const chunk = await win.getAvailable(p, TFRECORD_HEADER_BYTES);
    if (chunk.length < TFRECORD_HEADER_BYTES) return undefined;
    const last = chunk.length - TFRECORD_HEADER_BYTES;
    for (let q = 0; q <= last; q++) {
      if (u32(chunk, q + 8) === maskedCrc32c(chunk.subarray(q, q + 8))) return p + q;
    }
    p += last + 1;
  }
  return undefined;
}

/** A cache of one window of the source: consecutive small reads cost one `read` per window. */
class Window {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;

  constructor(
    private readonly src: ByteSource,
    readonly windowBytes: number,
  ) {}

  /**
   * The cached bytes from `offset` to the end of the window when at least `min` of them are
   * cached, else a fresh window read at `offset` (shorter only at the end of the source).
   */
  async getAvailable(offset: number, min: number): Promise<Uint8Array> {
    const rel = offset - this.start;
    if (rel >= 0 && rel + min <= this.buf.length) return this.buf.subarray(rel);
    return this.get(offset, this.windowBytes);
  }

  /** Bytes `[offset, offset + length)`, shorter only at the end of the source. */
  async get(offset: number, length: number): Promise<Uint8Array> {
    const rel = offset - this.start;
    if (rel >= 0 && rel + length <= this.buf.length) return this.buf.subarray(rel, rel + length);
    const want = Math.min(Math.max(length, this.windowBytes), Math.max(0, this.src.size - offset));
    this.buf = await this.src.read(offset, want);
    this.start = offset;
    return this.buf.subarray(0, Math.min(length, this.buf.length));
  }
}
