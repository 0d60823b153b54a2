/**
 * Whole-number columns packed as base64 of zigzag LEB128 varints, for the snapshot's large grids.
 *
 * Why not plain JSON arrays: a snapshot of 5,000 regions and 5,000 categories over 24 months holds
 * 240,000 group-month cells; as JSON numbers (net cents and units) that measured 2.2 MB, over the
 * 2 MB budget. Deflating the JSON brings it to 0.84 MB but measured ~180 ms to compress and ~13 ms to
 * inflate (a quarter of the 50 ms comparison budget). Varints take a cell's cents in 3 bytes and its
 * units in 1-2, so the same grid packs to ~1.3 MB of base64 in a few milliseconds each way. Values
 * outside the packable range are written as a plain JSON array instead (decodeColumn takes both).
 */

/** |value| below 2^51, so its zigzag form (2|v| or 2|v|-1) stays a safe integer. */
const MAX_PACKABLE = 2 ** 51;

export type EncodedColumn = string | number[];

export function encodeColumn(values: readonly number[]): EncodedColumn {
  for (const value of values) {
    if (!Number.isInteger(value) || Math.abs(value) >= MAX_PACKABLE) return [...values];
  }
  // At most 8 bytes per value below 2^51 after zigzag (7 bits per byte).
  let bytes = new Uint8Array(Math.max(16, values.length * 3));
  let at = 0;
  for (const value of values) {
    if (at + 8 > bytes.length) {
      const grown = new Uint8Array(bytes.length * 2 + 16);
      grown.set(bytes);
      bytes = grown;
    }
    let z = value >= 0 ? value * 2 : -value * 2 - 1;
    // Division instead of shifts: values past 2^31 must not wrap.
    while (z >= 128) {
      bytes[at++] = (z % 128) | 128;
      z = Math.floor(z / 128);
    }
    bytes[at++] = z;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, at).toString("base64");
}

/**
 * The column back, or null when it is not a well-formed column of `length` whole numbers (a damaged
 * or foreign snapshot is refused, never half-read).
 */
export function decodeColumn(column: unknown, length: number): number[] | null {
  if (Array.isArray(column)) {
    if (column.length !== length) return null;
    for (const value of column) if (typeof value !== "number" || !Number.isFinite(value)) return null;
    return column as number[];
  }
  if (typeof column !== "string") return null;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(column)) return null;
  const bytes = Buffer.from(column, "base64");
  const values = new Array<number>(length);
  let at = 0;
  for (let i = 0; i < length; i++) {
    let z = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length || scale > 2 ** 49) return null;
      const byte = bytes[at++] as number;
      z += (byte & 127) * scale;
      if (byte < 128) break;
      scale *= 128;
    }
    values[i] = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  return at === bytes.length ? values : null;
}
