import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { cfbDirectoryOffset, sniff } from "../../../src/pipeline/read/sniff.js";
import { buildCfb } from "../../helpers/cfb.js";
import { tempFiles } from "../../helpers/files.js";

const files = tempFiles();

function sniffError(head: Uint8Array, directory?: Uint8Array): InputError {
  try {
    sniff(head, directory);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected sniff to refuse the file");
}

const ENCRYPTED_STREAMS = ["\u0006DataSpaces", "EncryptionInfo", "EncryptedPackage"];

describe("sniff: OLE compound files (issue 8, item 11)", () => {
  it("says a password-protected workbook is password-protected, not an old-format file", () => {
    const error = sniffError(buildCfb(ENCRYPTED_STREAMS));
    expect(error.problem).toBe("unsupported-type");
    expect(error.userMessage).toMatch(/password-protected.*remove the password.*save it/);
    expect(error.userMessage).not.toMatch(/old-format/);
  });

  it("still calls a plain .xls an old-format file to save as .xlsx", () => {
    const error = sniffError(buildCfb(["Workbook", "\u0005SummaryInformation"]));
    expect(error.userMessage).toMatch(/old-format Office file.*save as \.xlsx or CSV/);
  });

  it("finds the directory from the CFB header when it lies beyond the head", () => {
    const file = buildCfb(ENCRYPTED_STREAMS, { directorySector: 300 });
    const head = file.subarray(0, 64 * 1024);
    expect(cfbDirectoryOffset(head)).toBe(301 * 512);
    expect(sniffError(head).userMessage).toMatch(/old-format/);
    expect(sniffError(head, file.subarray(301 * 512)).userMessage).toMatch(/password-protected/);
  });

  it("analyzeFile refuses a password-protected .xlsx with the password message, wherever its directory is", async () => {
    for (const directorySector of [1, 300]) {
      const path = files.write(
        `locked-${directorySector}.xlsx`,
        buildCfb(ENCRYPTED_STREAMS, { directorySector }),
      );
      const error = await analyzeFile(path).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).userMessage).toMatch(/password-protected/);
    }
  });
});
