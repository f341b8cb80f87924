/**
 * A {@link FileAccess} whose opened sources pass through a wrapper: the benchmark and the tests
 * count reads with it, or make one file fail; the CLI counts its reads with it (`analyzeInputs`).
 */
import type { ByteSource } from '../bytes/byteSource';
import type { FileAccess } from './types';

/** `access` with every source a session opens given to `wrap` (its `readWholeMany`, if any, kept as it is). */
export function wrapSources<H>(access: FileAccess<H>, wrap: (source: ByteSource) => ByteSource): FileAccess<H> {
  return {
    ...access,
    session: () => {
      const inner = access.session();
      return { open: (handle, name) => wrap(inner.open(handle, name)), close: () => inner.close() };
    },
  };
}
