/**
 * Tables in shapes beyond one row per sale, generated at run time with their true figures alongside:
 * a CRM deal export, a Shopify-style multi-line orders export, a table with a discount column.
 */

/** A small LCG (high bits only): the same rows on every run. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor(state / 65_536) % n;
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const csvCell = (v: string | number) => {
  const text = typeof v === "number" ? String(v) : v;
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
export const toCsv = (rows: (string | number)[][]) =>
  `${rows.map((r) => r.map(csvCell).join(",")).join("\n")}\n`;

/** Stage words in one language: won, lost, and open stages. */
export interface StageWords {
  language: string;
  won: string;
  lost: string;
  open: string[];
}

export const STAGE_WORDS: StageWords[] = [
  {
    language: "en (Salesforce)",
    won: "Closed Won",
    lost: "Closed Lost",
    open: ["Prospecting", "Negotiation/Review", "Proposal/Price Quote"],
  },
  { language: "en", won: "Won", lost: "Lost", open: ["Open", "Negotiation", "Proposal"] },
  { language: "de", won: "Gewonnen", lost: "Verloren", open: ["Offen", "Verhandlung", "Angebot"] },
  { language: "es", won: "Ganado", lost: "Perdido", open: ["Abierto", "Negociación", "Propuesta"] },
  { language: "fr", won: "Gagné", lost: "Perdu", open: ["Ouvert", "Négociation", "Proposition"] },
  { language: "pt", won: "Ganho", lost: "Perdido", open: ["Aberto", "Negociação", "Proposta"] },
  { language: "it", won: "Chiuso vinto", lost: "Chiuso perso", open: ["Aperto", "Trattativa"] },
  { language: "nl", won: "Gewonnen", lost: "Verloren", open: ["Open", "Onderhandeling"] },
  { language: "pl", won: "Wygrana", lost: "Przegrana", open: ["Otwarta", "Negocjacje"] },
  { language: "tr", won: "Kazanıldı", lost: "Kaybedildi", open: ["Açık", "Müzakere"] },
  { language: "sv", won: "Vunnen", lost: "Förlorad", open: ["Öppen", "Förhandling"] },
  { language: "id", won: "Menang", lost: "Kalah", open: ["Terbuka", "Negosiasi"] },
  { language: "ja", won: "受注", lost: "失注", open: ["商談中", "提案"] },
];

export interface DealTable {
  csv: string;
  won: { count: number; value: number };
  lost: { count: number; value: number };
  open: { count: number; value: number };
}

/** A deal export: Opportunity, Account, Stage, Amount, Close Date, Region (headers can be renamed). */
export function dealExport(
  words: StageWords,
  count = 90,
  headers = ["Opportunity Name", "Account Name", "Stage", "Amount", "Close Date", "Region"],
): DealTable {
  const next = random(23);
  const regions = ["EMEA", "Americas", "APAC"];
  const sums = { won: { count: 0, value: 0 }, lost: { count: 0, value: 0 }, open: { count: 0, value: 0 } };
  const rows: (string | number)[][] = [headers];
  for (let i = 0; i < count; i++) {
    // Stage in a rotating order so every outcome appears early (inside the header-inference sample).
    const pick = i % 3 === 0 ? "won" : i % 3 === 1 ? "lost" : "open";
    const stage =
      pick === "won"
        ? words.won
        : pick === "lost"
          ? words.lost
          : (words.open[next(words.open.length)] ?? "Open");
    const amount = round2((5_000 + next(200_000)) / 3);
    sums[pick].count++;
    sums[pick].value = round2(sums[pick].value + amount);
    const month = 1 + next(12);
    rows.push([
      `Deal ${1000 + i}`,
      `Account ${next(40)}`,
      stage,
      amount.toFixed(2),
      `2024-${String(month).padStart(2, "0")}-${String(1 + next(28)).padStart(2, "0")}`,
      regions[next(regions.length)] ?? "EMEA",
    ]);
  }
  return { csv: toCsv(rows), ...sums };
}

/** The columns of a Shopify orders export (Admin > Orders > Export), in its order. */
export const SHOPIFY_HEADERS = [
  "Name",
  "Email",
  "Financial Status",
  "Paid at",
  "Fulfillment Status",
  "Fulfilled at",
  "Accepts Marketing",
  "Currency",
  "Subtotal",
  "Shipping",
  "Taxes",
  "Total",
  "Discount Code",
  "Discount Amount",
  "Shipping Method",
  "Created at",
  "Lineitem quantity",
  "Lineitem name",
  "Lineitem price",
  "Lineitem compare at price",
  "Lineitem sku",
  "Lineitem requires shipping",
  "Lineitem taxable",
  "Lineitem fulfillment status",
  "Billing Name",
  "Billing City",
  "Billing Province",
  "Billing Country",
  "Shipping Name",
  "Shipping City",
  "Shipping Province",
  "Shipping Country",
  "Notes",
  "Cancelled at",
  "Payment Method",
  "Refunded Amount",
  "Vendor",
  "Id",
  "Tags",
  "Risk Level",
  "Source",
  "Lineitem discount",
] as const;
/** Filled on every line of an order; every other column only on its first line. */
const SHOPIFY_LINE_FIELDS = new Set<string>([
  "Name",
  "Email",
  "Created at",
  "Lineitem quantity",
  "Lineitem name",
  "Lineitem price",
  "Lineitem compare at price",
  "Lineitem sku",
  "Lineitem requires shipping",
  "Lineitem taxable",
  "Lineitem fulfillment status",
  "Vendor",
  "Lineitem discount",
]);

