/**
 * Types of the random-access ZIP reader. Field names follow PKWARE APPNOTE.TXT (4.3.7 local file
 * header, 4.3.12 central directory header, 4.3.14-4.3.16 ZIP64 and end of central directory).
 */

/** One central-directory entry. All sizes and offsets in bytes. */
export interface ZipEntry {
  /** File name as stored in the central directory (UTF-8 when flag bit 11 is set, else CP437/latin-1). */
  readonly name: string;
  /** Compression method: 0 stored, 8 deflate; others are reported unsupported. */
  readonly method: number;
  /** General purpose bit flags. */
  readonly flags: number;
  /** CRC-32 of the uncompressed data, from the central directory. */
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Offset of the local file header from the start of the file (ZIP64 extra applied). */
  readonly localHeaderOffset: number;
  /** Offset of this entry's central directory record. */
  readonly centralHeaderOffset: number;
  /** Length of this entry's central directory record (46 + name + extra + comment). */
  readonly centralHeaderLength: number;
  /** True when any of this entry's sizes/offset came from a ZIP64 extra field. */
  readonly zip64: boolean;
}

/** Where an entry's data starts, read from its local header. */
export interface ZipLocalHeader {
  /** Offset of the first data byte (after local header, name and extra field). */
  readonly dataOffset: number;
  /** Name in the local header (may disagree with the central one: an anomaly). */
  readonly name: string;
  /** Length of the local extra field in bytes (PyTorch pads it so data is 64-byte aligned). */
  readonly extraLength: number;
  readonly nameLength: number;
}

/** The parsed index of an archive. */
export interface ZipIndex {
  readonly entries: readonly ZipEntry[];
  /** Offset of the first central directory record. */
  readonly centralDirectoryOffset: number;
  /** Size of the central directory in bytes. */
  readonly centralDirectorySize: number;
  /** Offset of the end of central directory record (22 bytes + comment). */
  readonly eocdOffset: number;
  /** Offset of the ZIP64 end of central directory record, when present. */
  readonly zip64EocdOffset: number | undefined;
  /** Offset of the ZIP64 end of central directory locator, when present. */
  readonly zip64LocatorOffset: number | undefined;
  /** Bytes after the end of central directory record (comment excluded): extra data is an anomaly. */
  readonly trailingBytes: number;
  /** Structural oddities found while indexing, as sentences (not fatal). */
  readonly anomalies: readonly string[];
}
