/**
 * One small sales table generated at run time, written under any set of headers: the same data under
 * every language and header style must give the same figures.
 */
export const TABLE_ROLES = [
  "orderId",
  "date",
  "region",
  "category",
  "product",
  "units",
  "unitPrice",
  "revenue",
] as const;
export type TableRole = (typeof TABLE_ROLES)[number];

const REGIONS = ["North", "South", "East", "West"];
const CATEGORIES = ["Furniture", "Office Supplies", "Technology"];
const PRODUCTS = ["Desk", "Chair", "Lamp", "Pen", "Paper", "Phone", "Laptop", "Binder", "Stapler", "Monitor"];

export interface SalesRow {
  orderId: string;
  date: string;
  region: string;
  category: string;
  product: string;
  units: number;
  unitPrice: number;
  revenue: number;
}

/** Deterministic rows (a small LCG): orders of 1-3 lines, whole quantities, prices with cents. */
export function salesRows(count = 60, seed = 7): SalesRow[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    // The high bits: the low bits of a power-of-two LCG repeat with a short period.
    return Math.floor(state / 65_536) % n;
  };
  const rows: SalesRow[] = [];
  let order = 1000;
  while (rows.length < count) {
    order++;
    const lines = 1 + next(3);
    const day = 1 + next(27);
    const month = 1 + next(6);
    const region = REGIONS[next(REGIONS.length)] ?? "North";
    for (let l = 0; l < lines && rows.length < count; l++) {
      const units = 2 + next(8);
      const cents = 199 + next(50_000);
      rows.push({
        orderId: `SO-${order}`,
        date: `2025-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
        region,
        category: CATEGORIES[next(CATEGORIES.length)] ?? "Technology",
        product: PRODUCTS[next(PRODUCTS.length)] ?? "Desk",
        units,
        unitPrice: cents / 100,
        revenue: (units * cents) / 100,
      });
    }
  }
  return rows;
}

export function salesCsv(
  headers: Record<TableRole, string>,
  rows = salesRows(),
  order: readonly TableRole[] = TABLE_ROLES,
): string {
  const quote = (v: string | number) => {
    const text = typeof v === "number" ? v.toFixed(2).replace(/\.00$/, "") : v;
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [order.map((r) => quote(headers[r])).join(",")];
  for (const row of rows) lines.push(order.map((r) => quote(row[r])).join(","));
  return `${lines.join("\n")}\n`;
}
