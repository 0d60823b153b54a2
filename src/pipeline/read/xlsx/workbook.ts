import { InputError } from "../../../errors.js";
import { damaged, type WorkbookArchive } from "./archive.js";
import { parsePart, prefixedAttribute } from "./xml.js";

/** The parts of a workbook the reader needs, found by following relationships, never by guessing. */
export interface WorkbookPlan {
  date1904: boolean;
  /** Worksheets in workbook (tab) order; chart and macro sheets are left out. */
  sheets: { name: string; part: string }[];
  sharedStrings: string | null;
  styles: string | null;
}

interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

const EXPECTED = "Expected a CSV file or an Excel .xlsx workbook.";
/** Excel allows 255 sheets per window but no hard limit; thousands of sheet names means a crafted file. */
const MAX_SHEETS = 10_000;

/** What a zip that is not a workbook most likely is, and what to do: the refusal message's first sentence. */
export function describeZip(names: string[]): string {
  const lower = names.map((n) => n.toLowerCase());
  if (lower.includes("xl/workbook.bin"))
    return "This is an Excel binary workbook (.xlsb), which cannot be read here: save it in Excel as .xlsx or CSV.";
  if (lower.some((n) => n.startsWith("word/"))) return "This is a Word document (.docx), not a spreadsheet.";
  if (lower.some((n) => n.startsWith("ppt/"))) return "This is a PowerPoint file (.pptx), not a spreadsheet.";
  if (lower.includes("content.xml") && lower.includes("mimetype"))
    return "This is an OpenDocument spreadsheet (.ods), which cannot be read here: save it as .xlsx or CSV (File > Save As).";
  const inside = names.filter((n) => /\.(?:csv|tsv|xlsx|xls)$/i.test(n)).map((n) => n.split("/").pop() ?? n);
  if (inside.length > 0) {
    const shown = inside.slice(0, 3).join(", ") + (inside.length > 3 ? ", …" : "");
    return `This is a zip archive holding ${shown}: unzip it and upload the spreadsheet inside.`;
  }
  return "This is a zip archive without an Excel workbook inside.";
}

export async function readWorkbookPlan(archive: WorkbookArchive): Promise<WorkbookPlan> {
  const workbookPart = await findWorkbookPart(archive);

  let date1904 = false;
  let rootSeen = false;
  const listed: { name: string; rid: string }[] = [];
  await parsePart(archive, workbookPart, {
    open(name, attributes) {
      if (!rootSeen) {
        rootSeen = true;
        if (name !== "workbook") throw notAWorkbook(archive);
        return;
      }
      if (name === "workbookPr") {
        const flag = attributes.date1904;
        date1904 = flag === "1" || flag === "true";
      } else if (name === "sheet") {
        if (listed.length >= MAX_SHEETS) throw damaged(`more than ${MAX_SHEETS} sheets`);
        listed.push({ name: attributes.name ?? "", rid: prefixedAttribute(attributes, "id") ?? "" });
      }
    },
    close() {},
    text() {},
    wantsText: () => false,
  });

  const relationships = await readRelationships(archive, relsPathFor(workbookPart));
  const byId = new Map(relationships.map((r) => [r.id, r]));
  const sheets: WorkbookPlan["sheets"] = [];
  for (const [i, sheet] of listed.entries()) {
    const name = sheet.name || `Sheet ${i + 1}`;
    const rel = byId.get(sheet.rid);
    if (rel && !rel.type.endsWith("/worksheet")) continue; // chart sheets, dialog and macro sheets
    const part = rel && !rel.external ? resolveTarget(workbookPart, rel.target) : null;
    if (!part || !archive.has(part)) {
      throw new InputError(
        "corrupt",
        `The workbook lists a sheet "${name}" that is missing from the file; it may be damaged. Open it in Excel, save it again as .xlsx and try again.`,
        { detail: `sheet ${name} (${sheet.rid}) -> ${part ?? "no relationship"}` },
      );
    }
    sheets.push({ name, part });
  }
  const partOfType = (suffix: string): string | null => {
    const rel = relationships.find((r) => r.type.endsWith(suffix) && !r.external);
    const part = rel ? resolveTarget(workbookPart, rel.target) : null;
    return part && archive.has(part) ? part : null;
  };
  return { date1904, sheets, sharedStrings: partOfType("/sharedStrings"), styles: partOfType("/styles") };
}

/** The package's start part, from _rels/.rels; xl/workbook.xml when a writer left the root rels out. */
async function findWorkbookPart(archive: WorkbookArchive): Promise<string> {
  let part: string | null = null;
  if (archive.has("_rels/.rels")) {
    const root = await readRelationships(archive, "_rels/.rels");
    const office = root.find((r) => r.type.endsWith("/officeDocument") && !r.external);
    if (office) part = resolveTarget("", office.target);
  }
  if (part && archive.has(part)) return part;
  if (archive.has("xl/workbook.xml")) return "xl/workbook.xml";
  throw notAWorkbook(archive);
}

function notAWorkbook(archive: WorkbookArchive): InputError {
  return new InputError("unsupported-type", `${describeZip(archive.names)} ${EXPECTED}`, {
    detail: "zip without xl/workbook.xml",
  });
}

async function readRelationships(archive: WorkbookArchive, part: string): Promise<Relationship[]> {
  const out: Relationship[] = [];
  if (!archive.has(part)) return out;
  await parsePart(archive, part, {
    open(name, a) {
      if (name !== "Relationship") return;
      if (out.length >= MAX_SHEETS * 4) throw damaged(`${part} lists too many relationships`);
      out.push({
        id: a.Id ?? "",
        type: a.Type ?? "",
        target: a.Target ?? "",
        external: a.TargetMode === "External",
      });
    },
    close() {},
    text() {},
    wantsText: () => false,
  });
  return out;
}

/** xl/workbook.xml -> xl/_rels/workbook.xml.rels */
function relsPathFor(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/**
 * A relationship target is a URI relative to the source part's folder, or absolute from the package
 * root ("/xl/worksheets/sheet1.xml"); percent-escapes and "." / ".." segments are resolved.
 */
export function resolveTarget(sourcePart: string, target: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(target.replace(/\\/g, "/"));
  } catch {
    return null;
  }
  const base = decoded.startsWith("/") ? [] : sourcePart.split("/").slice(0, -1);
  const segments = [...base];
  for (const segment of decoded.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return segments.length === 0 ? null : segments.join("/");
}
