import { deflateRawSync } from "node:zlib";

export interface ZipFile {
  name: string;
  data: Buffer;
  /** Size to write into the headers; lets a test build a zip that lies about its contents. */
  declaredSize?: number;
  store?: boolean;
  /** Written as a local header and data only, left out of the central directory (a smuggled entry). */
  unlisted?: boolean;
  /** General-purpose flags (bit 0: encrypted). */
  flags?: number;
  /** Compression method to declare instead of 8/0 (the data is still deflated or stored). */
  method?: number;
  /** Already-compressed bytes to write as the body (e.g. one deflated buffer reused for many entries). */
  body?: Buffer;
}

export interface ZipOptions {
  /** Put a ZIP64 end-of-central-directory locator before the classic end record. */
  zip64Locator?: boolean;
}

/** A minimal zip writer for tests: enough to fake .docx files, tiny workbooks and zip bombs. */
export function buildZip(files: ZipFile[], options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let listed = 0;
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, "utf8");
    const body = file.body ?? (file.store ? file.data : deflateRawSync(file.data));
    const size = file.declaredSize ?? file.data.length;
    const method = file.method ?? (file.store ? 0 : 8);
    const flags = file.flags ?? 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    if (!file.unlisted) {
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(flags, 8);
      central.writeUInt16LE(method, 10);
      central.writeUInt32LE(body.length, 20);
      central.writeUInt32LE(size, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt32LE(offset, 42);
      centrals.push(central, name);
      listed++;
    }
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (options.zip64Locator) {
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    tail.push(locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(listed, 8);
  end.writeUInt16LE(listed, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  tail.push(end);
  return Buffer.concat([...locals, directory, ...tail]);
}
