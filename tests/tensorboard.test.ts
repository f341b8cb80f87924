/**
 * TensorBoard event-file reader: the run fixtures' event files against what their expected.json
 * says (written by scripts/make_fixtures.py, read back by its own CRC-checking reader), damaged
 * copies of the own fixture (cut short, a flipped byte), a file that is not an event file, and the
 * CRC-32C check value.
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesSource, countingSource } from '../src/core/bytes/byteSource';
import { CheckpointFormatError } from '../src/core/errors';
import { crc32c, crc32cUpdate, maskCrc32c, maskedCrc32c, unmaskCrc32c } from '../src/core/tensorboard/crc32c';
import { readEventFile, type EventFileScalars } from '../src/core/tensorboard/eventFile';
import { ProtobufError, ProtoReader } from '../src/core/tensorboard/protobuf';

const OWN = join(__dirname, '..', 'fixtures');
const SHARED = join(__dirname, '..', '..', 'shared', 'fixtures');
const HAS_SHARED = existsSync(SHARED);

type Pairs = Record<string, [number, number][]>;

/** The one events.out.tfevents.* file in `<root>/enstack_run/logs`. */
function eventFile(root: string): { path: string; bytes: Uint8Array; name: string } {
  const logs = join(root, 'enstack_run', 'logs');
  const names = readdirSync(logs).filter((n) => n.startsWith('events.out.tfevents.'));
  expect(names).toHaveLength(1);
  const path = join(logs, names[0]);
  return { path, name: names[0], bytes: new Uint8Array(readFileSync(path)) };
}

function expectedJson(root: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, 'enstack_run', 'expected.json'), 'utf8')) as Record<string, unknown>;
}

/** Record start offsets and data lengths, walked with the u64 lengths only (independent of the reader). */
function framing(bytes: Uint8Array): { offset: number; length: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { offset: number; length: number }[] = [];
  for (let o = 0; o < bytes.length; ) {
    const length = Number(view.getBigUint64(o, true));
    out.push({ offset: o, length });
    o += 12 + length + 4;
  }
  return out;
}

/** Compare a series with [[step, value], ...] rounded to 6 decimals. */
function expectSeries(actual: EventFileScalars, tag: string, pairs: [number, number][]): void {
  const points = actual.series[tag];
  expect(points, tag).toBeDefined();
  expect(points.length, `${tag} point count`).toBe(pairs.length);
  pairs.forEach(([step, value], i) => {
    expect(points[i].step, `${tag}[${i}].step`).toBe(step);
    expect(points[i].value, `${tag}[${i}].value`).toBeCloseTo(value, 6);
  });
}

const read = (bytes: Uint8Array, name = 'events.out.tfevents.test', options?: Parameters<typeof readEventFile>[1]) =>
  readEventFile(bytesSource(bytes, name), options);

