import { constants, type Stats } from "node:fs";
import { access, stat } from "node:fs/promises";
import { InputError } from "../errors.js";

const WHAT_TO_GIVE = "Give the path of a CSV or .xlsx file.";

/**
 * Checks that `path` is a regular file this process can read, before anything opens it: opening a
 * named pipe for reading blocks until something writes to it, and a device or socket is no
 * spreadsheet. Problems the user can fix become InputErrors (exit 2 in the CLI) naming what is wrong.
 */
export async function statInputFile(path: string): Promise<Stats> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    throw fileAccessError(error);
  }
  if (stats.isDirectory())
    throw new InputError("not-a-file", `This is a folder, not a file. ${WHAT_TO_GIVE}`);
  if (!stats.isFile()) {
    throw new InputError(
      "not-a-file",
      `This is ${specialKind(stats)}, not a regular file; it cannot be read as a spreadsheet. Save the data to a file first. ${WHAT_TO_GIVE}`,
    );
  }
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw fileAccessError(error);
  }
  return stats;
}

function specialKind(stats: Stats): string {
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "a special file";
}

function fileAccessError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "ENOTDIR")
    return new InputError("not-found", "File not found: check the path and the file name.", {
      cause: error,
    });
  if (code === "EACCES" || code === "EPERM")
    return new InputError(
      "unreadable",
      "Permission denied: this file (or a folder on its path) cannot be read by you. Check its permissions.",
      { cause: error },
    );
  if (code === "ELOOP")
    return new InputError("not-found", `The path is a loop of symbolic links, not a file. ${WHAT_TO_GIVE}`, {
      cause: error,
    });
  return error;
}
