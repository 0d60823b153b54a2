import type { WorkbookArchive } from "./archive.js";
import { parsePart } from "./xml.js";

/** Excel caps a workbook at 64,000 cell formats; anything past that is ignored (read as plain numbers). */
const MAX_CELL_FORMATS = 65_536;

/**
 * Built-in number formats that show a calendar date: 14-17 and 22 (m/d/yyyy, d-mmm-yy, d-mmm, mmm-yy,
 * m/d/yyyy h:mm) and the East Asian date formats 27-36 and 50-58. The time-only built-ins (18-21 h:mm...,
 * 45-47 mm:ss and [h]:mm:ss) are left out on purpose: a time of day or a duration is not a date, and
 * read as one it would become 1899-12-30.
 */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36]);
for (let id = 50; id <= 58; id++) BUILTIN_DATE_FORMATS.add(id);

/**
 * Whether a number-format code shows a calendar date. Literal text ("..."), escaped characters (\x),
 * padding and fill (_x, *x), bracketed parts ([Red], [$-409], [h]) and the word General are dropped first; what remains is
 * a date if it has a day or year token, or a month token (m) without hours or seconds beside it, since
 * "mm" next to h or s means minutes.
 */
export function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, "")
    .replace(/\\.|_.|\*./g, "")
    .replace(/\[[^\]]*\]/g, "")
    .toLowerCase()
    // The plain-number format's name (German Excel writes "Standard") is a word, not date tokens.
    .replace(/general|standard/g, "");
  if (/[dy]/.test(bare)) return true;
  return bare.includes("m") && !/[hs]/.test(bare);
}

/** Which cell-format indexes (the `s` attribute of a cell) show dates, from styles.xml. */
export class DateStyles {
  constructor(private readonly dateStyle: Uint8Array) {}

  static none(): DateStyles {
    return new DateStyles(new Uint8Array(0));
  }

  isDate(styleIndex: number): boolean {
    return this.dateStyle[styleIndex] === 1;
  }
}

export async function readDateStyles(archive: WorkbookArchive, part: string): Promise<DateStyles> {
  const customDate = new Map<number, boolean>();
  const formatIds: number[] = [];
  let inCellXfs = false;
  await parsePart(archive, part, {
    open(name, a) {
      if (name === "numFmt") {
        const id = Number(a.numFmtId);
        if (Number.isInteger(id) && customDate.size < MAX_CELL_FORMATS) {
          customDate.set(id, isDateFormatCode(a.formatCode ?? ""));
        }
      } else if (name === "cellXfs") inCellXfs = true;
      // Only cellXfs: the xf entries of cellStyleXfs are named styles, which cells do not index.
      else if (name === "xf" && inCellXfs && formatIds.length < MAX_CELL_FORMATS) {
        formatIds.push(Number(a.numFmtId ?? 0));
      }
    },
    close(name) {
      if (name === "cellXfs") inCellXfs = false;
    },
    text() {},
    wantsText: () => false,
  });
  const dateStyle = new Uint8Array(formatIds.length);
  for (const [i, id] of formatIds.entries()) {
    // A workbook may redefine a built-in id; its own code wins.
    const custom = customDate.get(id);
    if (custom ?? BUILTIN_DATE_FORMATS.has(id)) dateStyle[i] = 1;
  }
  return new DateStyles(dateStyle);
}
