import type { RandomSource } from '../contracts/random.js';

/** A Fisher–Yates shuffle of a copy of `items`, drawing from the cloud's randomness. */
export function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const out = [...items];
  if (out.length < 2) return out;
  const bytes = random.bytes(out.length * 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = view.getUint32(i * 4) % (i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
