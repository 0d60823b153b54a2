import { CsvTokenizer } from "./csv-tokenizer.js";

export const DELIMITERS = [",", ";", "\t", "|"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

const SAMPLE_LINES = 50;

/**
 * Picks the delimiter that splits the first lines into the most consistent number of fields (more than
 * one). Counting is quote-aware, so commas inside quoted fields of a semicolon file do not mislead it.
 */
export function detectDelimiter(sample: string): Delimiter {
  const lines = sampleLines(sample);
  let best: { delimiter: Delimiter; score: number } = { delimiter: ",", score: -1 };
  for (const delimiter of DELIMITERS) {
    const counts: number[] = [];
    const tokenizer = new CsvTokenizer(delimiter);
    try {
      tokenizer.push(lines, (cells) => {
        if (cells.length > 1 || cells[0] !== "") counts.push(cells.length);
      });
    } catch {
      continue;
    }
    if (counts.length === 0) continue;
    const modal = mode(counts);
    if (modal.value < 2) continue;
    const consistency = modal.frequency / counts.length;
    // Consistency dominates; among equally consistent candidates, more fields wins (a title line
    // with a stray comma should not beat the real table's semicolons).
    const score = consistency * 1000 + Math.min(modal.value, 999);
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

function sampleLines(sample: string): string {
  let end = 0;
  for (let n = 0; n < SAMPLE_LINES; n++) {
    const next = sample.indexOf("\n", end);
    if (next === -1) break;
    end = next + 1;
  }
  return end > 0 ? sample.slice(0, end) : `${sample}\n`;
}

function mode(values: number[]): { value: number; frequency: number } {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let value = 0;
  let frequency = 0;
  for (const [v, f] of counts) {
    if (f > frequency || (f === frequency && v > value)) {
      value = v;
      frequency = f;
    }
  }
  return { value, frequency };
}
