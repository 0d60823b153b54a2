import { InputError } from "../../../errors.js";
import type { XlsxTextLimits } from "../../limits.js";
import type { WorkbookArchive } from "./archive.js";
import { parsePart } from "./xml.js";

/** Slabs the UTF-8 text is packed into; one string never spans two, so none is ever copied again. */
const SLAB_BYTES = 1024 * 1024;

/**
 * The workbook's shared-string table, packed as UTF-8 into 1 MiB slabs with two offset arrays, instead
 * of one JS string per entry. A million tiny JS strings cost about 40 MB of headers alone; packed they
 * cost 8 bytes each plus their text, so the caps on count and bytes are a real bound on memory.
 * Strings are decoded again on each lookup, which costs ~0.1 µs per cell.
 */
export class SharedStrings {
  private readonly slabs: Buffer[] = [];
  private starts = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  private slabUsed = SLAB_BYTES;
  private bytes = 0;
  count = 0;

  constructor(private readonly limits: XlsxTextLimits) {}

  add(text: string): void {
    if (this.count >= this.limits.maxSharedStrings) throw tooManyStrings(this.limits);
    // Three bytes per UTF-16 unit is the worst case; measure exactly only when that might not fit.
    if (this.slabUsed + text.length * 3 > SLAB_BYTES) {
      if (this.slabUsed + Buffer.byteLength(text, "utf8") > SLAB_BYTES) {
        this.slabs.push(Buffer.allocUnsafe(SLAB_BYTES));
        this.slabUsed = 0;
      }
    }
    const slab = this.slabs[this.slabs.length - 1] as Buffer;
    const written = text.length === 0 ? 0 : slab.write(text, this.slabUsed, "utf8");
    this.bytes += written;
    if (this.bytes > this.limits.maxSharedStringBytes) throw tooMuchText(this.limits);
    if (this.count === this.starts.length) this.grow();
    this.starts[this.count] = (this.slabs.length - 1) * SLAB_BYTES + this.slabUsed;
    this.lengths[this.count] = written;
    this.slabUsed += written;
    this.count++;
  }

  /** The string at `index`, or null for an index the table does not have. */
  get(index: number): string | null {
    if (!(index >= 0 && index < this.count)) return null;
    const length = this.lengths[index] as number;
    if (length === 0) return "";
    const start = this.starts[index] as number;
    const slab = this.slabs[Math.floor(start / SLAB_BYTES)] as Buffer;
    const offset = start % SLAB_BYTES;
    return slab.toString("utf8", offset, offset + length);
  }

  private grow(): void {
    const size = Math.min(this.starts.length * 2, this.limits.maxSharedStrings);
    const starts = new Uint32Array(size);
    starts.set(this.starts);
    this.starts = starts;
    const lengths = new Uint32Array(size);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }
}

/**
 * Reads sharedStrings.xml: each <si> is one string, either a plain <t> or rich-text runs <r><t> that are
 * joined; phonetic guides (<rPh>, furigana) are not part of the value and are left out.
 */
export async function readSharedStrings(
  archive: WorkbookArchive,
  part: string,
  limits: XlsxTextLimits,
): Promise<SharedStrings> {
  const strings = new SharedStrings(limits);
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  let text = "";
  await parsePart(archive, part, {
    open(name) {
      if (name === "si") {
        inItem = true;
        text = "";
      } else if (name === "t") inText = true;
      else if (name === "rPh") phonetic++;
    },
    close(name) {
      if (name === "t") inText = false;
      else if (name === "rPh") phonetic--;
      else if (name === "si") {
        inItem = false;
        strings.add(text);
        text = "";
      }
    },
    text(chunk) {
      text += chunk;
      if (text.length > limits.maxCellChars) throw cellTooLong(limits);
    },
    wantsText: () => inItem && inText && phonetic === 0,
  });
  return strings;
}

function tooManyStrings(limits: XlsxTextLimits): InputError {
  return new InputError(
    "too-large",
    `The workbook holds more than ${limits.maxSharedStrings.toLocaleString("en-US")} distinct text values, more than can be analysed safely. Save the sales sheet as CSV and upload that instead.`,
    { detail: `shared strings over maxSharedStrings=${limits.maxSharedStrings}` },
  );
}

function tooMuchText(limits: XlsxTextLimits): InputError {
  const mb = Math.round(limits.maxSharedStringBytes / 1024 / 1024);
  return new InputError(
    "too-large",
    `The workbook's text values add up to more than ${mb} MB, more than can be analysed safely. Save the sales sheet as CSV and upload that instead.`,
    { detail: `shared strings over maxSharedStringBytes=${limits.maxSharedStringBytes}` },
  );
}

export function cellTooLong(limits: XlsxTextLimits): InputError {
  return new InputError(
    "too-large",
    `A cell in the workbook holds more than ${limits.maxCellChars.toLocaleString("en-US")} characters, which Excel itself does not allow, so the file was not saved by Excel or is damaged. Open it in Excel, save it again and try again.`,
    { detail: `cell text over maxCellChars=${limits.maxCellChars}` },
  );
}
