import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/** A temp folder removed after the test file; `write` returns the path of a new file in it. */
export function tempFiles() {
  const dir = mkdtempSync(join(tmpdir(), "sales-insight-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name: string, content: string | Buffer): string {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

export const FIXTURES = new URL("../fixtures/files/", import.meta.url).pathname;
export const SAMPLE_DATA = new URL("../../sample_data/", import.meta.url).pathname;
