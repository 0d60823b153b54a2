/**
 * `value.toLocaleString("en-US", { maximumFractionDigits })` without Intl: "1,234,567.89". The first
 * Intl call of a process loads ICU number formatting, 10-20 ms of CPU (measured with --cpu-prof), which
 * every CLI run paid for a handful of figures in its notes and summary.
 *
 * Same output as Intl for every finite number (test/pipeline/decimal-format.test.ts compares them on
 * hundreds of thousands of values): Intl rounds the shortest decimal that reads back as the double
 * (what `toExponential()` prints: 1.005 is "1.005", so it rounds to "1.01", where toFixed gives
 * "1.00"), half away from zero; writes every integer digit, never exponent form; drops trailing
 * fraction zeros; and keeps the sign of a negative value that rounds to zero ("-0").
 */
export function formatDecimal(value: number, maximumFractionDigits = 3): string {
  if (!Number.isFinite(value)) return value.toLocaleString("en-US", { maximumFractionDigits });
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  const magnitude = Math.abs(value);
  if (magnitude === 0) return `${sign}0`;
  // "d.ddde±x": the shortest round-tripping digits and the power of ten of the first one.
  const text = magnitude.toExponential();
  const ePos = text.indexOf("e");
  let digits = text.slice(0, ePos).replace(".", "");
  let exponent = Number(text.slice(ePos + 1));
  const keep = exponent + 1 + maximumFractionDigits;
  if (keep < 0) return `${sign}0`;
  if (keep < digits.length) {
    const roundUp = digits.charCodeAt(keep) >= 53; // "5"
    digits = digits.slice(0, keep);
    if (roundUp) {
      const carried = incrementDigits(digits);
      if (carried.length > digits.length) exponent++;
      digits = carried;
    }
  }
  let whole: string;
  let fraction: string;
  if (exponent < 0) {
    whole = "0";
    fraction = "0".repeat(-exponent - 1) + digits;
  } else {
    whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    fraction = digits.slice(exponent + 1);
  }
  fraction = fraction.replace(/0+$/, "");
  return `${sign}${groupThousands(whole)}${fraction === "" ? "" : `.${fraction}`}`;
}

/** "0999" -> "1000"; "" (everything rounded away) -> "1". */
function incrementDigits(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === "9") i--;
  if (i < 0) return `1${"0".repeat(digits.length)}`;
  return (
    digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + "0".repeat(digits.length - i - 1)
  );
}

function groupThousands(whole: string): string {
  let out = "";
  let end = whole.length;
  while (end > 3) {
    out = `,${whole.slice(end - 3, end)}${out}`;
    end -= 3;
  }
  return whole.slice(0, end) + out;
}
