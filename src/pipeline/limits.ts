/** Bounds enforced while a file streams in, so a hostile or huge upload fails fast and cheaply. */
export interface Limits {
  maxFileBytes: number;
  maxRows: number;
  maxColumns: number;
  /** Sum of the decompressed sizes of every XLSX zip entry we are willing to inflate. */
  maxXlsxUncompressedBytes: number;
  maxXlsxEntries: number;
  /** Workbook text bounds; optional so a caller that only sets the classic limits gets the defaults. */
  maxSharedStrings?: number;
  maxSharedStringBytes?: number;
  maxCellChars?: number;
}

/** The text bounds of an XLSX read, with defaults filled in. */
export interface XlsxTextLimits {
  /** Entries in a workbook's shared-string table. */
  maxSharedStrings: number;
  /** UTF-8 bytes of all shared strings together; they are held in memory while the sheets are read. */
  maxSharedStringBytes: number;
  /** Characters in one cell; Excel itself stops at 32,767. */
  maxCellChars: number;
}

export const DEFAULT_XLSX_TEXT_LIMITS: XlsxTextLimits = {
  // Measured with the built CLI (node dist/cli.js, ~72 MB RSS at rest): 1M distinct 30-byte strings
  // used by a 1M-row sheet peaked at 147-152 MB RSS, 500k 62-byte strings (31 MB) at 144 MB. 24 MiB of
  // text (plus 8 bytes of offsets per string) keeps the worst case under the 150 MB budget.
  maxSharedStrings: 1_000_000,
  maxSharedStringBytes: 24 * 1024 * 1024,
  maxCellChars: 32_767,
};

export const DEFAULT_LIMITS: Limits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxRows: 1_000_000,
  maxColumns: 500,
  maxXlsxUncompressedBytes: 500 * 1024 * 1024,
  maxXlsxEntries: 10_000,
  ...DEFAULT_XLSX_TEXT_LIMITS,
};

export function xlsxTextLimits(limits: Limits): XlsxTextLimits {
  return {
    maxSharedStrings: limits.maxSharedStrings ?? DEFAULT_XLSX_TEXT_LIMITS.maxSharedStrings,
    maxSharedStringBytes: limits.maxSharedStringBytes ?? DEFAULT_XLSX_TEXT_LIMITS.maxSharedStringBytes,
    maxCellChars: limits.maxCellChars ?? DEFAULT_XLSX_TEXT_LIMITS.maxCellChars,
  };
}