export interface ShopifyTable {
  csv: string;
  orders: number;
  lines: number;
  /** Sum of the order Totals (each order once). */
  total: number;
  units: number;
  /** Quantity x price per product name. */
  productValue: Map<string, number>;
  /** Order count per Financial Status. */
  statuses: Map<string, number>;
  provinces: Map<string, number>;
}

const PRODUCTS = [
  "Linen Shirt",
  "Canvas Tote",
  "Wool Beanie",
  "Leather Belt",
  "Cotton Socks",
  "Denim Jacket",
];
const PROVINCES = ["ON", "QC", "BC", "AB"];

/** A Shopify-like orders export: 1-4 lines an order, order-level fields on the first line only. */
export function shopifyExport(orderCount = 120, seed = 5): ShopifyTable {
  const next = random(seed);
  const rows: (string | number)[][] = [[...SHOPIFY_HEADERS]];
  const out: ShopifyTable = {
    csv: "",
    orders: orderCount,
    lines: 0,
    total: 0,
    units: 0,
    productValue: new Map(),
    statuses: new Map(),
    provinces: new Map(),
  };
  for (let o = 0; o < orderCount; o++) {
    const lineCount = 1 + next(4);
    const lines = Array.from({ length: lineCount }, () => {
      const name = PRODUCTS[next(PRODUCTS.length)] ?? "Linen Shirt";
      return { name, quantity: 1 + next(3), price: round2((900 + next(9000)) / 100) };
    });
    // Shopify's Subtotal is after the order's discount; Total adds shipping and taxes.
    const discount = o % 4 === 0 ? 5 : 0;
    const subtotal = round2(lines.reduce((s, l) => s + l.quantity * l.price, 0) - discount);
    const shipping = next(2) === 0 ? 0 : 7.5;
    const taxes = round2(subtotal * 0.13);
    const total = round2(subtotal + shipping + taxes);
    const status = ["paid", "paid", "paid", "pending", "refunded"][next(5)] ?? "paid";
    const province = PROVINCES[next(PROVINCES.length)] ?? "ON";
    const created = `2024-${String(1 + next(6)).padStart(2, "0")}-${String(1 + next(28)).padStart(2, "0")} 10:${String(next(60)).padStart(2, "0")}:00 -0500`;
    out.total = round2(out.total + total);
    out.statuses.set(status, (out.statuses.get(status) ?? 0) + 1);
    out.provinces.set(province, (out.provinces.get(province) ?? 0) + 1);
    lines.forEach((line, l) => {
      out.lines++;
      out.units += line.quantity;
      out.productValue.set(
        line.name,
        round2((out.productValue.get(line.name) ?? 0) + line.quantity * line.price),
      );
      const value: Record<string, string | number> = {
        Name: `#${1001 + o}`,
        Email: `buyer${o}@example.com`,
        "Financial Status": status,
        "Paid at": created,
        "Fulfillment Status": "fulfilled",
        "Fulfilled at": created,
        "Accepts Marketing": "no",
        Currency: "CAD",
        Subtotal: subtotal.toFixed(2),
        Shipping: shipping.toFixed(2),
        Taxes: taxes.toFixed(2),
        Total: total.toFixed(2),
        "Discount Code": discount > 0 ? "SAVE5" : "",
        "Discount Amount": discount.toFixed(2),
        "Shipping Method": "Standard",
        "Created at": created,
        "Lineitem quantity": line.quantity,
        "Lineitem name": line.name,
        "Lineitem price": line.price.toFixed(2),
        "Lineitem compare at price": "",
        "Lineitem sku": `SKU-${PRODUCTS.indexOf(line.name) + 100}`,
        "Lineitem requires shipping": "true",
        "Lineitem taxable": "true",
        "Lineitem fulfillment status": "fulfilled",
        "Billing Name": `Buyer ${o}`,
        "Billing City": "Toronto",
        "Billing Province": province,
        "Billing Country": "CA",
        "Shipping Name": `Buyer ${o}`,
        "Shipping City": "Toronto",
        "Shipping Province": province,
        "Shipping Country": "CA",
        Notes: "",
        "Cancelled at": "",
        "Payment Method": "Shopify Payments",
        "Refunded Amount": status === "refunded" ? total.toFixed(2) : "0.00",
        Vendor: "Acme",
        Id: String(5_000_000_000 + o),
        Tags: "",
        "Risk Level": "Low",
        Source: "web",
        "Lineitem discount": "0.00",
      };
      rows.push(SHOPIFY_HEADERS.map((h) => (l === 0 || SHOPIFY_LINE_FIELDS.has(h) ? (value[h] ?? "") : "")));
    });
  }
  out.csv = toCsv(rows);
  return out;
}
