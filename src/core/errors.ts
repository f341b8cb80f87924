/**
 * Typed errors raised by the format core. Every error names the file and, where known, the byte
 * offset, and carries a sentence a user understands (shown as-is in the page and the CLI).
 */

/** Stable machine-readable cause of a {@link CheckpointFormatError}. */
export type FormatErrorCode =
  | 'empty-file'
  | 'truncated'
  | 'not-a-checkpoint'
  | 'html-page'
  | 'lfs-pointer'
  | 'bad-zip'
  | 'crc-mismatch'
  | 'unsupported-compression'
  | 'bad-pickle'
  | 'unknown-opcode'
  | 'unsupported-protocol'
  | 'limit-exceeded'
  | 'bad-json'
  | 'bad-safetensors'
  | 'missing-record'
  | 'cancelled';

/**
 * A file could not be read as the format it claims to be.
 *
 * @property file   the file name (or path inside the dropped folder) the error is about
 * @property code   a stable cause code, see {@link FormatErrorCode}
 * @property offset byte offset in the file (or in the named zip member / pickle) where the problem
 *                  was found, when known
 * @property member zip member name when the problem is inside an archive member
 */
export class CheckpointFormatError extends Error {
  readonly file: string;
  readonly code: FormatErrorCode;
  readonly offset: number | undefined;
  readonly member: string | undefined;

  constructor(
    code: FormatErrorCode,
    file: string,
    message: string,
    options: { offset?: number; member?: string } = {},
  ) {
    super(message);
    this.name = 'CheckpointFormatError';
    this.code = code;
    this.file = file;
    this.offset = options.offset;
    this.member = options.member;
  }

  /** The message with the file name (and member/offset when known) in front, for display. */
  describe(): string {
    const where = [this.file, this.member ? `member ${this.member}` : '', this.offset !== undefined ? `byte ${this.offset}` : '']
      .filter(Boolean)
      .join(', ');
    return `${where}: ${this.message}`;
  }
}

