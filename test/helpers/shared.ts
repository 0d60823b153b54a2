import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The real public datasets live beside the repo in ../shared (CI has them; a user's clone may not).
 * Absent locally: tests skip and say why. Absent under CI=true: that is a broken CI machine, so fail.
 */
export const SHARED_DATASETS = process.env.SALES_DATASETS_DIR
  ? `${process.env.SALES_DATASETS_DIR.replace(/\/$/, "")}/`
  : fileURLToPath(new URL("../../../shared/datasets/", import.meta.url));

export function sharedDatasetsAvailable(): boolean {
  if (existsSync(SHARED_DATASETS)) return true;
  // GitHub's runners do not have the shared folder; its workflow says so explicitly.
  if (process.env.CI === "true" && process.env.SALES_DATASETS_OPTIONAL !== "1") {
    throw new Error(`CI=true but the shared datasets are missing at ${SHARED_DATASETS}`);
  }
  console.warn(`Skipping real-dataset tests: ${SHARED_DATASETS} not found (it sits beside the repo in CI).`);
  return false;
}
