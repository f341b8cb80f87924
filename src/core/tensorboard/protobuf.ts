/**
 * A minimal, bounds-checked reader of the protobuf binary wire format ("Encoding" in the protobuf
 * documentation, protobuf.dev/programming-guides/encoding): a message is a sequence of fields, each
 * a varint key `(field_number << 3) | wire_type` followed by a value whose shape the wire type gives:
 * 0 VARINT, 1 I64 (8 bytes little-endian), 2 LEN (varint length + bytes), 3/4 SGROUP/EGROUP
 * (deprecated groups), 5 I32 (4 bytes little-endian).
 *
 * No schema, no code generation: callers switch on field numbers and read what they know, and
 * {@link ProtoReader.skip} steps over the rest (unknown fields are not an error, as in every
 * protobuf parser). Every read checks the message bounds and throws {@link ProtobufError} instead
 * of reading past them.
 */

/** Wire types (protobuf encoding guide, "Message Structure"). */
export const WIRE_VARINT = 0;
/** 8-byte little-endian value: fixed64, sfixed64, double. */
export const WIRE_I64 = 1;
/** Length-delimited: string, bytes, embedded message, packed repeated scalars. */
export const WIRE_LEN = 2;
/** Start of a (deprecated) group. */
export const WIRE_SGROUP = 3;
/** End of a (deprecated) group. */
export const WIRE_EGROUP = 4;
/** 4-byte little-endian value: fixed32, sfixed32, float. */
export const WIRE_I32 = 5;

/** The protobuf bytes are malformed (cut short, a varint over 10 bytes, a bad wire type...). */
export class ProtobufError extends Error {
  /** Byte offset of the problem, counted from the start of the outermost message that was decoded. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = 'ProtobufError';
    this.offset = offset;
  }
}

/** A field key: field number and wire type (0..5). */
export interface ProtoKey {
  readonly field: number;
  readonly wireType: number;
}

const TEXT = new TextDecoder('utf-8');
const TWO_32 = 0x100000000;
const MAX_GROUP_DEPTH = 64;

/**
 * Cursor over one protobuf message. Typical use:
 * ```ts
 * const r = new ProtoReader(bytes);
 * while (!r.done) {
 *   const { field, wireType } = r.key();
 *   if (field === 1 && wireType === WIRE_I64) wallTime = r.double();
 *   else r.skip(wireType);
 * }
 * ```
 * Reading methods assume the caller checked the wire type; values returned by {@link bytes} and
 * {@link message} are views into the same buffer (no copy).
 */
export class ProtoReader {
  /** The message bytes. */
  readonly bytes: Uint8Array;
  /** Offset of `bytes[0]` within the outermost message, for error offsets. */
  readonly base: number;
  /** Current position in `bytes`. */
  pos = 0;
  private readonly view: DataView;
  private lo = 0;
  private hi = 0;

