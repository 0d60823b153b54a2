import { SaxesParser } from "saxes";
import { InputError } from "../../../errors.js";
import { damaged, type WorkbookArchive } from "./archive.js";

/** SpreadsheetML never nests deeper than about ten elements; thousands means a crafted part. */
const MAX_DEPTH = 256;
/**
 * Characters of XML the parser may buffer without meeting a tag boundary. saxes keeps a whole text node
 * or tag in memory until it ends, so a part that is one huge text node would otherwise be held whole.
 * Generous: Excel's longest cell (32,767 characters) with every character written as an entity fits.
 */
const MAX_UNBROKEN_CHARS = 1024 * 1024;

/** What a part parser reacts to; element names arrive without their namespace prefix ("x:row" -> "row"). */
export interface PartHandlers {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  /** Called only while `wantsText()` says so: text between tags we do not keep is not even delivered. */
  text(text: string): void;
  wantsText(): boolean;
}

/**
 * Streams one XML part of the workbook through saxes. The zip layer bounds the bytes; this bounds what
 * the XML parser can be made to hold at once (nesting depth and unbroken runs of text), and turns any
 * XML that is not well-formed into the "damaged, re-save it" message.
 */
export async function parsePart(
  archive: WorkbookArchive,
  part: string,
  handlers: PartHandlers,
): Promise<void> {
  // position:false: line/column tracking costs about a tenth of the parse time and we never show it.
  const parser = new SaxesParser({ position: false });
  let depth = 0;
  parser.on("opentag", (tag) => {
    if (++depth > MAX_DEPTH) throw damaged(`${part} nests elements more than ${MAX_DEPTH} deep`);
    handlers.open(localName(tag.name), tag.attributes as Record<string, string>);
  });
  parser.on("closetag", (tag) => {
    depth--;
    handlers.close(localName(tag.name));
  });
  const onText = (text: string) => {
    if (handlers.wantsText()) handlers.text(text);
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  // OOXML forbids DTDs; refusing them also rules out every entity-expansion trick.
  parser.on("doctype", () => {
    throw damaged(`${part} declares a DOCTYPE`);
  });

  let sinceOpen = 0;
  let sinceClose = 0;
  try {
    await archive.readText(part, (chunk) => {
      const lastOpen = chunk.lastIndexOf("<");
      const lastClose = chunk.lastIndexOf(">");
      sinceOpen = lastOpen === -1 ? sinceOpen + chunk.length : chunk.length - lastOpen;
      sinceClose = lastClose === -1 ? sinceClose + chunk.length : chunk.length - lastClose;
      if (sinceOpen > MAX_UNBROKEN_CHARS || sinceClose > MAX_UNBROKEN_CHARS) {
        throw damaged(`${part} has more than ${MAX_UNBROKEN_CHARS} characters without a tag`);
      }
      parser.write(chunk);
    });
    parser.close();
  } catch (error) {
    if (error instanceof InputError) throw error;
    // saxes reports malformed XML by throwing from write()/close().
    throw damaged(`${part} is not well-formed XML: ${error instanceof Error ? error.message : error}`, error);
  }
}

export function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/** An attribute by local name, whatever prefix the writer bound (r:id, ns1:id, ...). */
export function prefixedAttribute(attributes: Record<string, string>, local: string): string | undefined {
  for (const key in attributes) {
    if (key.includes(":") && localName(key) === local) return attributes[key];
  }
  return undefined;
}
