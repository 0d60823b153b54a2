import { buildZip, type ZipFile } from "./zip.js";

/**
 * A cell for the workbook builder: text, a number, a boolean, a Date (written as a date-formatted serial
 * number, the way Excel stores dates), a formula with or without a cached value, or an explicit
 * number with a style index (see STYLES).
 */
export type SpecCell =
  | string
  | number
  | boolean
  | Date
  | null
  | { formula: string; cached?: number | string }
  | { number: number; style: number };

export interface SheetSpec {
  name: string;
  rows: SpecCell[][];
}

export interface WorkbookSpec {
  sheets: SheetSpec[];
  /** "shared" writes text to sharedStrings.xml (Excel, exceljs); "inline" writes <is><t> (some exporters). */
  strings?: "shared" | "inline";
  date1904?: boolean;
  /**
   * Zip entry order. "excel": workbook parts first, sheets last. "strings-last": sharedStrings.xml is the
   * very last entry, after the sheets. "xlsxwriter": the order Python's xlsxwriter (pandas' engine) uses,
   * sheets before styles and shared strings, workbook rels last.
   */
  order?: "excel" | "strings-last" | "xlsxwriter";
  /** Parts replaced (string/Buffer) or removed (null) after building, by zip path. */
  replace?: Record<string, string | Buffer | null>;
  /** Extra zip entries (e.g. unlisted ones), placed before the workbook's own. */
  before?: ZipFile[];
}

/**
 * Style indexes (cellXfs) every built workbook has: 0 General, 1 built-in date 14 (m/d/yyyy), 2 custom
 * "yyyy-mm-dd hh:mm", 3 money "#,##0.00", 4 time only "h:mm", 5 custom text-looking "0 \"days\"".
 */
export const STYLES = { general: 0, date: 1, customDate: 2, money: 3, time: 4, days: 5 } as const;

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";

export function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function columnLetters(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Excel serial number of a UTC date (1900 date system unless `date1904`). */
export function excelSerial(date: Date, date1904 = false): number {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return (date.getTime() - epoch) / 86_400_000;
}

export function sheetXml(rows: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetData>${rows.join("")}</sheetData></worksheet>`;
}

/** All parts of a workbook, in the requested zip order. */
export function workbookParts(spec: WorkbookSpec): ZipFile[] {
  const shared: string[] = [];
  const sharedIndex = new Map<string, number>();
  const inline = spec.strings === "inline";
  const cellXml = (cell: SpecCell, ref: string): string => {
    if (cell === null) return "";
    if (typeof cell === "string") {
      if (inline) return `<c r="${ref}" t="inlineStr"><is><t>${xmlEscape(cell)}</t></is></c>`;
      let i = sharedIndex.get(cell);
      if (i === undefined) {
        i = shared.length;
        shared.push(cell);
        sharedIndex.set(cell, i);
      }
      return `<c r="${ref}" t="s"><v>${i}</v></c>`;
    }
    if (typeof cell === "number") return `<c r="${ref}"><v>${cell}</v></c>`;
    if (typeof cell === "boolean") return `<c r="${ref}" t="b"><v>${cell ? 1 : 0}</v></c>`;
    if (cell instanceof Date) {
      return `<c r="${ref}" s="${STYLES.date}"><v>${excelSerial(cell, spec.date1904)}</v></c>`;
    }
    if ("formula" in cell) {
      const f = `<f>${xmlEscape(cell.formula)}</f>`;
      if (cell.cached === undefined) return `<c r="${ref}">${f}</c>`;
      if (typeof cell.cached === "string")
        return `<c r="${ref}" t="str">${f}<v>${xmlEscape(cell.cached)}</v></c>`;
      return `<c r="${ref}">${f}<v>${cell.cached}</v></c>`;
    }
    return `<c r="${ref}" s="${cell.style}"><v>${cell.number}</v></c>`;
  };

  const sheetParts: ZipFile[] = spec.sheets.map((sheet, s) => {
    const rows = sheet.rows.map((row, r) => {
      const cells = row.map((cell, c) => cellXml(cell, `${columnLetters(c)}${r + 1}`)).join("");
      return `<row r="${r + 1}">${cells}</row>`;
    });
    return { name: `xl/worksheets/sheet${s + 1}.xml`, data: Buffer.from(sheetXml(rows)) };
  });

  const sheetEntries = spec.sheets
    .map((sheet, s) => `<sheet name="${xmlEscape(sheet.name)}" sheetId="${s + 1}" r:id="rId${s + 1}"/>`)
    .join("");
  const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}"><workbookPr${spec.date1904 ? ' date1904="1"' : ""}/><sheets>${sheetEntries}</sheets></workbook>`;
  const n = spec.sheets.length;
  const workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}">${spec.sheets
    .map(
      (_, s) =>
        `<Relationship Id="rId${s + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${s + 1}.xml"/>`,
    )
    .join(
      "",
    )}<Relationship Id="rId${n + 1}" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId${n + 2}" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`;
  const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/><numFmt numFmtId="165" formatCode="0 &quot;days&quot;"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="4" applyNumberFormat="1"/><xf numFmtId="20" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs></styleSheet>`;
  const sharedStrings = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${MAIN}" count="${shared.length}" uniqueCount="${shared.length}">${shared
    .map((t) => `<si><t xml:space="preserve">${xmlEscape(t)}</t></si>`)
    .join("")}</sst>`;

  const part = (name: string, text: string): ZipFile => ({ name, data: Buffer.from(text) });
  const head = [part("[Content_Types].xml", contentTypes), part("_rels/.rels", rootRels)];
  const wb = part("xl/workbook.xml", workbook);
  const wbRels = part("xl/_rels/workbook.xml.rels", workbookRels);
  const st = part("xl/styles.xml", styles);
  const sst = inline ? [] : [part("xl/sharedStrings.xml", sharedStrings)];
  let ordered: ZipFile[];
  switch (spec.order ?? "excel") {
    case "strings-last":
      ordered = [...head, wb, wbRels, st, ...sheetParts, ...sst];
      break;
    case "xlsxwriter":
      ordered = [
        ...head,
        part("docProps/app.xml", "<Properties/>"),
        part("docProps/core.xml", "<cp:coreProperties xmlns:cp='urn:x'/>"),
        wb,
        ...sheetParts,
        part("xl/theme/theme1.xml", `<a:theme xmlns:a="urn:x"/>`),
        st,
        ...sst,
        wbRels,
      ];
      break;
    default:
      ordered = [...head, wb, wbRels, st, ...sst, ...sheetParts];
  }
  const replaced: ZipFile[] = [];
  for (const file of ordered) {
    const replacement = spec.replace?.[file.name];
    if (replacement === null) continue;
    if (replacement === undefined) replaced.push(file);
    else replaced.push({ name: file.name, data: Buffer.from(replacement) });
  }
  for (const [name, data] of Object.entries(spec.replace ?? {})) {
    if (data !== null && !ordered.some((f) => f.name === name))
      replaced.push({ name, data: Buffer.from(data) });
  }
  return [...(spec.before ?? []), ...replaced];
}

export function buildWorkbook(spec: WorkbookSpec): Buffer {
  return buildZip(workbookParts(spec));
}