describe('own fixture: enstack_run/logs', () => {
  const { bytes, name } = eventFile(OWN);
  const expected = expectedJson(OWN);

  test('every tag, every point, and the file version match expected.json', async () => {
    const r = await read(bytes, name);
    const scalars = expected.tensorboard_scalars as Pairs;
    expect(r.problems).toEqual([]);
    expect(r.fileVersion).toBe(expected.file_version);
    expect(r.fileVersion).toBe('brain.Event:2');
    expect(Object.keys(r.series).sort()).toEqual(Object.keys(scalars).sort());
    for (const [tag, pairs] of Object.entries(scalars)) expectSeries(r, tag, pairs);
    const counts = expected.tensorboard_points as Record<string, number>;
    for (const [tag, n] of Object.entries(counts)) expect(r.series[tag].length, tag).toBe(n);
    // 1 file_version event + 45 Train/Loss + 15 Train/LR + 2 Epoch/Train_Loss + 2 events each
    // holding Epoch/Val_F1 and Epoch/Val_Acc
    expect(r.records).toBe(65);
  });

  test('values are the exact float32 numbers, including the tensor-style tag', async () => {
    const r = await read(bytes, name);
    const exact = expected.tensorboard_scalars_exact_float32 as Pairs;
    for (const [tag, pairs] of Object.entries(exact)) {
      expect(r.series[tag].map((p) => [p.step, p.value]), tag).toEqual(pairs);
    }
    expect(expected.tensor_style_tags).toEqual(['Train/LR']);
    expect(r.series['Train/LR'].map((p) => p.step)).toEqual((exact['Train/LR'] ?? []).map(([s]) => s));
  });

  test('wall times are seconds since the epoch (the script starts at 1764398800 and adds 11.25 s per 50 steps)', async () => {
    const r = await read(bytes, name);
    expect(r.series['Train/Loss'][0].wallTime).toBe(1764398800 + 11.25);
    expect(r.series['Train/Loss'][1].wallTime).toBe(1764398800 + 22.5);
    const times = r.series['Train/Loss'].map((p) => p.wallTime);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  test('reads through the source in windows, same result for any window size', async () => {
    const whole = await read(bytes, name);
    for (const windowBytes of [64, 100, 333, 4096]) {
      const { source, stats } = countingSource(bytesSource(bytes, name));
      const r = await readEventFile(source, { windowBytes });
      expect(r).toEqual(whole);
      expect(stats.bytesRead).toBeLessThanOrEqual(bytes.length * 2);
      if (windowBytes < bytes.length) expect(stats.reads).toBeGreaterThan(1);
    }
  });

  test('verifyCrc: false gives the same result on a healthy file', async () => {
    expect(await read(bytes, name, { verifyCrc: false })).toEqual(await read(bytes, name));
  });
});

describe.skipIf(!HAS_SHARED)('shared fixture: enstack_run/logs (outside check)', () => {
  test('epoch tags and the Train/Loss point count match expected.json', async () => {
    const { bytes, name } = eventFile(SHARED);
    const scalars = expectedJson(SHARED).tensorboard_scalars as Record<string, unknown>;
    const r = await read(bytes, name);
    expect(r.problems).toEqual([]);
    expect(r.fileVersion).toBe('brain.Event:2');
    let compared = 0;
    for (const [key, value] of Object.entries(scalars)) {
      const m = /^(.*) points$/.exec(key);
      if (m) expect(r.series[m[1]]?.length, key).toBe(value);
      else expectSeries(r, key, value as [number, number][]);
      compared += 1;
    }
    expect(compared).toBe(Object.keys(scalars).length);
    expect(r.series['Epoch/Val_F1']).toHaveLength(1);
    expect(r.series['Train/Loss']).toHaveLength(18);
  });
});

describe('damaged and foreign files', () => {
  const { bytes } = eventFile(OWN);
  const recs = framing(bytes);

  test('the independent framing walk covers the file exactly', () => {
    const last = recs[recs.length - 1];
    expect(last.offset + 12 + last.length + 4).toBe(bytes.length);
    expect(recs).toHaveLength(65);
  });

  test('a file cut anywhere in a record keeps every complete record before it', async () => {
    // cut inside every record: mid-header, mid-data, mid-CRC (the last one = a job still writing)
    for (let i = 1; i < recs.length; i++) {
      const { offset, length } = recs[i];
      const before = await read(bytes.slice(0, offset));
      expect(before.problems).toEqual([]);
      expect(before.records).toBe(i);
      for (const cut of [offset + 5, offset + 12 + Math.floor(length / 2), offset + 12 + length + 2]) {
        const r = await read(bytes.slice(0, cut));
        expect(r.series, `cut at ${cut} in record ${i + 1}`).toEqual(before.series);
        expect(r.records).toBe(i);
        expect(r.fileVersion).toBe('brain.Event:2');
        expect(r.problems).toHaveLength(1);
        expect(r.problems[0]).toMatch(/cut short/);
        expect(r.problems[0]).toContain(`byte ${offset}`);
      }
    }
  });

  test('cutting the last record loses only its point', async () => {
    const whole = await read(bytes);
    const last = recs[recs.length - 1];
    const r = await read(bytes.slice(0, last.offset + 12 + last.length + 2));
    expect(r.problems).toHaveLength(1);
    const lost = Object.entries(whole.series).filter(([tag, pts]) => r.series[tag].length !== pts.length);
    expect(lost.map(([tag]) => tag)).toEqual(['Train/LR']);
    expect(r.series['Train/LR']).toEqual(whole.series['Train/LR'].slice(0, -1));
  });

  test('a file cut inside the first record header gives no points and a problem, not an error', async () => {
    const r = await read(bytes.slice(0, 7));
    expect(r.records).toBe(0);
    expect(r.series).toEqual({});
    expect(r.problems[0]).toMatch(/cut short/);
  });

  test('an empty file gives a problem, not an error', async () => {
    const r = await read(new Uint8Array(0));
    expect(r.records).toBe(0);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/empty/);
  });

  /** The fixture without record i: what a reader that drops exactly that record must return. */
  async function withoutRecord(i: number): Promise<EventFileScalars> {
    const { offset, length } = recs[i];
    const out = new Uint8Array(bytes.length - (16 + length));
    out.set(bytes.subarray(0, offset));
    out.set(bytes.subarray(offset + 16 + length), offset);
    return read(out);
  }

  test('a flipped data byte skips that record only, with a problem', async () => {
    for (const i of [1, 10, 33, 64]) {
      const { offset, length } = recs[i];
      const damaged = bytes.slice();
      damaged[offset + 12 + length - 1] ^= 0x40; // last data byte: inside the value
      const r = await read(damaged);
      const expected = await withoutRecord(i);
      expect(r.series).toEqual(expected.series);
      expect(r.records).toBe(65);
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toBe(`Record ${i + 1} at byte ${offset} is damaged (its data checksum does not match): skipped.`);
      // without CRC checks the damaged value is read as it is
      const unchecked = await read(damaged, undefined, { verifyCrc: false });
      expect(unchecked.problems).toEqual([]);
      expect(Object.values(unchecked.series).flat()).toHaveLength(Object.values((await read(bytes)).series).flat().length);
    }
  });

  test('a flipped length byte after the first record: the reader finds the next record and keeps the rest', async () => {
    const i = 20;
    const damaged = bytes.slice();
    damaged[recs[i].offset] ^= 0x01;
    const r = await read(damaged);
    expect(r.series).toEqual((await withoutRecord(i)).series);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(new RegExp(`^Record ${i + 1} at byte ${recs[i].offset} is damaged \\(its length checksum does not match\\): skipped \\d+ bytes to the next valid record, at byte ${recs[i + 1].offset}\\.$`));
  });

  test('a flipped length byte in the last record: the rest of the file is reported unread', async () => {
    const i = recs.length - 1;
    const damaged = bytes.slice();
    damaged[recs[i].offset + 1] ^= 0x01;
    const r = await read(damaged);
    expect(r.series).toEqual((await read(bytes.slice(0, recs[i].offset))).series);
    expect(r.records).toBe(i);
    expect(r.problems).toEqual([
      `Record ${i + 1} at byte ${recs[i].offset} is damaged (its length checksum does not match) and no valid record follows: the last ${bytes.length - recs[i].offset} bytes of the file were not read.`,
    ]);
  });

  test('a file whose first record is missing says so but reads the rest', async () => {
    const r = await read(bytes.slice(recs[1].offset));
    expect(r.fileVersion).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/first record has no file_version/);
    expect(r.series).toEqual((await read(bytes)).series);
  });

  test('maxRecords stops early with a problem', async () => {
    const r = await read(bytes, undefined, { maxRecords: 10 });
    expect(r.records).toBe(10);
    expect(r.series).toEqual((await read(bytes.slice(0, recs[10].offset))).series);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/Stopped after 10 records/);
  });

  test('a checkpoint is not an event file: typed error with a clear message', async () => {
    for (const rel of ['enstack_run/last_checkpoint/training_state.pth', 'bad/html_error_page.pth', 'hf_trainer/checkpoint-700/trainer_state.json']) {
      const path = join(OWN, rel);
      if (!existsSync(path)) continue;
      const err = await readEventFile(bytesSource(new Uint8Array(readFileSync(path)), rel)).catch((e: unknown) => e);
      expect(err, rel).toBeInstanceOf(CheckpointFormatError);
      const fe = err as CheckpointFormatError;
      expect(fe.code).toBe('crc-mismatch');
      expect(fe.file).toBe(rel);
      expect(fe.message).toMatch(/this is not a TensorBoard event file/);
    }
  });
});

