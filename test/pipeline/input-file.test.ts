import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { analyzeFile } from "../../src/pipeline/analyze.js";
import { tempFiles } from "../helpers/files.js";

const files = tempFiles();

/** Settles with what `promise` settled with, or "hung" after `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | Error | "hung"> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), ms);
  });
  try {
    return await Promise.race([promise.catch((error: Error) => error), hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe("analyzeFile on paths that are not regular files (shared by the bot and the CLI)", () => {
  it("refuses a named pipe without opening it", async () => {
    const fifo = join(files.dir, "orders.csv");
    execFileSync("mkfifo", [fifo]);
    const outcome = await within(analyzeFile(fifo), 3000);
    if (outcome === "hung") {
      // The old code sits in open(2) waiting for a writer: be that writer so the worker thread ends.
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    }
    expect(outcome).not.toBe("hung");
    expect(outcome).toBeInstanceOf(InputError);
    expect((outcome as InputError).problem).toBe("not-a-file");
  });

  it("names a folder and a missing file as input problems", async () => {
    await expect(analyzeFile(files.dir)).rejects.toMatchObject({ problem: "not-a-file" });
    await expect(analyzeFile(join(files.dir, "missing.csv"))).rejects.toMatchObject({
      problem: "not-found",
      userMessage: expect.stringMatching(/File not found/),
    });
  });
});
