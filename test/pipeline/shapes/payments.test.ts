import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../../src/pipeline/analyze.js";
import { tempFiles } from "../../helpers/files.js";
import { toCsv } from "../../helpers/shapes.js";

const files = tempFiles();
let counter = 0;
const write = (text: string) => files.write(`payments-${++counter}.csv`, text);

interface Payment {
  order: string;
  sequence: number;
  type: string;
  instalments: number;
  value: number;
}

/** Olist-style payments: several payments per order, a type, a count of instalments, the amount paid. */
function payments(types: string[], count = 90): Payment[] {
  const out: Payment[] = [];
  for (let i = 0; out.length < count; i++) {
    const parts = 1 + (i % 3 === 0 ? 1 : 0);
    for (let p = 1; p <= parts; p++) {
      out.push({
        order: `o${7000 + i}`,
        sequence: p,
        type: types[(i + p) % types.length] ?? "card",
        instalments: 1 + ((i * 7) % 10),
        value: Math.round((15 + ((i * 131) % 900) + p * 0.37) * 100) / 100,
      });
    }
  }
  return out;
}

const LAYOUTS = [
  {
    language: "en",
    headers: ["order_id", "payment_sequential", "payment_type", "payment_installments", "payment_value"],
    types: ["credit_card", "boleto", "voucher", "debit_card"],
  },
  {
    language: "pt",
    headers: ["pedido", "sequencia_pagamento", "forma_pagamento", "parcelas", "valor_pago"],
    types: ["cartão", "boleto", "pix"],
  },
  {
    language: "es",
    headers: ["pedido", "secuencia", "tipo de pago", "cuotas", "importe pagado"],
    types: ["tarjeta", "efectivo", "transferencia"],
  },
  {
    language: "de",
    headers: ["Bestellung", "Zahlung Nr", "Zahlungsart", "Raten", "Zahlbetrag"],
    types: ["Karte", "Rechnung", "PayPal"],
  },
];

describe("payments tables: the paid amount is revenue, types and instalments are breakdowns", () => {
  for (const layout of LAYOUTS) {
    it(`${layout.language}: ${layout.headers.join(", ")}`, async () => {
      const rows = payments(layout.types);
      const body = rows.map((r) => [r.order, r.sequence, r.type, r.instalments, r.value.toFixed(2)]);
      const a = await analyzeFile(write(toCsv([layout.headers, ...body])));
      const total = Math.round(rows.reduce((s, r) => s + r.value, 0) * 100) / 100;
      expect(a.columns.revenue).toBe(layout.headers[4]);
      expect(a.totalRevenue).toBe(total);
      // Instalments are a count per payment, never units sold.
      expect(a.columns.units).not.toBe(layout.headers[3]);
      expect(a.columns.category).toBe(layout.headers[2]);
      const byType = new Map<string, number>();
      for (const r of rows) byType.set(r.type, Math.round(((byType.get(r.type) ?? 0) + r.value) * 100) / 100);
      for (const g of a.revenueByCategory ?? []) expect(g.revenue).toBe(byType.get(g.name));
    });
  }
});
