import type { Cell } from "../cell.js";
import { type Limits, xlsxTextLimits } from "../limits.js";
import { WorkbookArchive } from "./xlsx/archive.js";
import { readSharedStrings, type SharedStrings } from "./xlsx/shared-strings.js";
import { readSheet } from "./xlsx/sheet.js";
import { DateStyles, readDateStyles } from "./xlsx/styles.js";
import { readWorkbookPlan } from "./xlsx/workbook.js";

export interface SheetSink {
  startSheet(name: string, options: { date1904: boolean }): void;
  row(cells: Cell[], rowNumber: number): void;
  endSheet(): void;
}

/**
 * Streams every worksheet of an .xlsx through `sink`, in workbook order, row by row. The zip is read
 * through its central directory only, and only the parts the workbook's relationships lead to are
 * inflated: workbook -> shared strings -> styles -> each sheet. Every inflated byte counts against the
 * limits as it is produced; nothing is written to disk. Memory is the shared-string table (capped) plus
 * one row at a time.
 */
export async function readXlsx(path: string, limits: Limits, sink: SheetSink): Promise<void> {
  const archive = await WorkbookArchive.open(path, limits);
  try {
    const text = xlsxTextLimits(limits);
    const plan = await readWorkbookPlan(archive);
    let strings: SharedStrings | null = null;
    if (plan.sharedStrings) strings = await readSharedStrings(archive, plan.sharedStrings, text);
    const styles = plan.styles ? await readDateStyles(archive, plan.styles) : DateStyles.none();
    const context = { strings, styles, date1904: plan.date1904, maxColumns: limits.maxColumns, text };
    for (const sheet of plan.sheets) {
      sink.startSheet(sheet.name, { date1904: plan.date1904 });
      await readSheet(archive, sheet.part, context, (cells, rowNumber) => sink.row(cells, rowNumber));
      sink.endSheet();
    }
  } finally {
    archive.close();
  }
}
