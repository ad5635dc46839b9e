/**
 * Bytes in ClickHouse's RowBinary encoding, appended to one growing buffer:
 * little-endian numbers, strings and counts as a LEB128 length and then
 * their bytes. The engine reads this without parsing text, which made its
 * JSONEachRow parser the largest part of an insert's cost.
 */
export class RowBinaryWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(initialBytes: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(initialBytes, 64));
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  uint8(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value & 0xff;
  }

  uint16(value: number): void {
    this.reserve(2);
    this.buffer.writeUInt16LE(value & 0xffff, this.length);
    this.length += 2;
  }

  uint32(value: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(value >>> 0, this.length);
    this.length += 4;
  }

  /** A safe integer as Int64: ToUint32 keeps the low word exactly, and dividing by 2^32 is exact too. */
  int64(value: number): void {
    this.reserve(8);
    this.buffer.writeUInt32LE(value >>> 0, this.length);
    this.buffer.writeInt32LE(Math.floor(value / 0x1_0000_0000), this.length + 4);
    this.length += 8;
  }

  /**
   * seconds * 10^9 + nanos as Int64 (a DateTime64(9)), without BigInt: the
   * seconds (under 2^34) are split in 16-bit halves so that every product
   * and sum stays below 2^53, where doubles are exact.
   */
  int64Of(seconds: number, nanos: number): void {
    const high = Math.floor(seconds / 0x1_0000) * 1e9;
    const low = (seconds % 0x1_0000) * 1e9 + nanos;
    const lowSum = (high % 0x1_0000) * 0x1_0000 + low;
    this.reserve(8);
    this.buffer.writeUInt32LE(lowSum % 0x1_0000_0000, this.length);
    this.buffer.writeUInt32LE(Math.floor(high / 0x1_0000) + Math.floor(lowSum / 0x1_0000_0000), this.length + 4);
    this.length += 8;
  }

  float64(value: number): void {
    this.reserve(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  /** An unsigned LEB128 count (string lengths, map sizes, column counts). */
  varUInt(value: number): void {
    this.reserve(5);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  /** A string as UTF-8 after its byte length. */
  string(value: string): void {
    const chars = value.length;
    // Short ASCII strings (ids, names, event kinds) are copied here; a native call costs more than the loop.
    if (chars < 64) {
      this.reserve(chars + 1);
      const start = this.length;
      const buffer = this.buffer;
      buffer[start] = chars;
      let i = 0;
      for (; i < chars; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[start + 1 + i] = code;
      }
      if (i === chars) {
        this.length = start + 1 + chars;
        return;
      }
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varUInt(bytes);
    this.reserve(bytes);
    this.length += this.buffer.write(value, this.length, bytes, 'utf8');
  }

  /** A Map(String, String): the pair count, then each key and value. */
  stringMap(map: Record<string, string> | undefined): void {
    // One pass: the count goes in a byte kept for it, moved up in the rare map of 128 pairs or more.
    this.reserve(1);
    const at = this.length++;
    let size = 0;
    for (const key in map) {
      this.string(key);
      this.string(map[key]!);
      size += 1;
    }
    if (size < 0x80) {
      this.buffer[at] = size;
      return;
    }
    const pairs = Buffer.from(this.buffer.subarray(at + 1, this.length));
    this.length = at;
    this.varUInt(size);
    this.reserve(pairs.length);
    pairs.copy(this.buffer, this.length);
    this.length += pairs.length;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