describe('CRC-32C', () => {
  test('check value of "123456789" is 0xE3069283', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  test('slicing-by-8 agrees with the bitwise definition at every length and split', () => {
    const bitwise = (b: Uint8Array): number => {
      let c = 0xffffffff;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    const { bytes } = eventFile(OWN);
    for (let n = 0; n <= 100; n++) {
      const b = bytes.subarray(37, 37 + n);
      expect(crc32c(b)).toBe(bitwise(b));
      expect(crc32cUpdate(crc32cUpdate(0, b.subarray(0, n >> 1)), b.subarray(n >> 1))).toBe(bitwise(b));
    }
  });

  test('mask and unmask (TFRecord) are inverse; the first header of the fixture checks', () => {
    for (const c of [0, 1, 0xe3069283, 0xffffffff, 0x80000000]) expect(unmaskCrc32c(maskCrc32c(c))).toBe(c);
    const { bytes } = eventFile(OWN);
    const stored = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
    expect(maskedCrc32c(bytes.subarray(0, 8))).toBe(stored);
  });
});

describe('protobuf wire format (examples from protobuf.dev "Encoding")', () => {
  test('varints: 150, 2^53-1, int64 -1 and -2 (ten bytes), int32 -1', () => {
    expect(new ProtoReader(Uint8Array.of(0x96, 0x01)).uint64()).toBe(150);
    expect(new ProtoReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f)).uint64()).toBe(2 ** 53 - 1);
    const minus1 = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    expect(new ProtoReader(minus1).int64()).toBe(-1);
    expect(new ProtoReader(minus1).int32()).toBe(-1);
    expect(new ProtoReader(Uint8Array.of(0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)).int64()).toBe(-2);
  });

  test('key 08 96 01 is field 1 varint 150; a cut-short value throws ProtobufError', () => {
    const r = new ProtoReader(Uint8Array.of(0x08, 0x96, 0x01));
    expect(r.key()).toEqual({ field: 1, wireType: 0 });
    expect(r.uint64()).toBe(150);
    expect(r.done).toBe(true);
    expect(() => new ProtoReader(Uint8Array.of(0x96)).uint64()).toThrow(ProtobufError);
    const s = new ProtoReader(Uint8Array.of(0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69)); // "testi" of "testing"
    expect(s.key()).toEqual({ field: 2, wireType: 2 });
    expect(() => s.string()).toThrow(ProtobufError);
  });
});
