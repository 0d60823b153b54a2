import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { SAMPLE_DATA, tempFiles } from "../helpers/files.js";

const files = tempFiles();

/** Every module URL an offline `analyze FILE --json` run of the CLI loads (a module hook records them). */
function modulesLoaded(file: string, name: string): string[] {
  const loaded = files.write(`${name}.txt`, "");
  const hooks = files.write(
    "hooks.mjs",
    `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(loaded)}, url + "\\n");
  return next(url, context);
}`,
  );
  const register = files.write(
    "register.mjs",
    `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(hooks).href)});`,
  );
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "--import", register, "src/cli.ts", "analyze", file, "--json"],
    { encoding: "utf8", cwd: process.cwd(), env: { PATH: process.env.PATH, MAX_ROWS: "500000" } },
  );
  expect(run.status, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout).rows).toBeGreaterThan(0);
  expect(existsSync(loaded)).toBe(true);
  const urls = readFileSync(loaded, "utf8").split("\n");
  // The hook saw the CLI's own modules, so an empty list cannot pass for "none loaded".
  expect(urls.some((u) => u.includes("/src/cli/main.ts"))).toBe(true);
  return urls;
}

/** Start-up is a fixed cost on every run: modules only some runs need are loaded only by those runs. */
describe("CLI start-up", () => {
  it("an offline CSV run loads neither zod nor the workbook readers (tens of milliseconds each)", () => {
    // The sample spans three months: its latest month is compared with the one before, zod-free.
    const urls = modulesLoaded(`${SAMPLE_DATA}sales_q1_2026.csv`, "sample");
    expect(urls.some((u) => u.includes("/src/pipeline/compare/compare.ts"))).toBe(true);
    expect(urls.filter((u) => /\/node_modules\/(zod|yauzl|saxes)\/|\/read\/xlsx/.test(u))).toEqual([]);
  });

  it("a file within one month does not load the comparison engine (nothing to compare)", () => {
    const oneMonth = files.write(
      "one-month.csv",
      "Date,Region,Revenue\n2026-01-05,North,10\n2026-01-20,South,20\n",
    );
    const urls = modulesLoaded(oneMonth, "one-month");
    // Two leaf modules of plain date arithmetic are shared with the breakdown tables (the rule for a
    // partial month, which titles their change column): not the engine, and no dependencies.
    const shared = /\/src\/pipeline\/compare\/(calendar|month-coverage)\.ts$/;
    expect(
      urls.filter((u) => /\/src\/pipeline\/compare\/|\/src\/cli\/latest-months/.test(u) && !shared.test(u)),
    ).toEqual([]);
  });
});
