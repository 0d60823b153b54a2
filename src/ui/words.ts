import { formatInteger } from "./format.js";

/**
 * The small wording helpers every written sentence shares (the offline summary, "What changed", the
 * period warnings, the footer), so a list or a count reads the same wherever it is written.
 */

/** "north and south" -> "North and south": the first letter only, the rest as written. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** ["a", "b", "c"] -> "a, b and c"; one word alone; nothing for none. */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** The noun that goes with a count: plural(1, "day", "days") -> "day". */
export function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** A count with its noun, the count as every figure is written: "1 day", "1,204 rows". */
export function countOf(n: number, one: string, many: string): string {
  return `${formatInteger(n)} ${plural(n, one, many)}`;
}

/** A day of the month as it is said: 1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd". */
export function ordinal(n: number): string {
  const teens = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teens ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${formatInteger(n)}${suffix}`;
}
