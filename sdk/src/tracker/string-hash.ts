const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Maps a string to [0, 1) deterministically: 32-bit FNV-1a over the UTF-8
 * bytes, then murmur3's fmix32 finalizer. UTF-8 (not UTF-16 code units) so
 * a server written in another language can reproduce it; the finalizer
 * because plain FNV-1a leaves sequential ids ("m-1", "m-2") correlated in
 * the high bits.
 */
export function hashToUnitInterval(value: string): number {
  // Ids are nearly always ASCII, whose UTF-16 code units are their UTF-8
  // bytes: hashed as they are, without encoding; anything else is encoded.
  let h = FNV_OFFSET;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) return unitInterval(fnv1a(new TextEncoder().encode(value)));
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return unitInterval(h);
}

function fnv1a(bytes: Uint8Array): number {
  let h = FNV_OFFSET;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME);
  return h;
}

/** murmur3's fmix32, scaled to [0, 1). */
function unitInterval(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}
