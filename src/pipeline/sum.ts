/**
 * Neumaier (improved Kahan) summation. Money arrives with 2-4 decimals; naive `+=` over a million rows
 * drifts by cents, and integer cents would round away the 4-decimal values some exports carry.
 *
 * Range: the fold only adds amounts below MAX_AMOUNT (1e13) in magnitude, so even a million of them
 * (and the compensation term) stay below 1e19: finite, never NaN. The result is exact to the cent
 * while the sum of the absolute values stays under about 45 trillion (each input is already rounded
 * to a double's 15-16 significant digits before it arrives); past that only currencies without cents
 * are plausible, and whole numbers sum exactly up to 2^53 (9 quadrillion).
 */
export class ExactSum {
  private sum = 0;
  private compensation = 0;

  add(value: number): void {
    const t = this.sum + value;
    if (Math.abs(this.sum) >= Math.abs(value)) this.compensation += this.sum - t + value;
    else this.compensation += value - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}

export function roundMoney(value: number): number {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? 0 : rounded;
}

export function roundRatio(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
