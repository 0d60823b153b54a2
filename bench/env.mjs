/** Settings the benchmarks read from the environment, read the same way by each of them. */

/** "1", "yes", "true" (any case) and any other non-empty value but "0", "false" and "no". */
export function isTruthy(value) {
  return value !== undefined && !["", "0", "false", "no"].includes(value.toLowerCase());
}

/**
 * A positive integer from the variable `name`, or `fallback` when it is unset. Anything else stops the
 * bench (exit 2) with a line naming the variable, prefixed by `tag` ("[bench]").
 */
export function positiveInt(name, fallback, tag = "[bench]") {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`${tag} ${name} must be a positive integer, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return n;
}
