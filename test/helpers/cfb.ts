/**
 * A CFB (OLE compound file) shaped enough for sniffing: the 512-byte header with the magic, the sector
 * shift and the first directory sector, then directory entries (128 bytes each, UTF-16LE names) at that
 * sector. Stream contents are filler; no FAT is written, since nothing here follows sector chains.
 */
export function buildCfb(streamNames: string[], options: { directorySector?: number } = {}): Buffer {
  const sectorSize = 512;
  const directorySector = options.directorySector ?? 1;
  const header = Buffer.alloc(sectorSize);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x003e, 0x18); // minor version
  header.writeUInt16LE(3, 0x1a); // major version 3: 512-byte sectors
  header.writeUInt16LE(0xfffe, 0x1c); // little-endian byte order mark
  header.writeUInt16LE(9, 0x1e); // sector shift: 2^9 = 512
  header.writeUInt16LE(6, 0x20); // mini sector shift
  header.writeUInt32LE(directorySector, 0x30);
  const entries = ["Root Entry", ...streamNames].map((name) => {
    const entry = Buffer.alloc(128);
    const encoded = Buffer.from(`${name}\0`, "utf16le");
    encoded.copy(entry, 0);
    entry.writeUInt16LE(encoded.length, 0x40);
    entry[0x42] = name === "Root Entry" ? 5 : 2; // root storage / stream
    return entry;
  });
  // Sector n starts at (n + 1) * 512: the header takes the place of sector -1.
  const filler = Buffer.alloc(directorySector * sectorSize, 0x5a);
  const directory = Buffer.concat(entries);
  const padded = Buffer.alloc(Math.ceil(directory.length / sectorSize) * sectorSize);
  directory.copy(padded);
  return Buffer.concat([header, filler, padded]);
}
