/** Bounds enforced while a file streams in, so a hostile or huge upload fails fast and cheaply. */
export interface Limits {
  maxFileBytes: number;
  maxRows: number;
  maxColumns: number;
  /** Sum of the decompressed sizes of every XLSX zip entry we are willing to inflate. */
  maxXlsxUncompressedBytes: number;
  maxXlsxEntries: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxRows: 1_000_000,
  maxColumns: 500,
  maxXlsxUncompressedBytes: 500 * 1024 * 1024,
  maxXlsxEntries: 10_000,
};
