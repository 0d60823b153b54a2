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
  /**
   * Write every size and offset in ZIP64 form, as writers in "always ZIP64" mode do (Apache POI/NPOI
   * SXSSF, Perl's SimpleZip): 0xFFFFFFFF in the classic fields, the real values in extra field 0x0001,
   * and a ZIP64 end record with its locator before the classic end record.
   */
  zip64?: boolean;
}

const ZIP64_MARK = 0xffffffff;

function zip64Extra(values: number[]): Buffer {
  const extra = Buffer.alloc(4 + 8 * values.length);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(8 * values.length, 2);
  for (const [i, v] of values.entries()) extra.writeBigUInt64LE(BigInt(v), 4 + 8 * i);
  return extra;
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
    const z64 = options.zip64 === true;
    const localExtra = z64 ? zip64Extra([size, body.length]) : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(z64 ? 45 : 20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 14);
    local.writeUInt32LE(z64 ? ZIP64_MARK : body.length, 18);
    local.writeUInt32LE(z64 ? ZIP64_MARK : size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    locals.push(local, name, localExtra, body);
    if (!file.unlisted) {
      const centralExtra = z64 ? zip64Extra([size, body.length, offset]) : Buffer.alloc(0);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(z64 ? 45 : 20, 4);
      central.writeUInt16LE(z64 ? 45 : 20, 6);
      central.writeUInt16LE(flags, 8);
      central.writeUInt16LE(method, 10);
      central.writeUInt32LE(z64 ? ZIP64_MARK : body.length, 20);
      central.writeUInt32LE(z64 ? ZIP64_MARK : size, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt16LE(centralExtra.length, 30);
      central.writeUInt32LE(z64 ? ZIP64_MARK : offset, 42);
      centrals.push(central, name, centralExtra);
      listed++;
    }
    offset += local.length + name.length + localExtra.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (options.zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(listed), 24);
    record.writeBigUInt64LE(BigInt(listed), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const z64End = options.zip64 === true;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(z64End ? 0xffff : listed, 8);
  end.writeUInt16LE(z64End ? 0xffff : listed, 10);
  end.writeUInt32LE(z64End ? ZIP64_MARK : directory.length, 12);
  end.writeUInt32LE(z64End ? ZIP64_MARK : offset, 16);
  tail.push(end);
  return Buffer.concat([...locals, directory, ...tail]);
}
