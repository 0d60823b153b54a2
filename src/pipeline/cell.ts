/** One cell as the readers hand it over: CSV gives strings; XLSX also gives numbers, booleans and dates. */
export type Cell = string | number | boolean | Date | null | undefined;

export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return cell.trim();
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? "" : cell.toISOString().slice(0, 10);
  return String(cell);
}

export function isBlankCell(cell: Cell): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === "string") return cell.trim() === "";
  return false;
}

/** Excel's error values ("#N/A", "#DIV/0!"), as a workbook cell or a CSV export shows them. */
const EXCEL_ERROR =
  /^#(?:N\/A|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|BLOCKED!|GETTING_DATA)$/i;

/** A failed formula's result: no value, though not an empty cell (the notes name it). */
export function isExcelError(cell: Cell): boolean {
  return typeof cell === "string" && cell.charCodeAt(0) === 35 && EXCEL_ERROR.test(cell.trim());
}