  /**
   * @param bytes the message (exactly; its length is the message length)
   * @param base  offset of `bytes` within the outermost message, used only in error offsets
   */
  constructor(bytes: Uint8Array, base = 0) {
    this.bytes = bytes;
    this.base = base;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** True when every field of the message has been read. */
  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /**
   * Read a field key.
   * @throws ProtobufError for field number 0, a key over 32 bits or an unknown wire type (6, 7)
   */
  key(): ProtoKey {
    const at = this.pos;
    this.varint64();
    const key = this.lo;
    if (this.hi !== 0 || key >>> 3 === 0) this.fail('invalid field key', at);
    const wireType = key & 7;
    if (wireType > 5) this.fail(`invalid wire type ${wireType}`, at);
    return { field: key >>> 3, wireType };
  }

  /** A VARINT as an unsigned 64-bit value (uint64, uint32, enum >= 0), exact up to 2^53 - 1. */
  uint64(): number {
    this.varint64();
    return this.hi * TWO_32 + this.lo;
  }

  /**
   * A VARINT as a signed two's-complement 64-bit value (int64; negative values take 10 bytes),
   * exact for magnitudes up to 2^53 - 1.
   */
  int64(): number {
    this.varint64();
    if (this.hi & 0x80000000) return -((~this.hi >>> 0) * TWO_32 + (~this.lo >>> 0) + 1);
    return this.hi * TWO_32 + this.lo;
  }

  /** A VARINT as int32 (the low 32 bits, signed; negative int32 values are sign-extended to 10 bytes). */
  int32(): number {
    this.varint64();
    return this.lo | 0;
  }

  /** A VARINT as bool (any non-zero value is true). */
  bool(): boolean {
    this.varint64();
    return this.lo !== 0 || this.hi !== 0;
  }

  /** An I64 as an IEEE-754 double, little-endian. */
  double(): number {
    const at = this.need(8);
    return this.view.getFloat64(at, true);
  }

  /** An I32 as an IEEE-754 float32, little-endian, widened exactly to a JS number. */
  float(): number {
    const at = this.need(4);
    return this.view.getFloat32(at, true);
  }

  /** An I32 as a signed 32-bit integer (sfixed32), little-endian. */
  sfixed32(): number {
    const at = this.need(4);
    return this.view.getInt32(at, true);
  }

  /** A LEN field's payload as a view into the message bytes (no copy). */
  bytesField(): Uint8Array {
    const len = this.uint64();
    const at = this.need(len);
    return this.bytes.subarray(at, at + len);
  }

  /** A LEN field's payload decoded as UTF-8 (invalid sequences become U+FFFD). */
  string(): string {
    return TEXT.decode(this.bytesField());
  }

  /** A LEN field's payload as a reader of the embedded message (error offsets stay absolute). */
  message(): ProtoReader {
    const len = this.uint64();
    const at = this.need(len);
    return new ProtoReader(this.bytes.subarray(at, at + len), this.base + at);
  }

  /**
   * Step over the value of a field whose key has just been read.
   * @param wireType the key's wire type; for SGROUP the whole group up to its EGROUP is skipped
   * @throws ProtobufError when the value runs past the message end or a group is unbalanced
   */
  skip(wireType: number, field = 0, depth = 0): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_I64:
        this.need(8);
        return;
      case WIRE_LEN:
        this.need(this.uint64());
        return;
      case WIRE_I32:
        this.need(4);
        return;
      case WIRE_SGROUP: {
        if (depth >= MAX_GROUP_DEPTH) this.fail('groups nested too deeply', this.pos);
        for (;;) {
          if (this.done) this.fail(`group ${field} has no end`, this.pos);
          const k = this.key();
          if (k.wireType === WIRE_EGROUP) {
            if (k.field !== field) this.fail(`group ${field} ended by the end of group ${k.field}`, this.pos);
            return;
          }
          this.skip(k.wireType, k.field, depth + 1);
        }
      }
      default:
        this.fail(`unexpected wire type ${wireType}`, this.pos);
    }
  }

  /** Reserve `n` bytes at the cursor; returns their start and advances past them. */
  private need(n: number): number {
    const at = this.pos;
    if (n > this.bytes.length - at) {
      this.fail(`a value of ${n} bytes runs past the end of the ${this.bytes.length}-byte message`, at);
    }
    this.pos = at + n;
    return at;
  }

  /** Decode a VARINT (up to 10 bytes) into `lo`/`hi`, the unsigned low and high 32-bit halves. */
  private varint64(): void {
    const b = this.bytes;
    const end = b.length;
    const start = this.pos;
    let p = start;
    let lo = 0;
    let hi = 0;
    let byte = 0;
    // bytes 1-4: bits 0..27 of lo
    for (let shift = 0; shift < 28; shift += 7) {
      if (p >= end) this.fail('a varint runs past the end of the message', start);
      byte = b[p++];
      lo |= (byte & 0x7f) << shift;
      if (byte < 0x80) return this.setVarint(lo, hi, p);
    }
    // byte 5: bits 28..31 of lo, bits 0..2 of hi
    if (p >= end) this.fail('a varint runs past the end of the message', start);
    byte = b[p++];
    lo |= (byte & 0x7f) << 28;
    hi = (byte & 0x7f) >>> 4;
    if (byte < 0x80) return this.setVarint(lo, hi, p);
    // bytes 6-10: bits 3..31 of hi (the tenth byte carries only bit 63)
    for (let shift = 3; shift < 32; shift += 7) {
      if (p >= end) this.fail('a varint runs past the end of the message', start);
      byte = b[p++];
      hi |= (byte & 0x7f) << shift;
      if (byte < 0x80) return this.setVarint(lo, hi, p);
    }
    this.fail('a varint is longer than 10 bytes', start);
  }

  private setVarint(lo: number, hi: number, p: number): void {
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    this.pos = p;
  }

  private fail(message: string, at: number): never {
    throw new ProtobufError(message, this.base + at);
  }
}
