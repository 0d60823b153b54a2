import { createReadStream } from "node:fs";
import { InputError } from "../../errors.js";
import type { Cell } from "../cell.js";
import type { Limits } from "../limits.js";
import { assertSafeZip, listZipEntries } from "./zip-guard.js";

export interface SheetSink {
  startSheet(name: string, options: { date1904: boolean }): void;
  row(cells: Cell[], rowNumber: number): void;
  endSheet(): void;
}

const EXPECTED = "Expected a CSV file or an Excel .xlsx workbook.";

/** What a zip that is not a workbook most likely is, for the refusal message. */
function describeZip(names: string[]): string {
  if (names.some((n) => n.startsWith("word/"))) return "a Word document (.docx)";
  if (names.some((n) => n.startsWith("ppt/"))) return "a PowerPoint file (.pptx)";
  if (names.includes("content.xml") && names.includes("mimetype"))
    return "an OpenDocument file (.ods/.odt); save it as .xlsx or CSV";
  return "a zip archive";
}

/**
 * Streams every worksheet of an .xlsx through `sink`, with exceljs's streaming reader (memory grows with
 * shared strings, not with rows). The zip is vetted first: it must be a workbook, and not a bomb.
 */
export async function readXlsx(path: string, limits: Limits, sink: SheetSink): Promise<void> {
  const entries = await listZipEntries(path, limits);
  const names = entries.map((e) => e.name);
  if (!names.includes("xl/workbook.xml")) {
    throw new InputError("unsupported-type", `This is ${describeZip(names)}, not a spreadsheet. ${EXPECTED}`);
  }
  await assertSafeZip(path, entries, limits);

  // Loaded on demand: exceljs adds about a tenth of a second to start-up that CSV users never need.
  const { default: ExcelJS } = await import("exceljs");
  const stream = createReadStream(path);
  // Styles are ignored on purpose: caching them costs about a quarter of the parse time, and date
  // columns are recognised by header and converted from Excel serial numbers instead.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: "cache",
    styles: "ignore",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  try {
    const events = (
      reader as unknown as { parse(): AsyncIterable<{ eventType: string; value: unknown }> }
    ).parse();
    for await (const { eventType, value } of events) {
      if (eventType !== "worksheet") continue;
      const worksheet = value as WorksheetReaderLike;
      const date1904 = Boolean(
        (reader as unknown as { properties?: { date1904?: boolean } }).properties?.date1904,
      );
      sink.startSheet(worksheet.name ?? `Sheet ${worksheet.id}`, { date1904 });
      for await (const events of worksheet.parse()) {
        for (const event of events) {
          if (event.eventType === "row") sink.row(plainRow(event.value.values), event.value.number);
        }
      }
      sink.endSheet();
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      "corrupt",
      "The workbook could not be read; it may be damaged. Re-save it in Excel and try again.",
      {
        cause: error,
      },
    );
  } finally {
    stream.destroy();
  }
}

interface WorksheetReaderLike {
  id: string | number;
  name?: string;
  parse(): AsyncIterable<{ eventType: string; value: { values: unknown[]; number: number } }[]>;
}

/** exceljs rows are 1-based sparse arrays of rich objects; the pipeline wants plain values from 0. */
function plainRow(values: unknown[]): Cell[] {
  const cells: Cell[] = new Array(Math.max(0, values.length - 1));
  for (let i = 1; i < values.length; i++) cells[i - 1] = plainCell(values[i]);
  return cells;
}

function plainCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "object": {
      if (value instanceof Date) return value;
      const v = value as Record<string, unknown>;
      if ("result" in v) return plainCell(v.result);
      if ("formula" in v || "sharedFormula" in v) return null;
      if (Array.isArray(v.richText)) return v.richText.map((r: { text?: string }) => r.text ?? "").join("");
      if ("text" in v) return plainCell(v.text);
      return null;
    }
    default:
      return null;
  }
}
