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

export function encodeColumn(values: ArrayLike<number>): EncodedColumn {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const value = values[i] as number;
    if (!Number.isInteger(value) || Math.abs(value) >= MAX_PACKABLE) return Array.from(values);
  }
  // At most 8 bytes per value below 2^51 after zigzag (7 bits per byte).
  const bytes = Buffer.allocUnsafe(n * 8);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i] as number;
    let z = value >= 0 ? value * 2 : -value * 2 - 1;
    if (z < 0x80000000) {
      // The common case (cents below ~10 million): 32-bit shifts are safe and fast.
      while (z >= 128) {
        bytes[at++] = (z & 127) | 128;
        z >>>= 7;
      }
    } else {
      // Division instead of shifts: values past 2^31 must not wrap.
      while (z >= 128) {
        bytes[at++] = (z % 128) | 128;
        z = Math.floor(z / 128);
      }
    }
    bytes[at++] = z;
  }
  return bytes.toString("base64", 0, at);
}

/**
 * Every value of a column, or null when it is not a well-formed column of whole numbers (a damaged
 * or foreign snapshot is refused, never half-read).
 */
export function decodeAll(column: unknown): ArrayLike<number> | null {
  if (Array.isArray(column)) {
    for (const value of column) if (typeof value !== "number" || !Number.isFinite(value)) return null;
    return column as number[];
  }
  if (typeof column !== "string" || column.length % 4 !== 0) return null;
  const bytes = Buffer.from(column, "base64");
  // Buffer.from skips characters outside base64: a damaged text decodes to fewer bytes than it should.
  const padding = column.endsWith("==") ? 2 : column.endsWith("=") ? 1 : 0;
  if (bytes.length !== (column.length / 4) * 3 - padding) return null;
  // Each value ends with a byte below 128: count them first, then fill a typed array (no regrowth).
  let count = 0;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) < 128) count++;
  const values = new Float64Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    let z = 0;
    let scale = 1;
    for (;;) {
      if (scale > 2 ** 49) return null;
      const byte = bytes[at++] as number;
      z += (byte & 127) * scale;
      if (byte < 128) break;
      scale *= 128;
    }
    values[i] = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  // A last value cut short leaves continuation bytes after the final terminator.
  return at === bytes.length ? values : null;
}

/** A column of exactly `length` values, or null. */
export function decodeColumn(column: unknown, length: number): ArrayLike<number> | null {
  const values = decodeAll(column);
  return values && values.length === length ? values : null;
}
