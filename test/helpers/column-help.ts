import type {
  ColumnAnswer,
  ColumnClassifier,
  ColumnClassifyRequest,
} from "../../src/pipeline/columns/classify.js";
import { ROLE_ORDER } from "../../src/pipeline/columns/roles.js";
import { salesRows } from "./sales-table.js";

/** Customer names no vocabulary, instruction or statistic could contain by chance. */
const CUSTOMERS = [
  "Quillon Vantablack",
  "Marisol Teaberry",
  "Osgood Pemberline",
  "Thaddeus Wrenfield",
  "Ysolde Carraway",
];

export const AMBIGUOUS_HEADERS = ["col1", "col2", "col3", "col4", "col5", "col6", "col7"];

/**
 * A table under meaningless headers (col1..col7) whose values cannot settle revenue: two money columns
 * alike in every statistic (a cost at about 55-65% of the revenue, and the revenue), and a quantity
 * with no unit price to prove revenue = quantity x price. Columns: date, region, category, customer,
 * cost, revenue, quantity.
 */
export function ambiguousTable(count = 120, seed = 3) {
  const rows = salesRows(count, seed);
  const cells = rows.map((r, i) => {
    const cost = Math.round(r.revenue * (55 + (i % 11))) / 100;
    return [
      r.date,
      r.region,
      r.category,
      CUSTOMERS[i % CUSTOMERS.length] ?? "Quillon Vantablack",
      cost.toFixed(2),
      r.revenue.toFixed(2),
      String(r.units),
    ];
  });
  const cents = (column: number) => cells.reduce((s, row) => s + Math.round(Number(row[column]) * 100), 0);
  const csv = `${[AMBIGUOUS_HEADERS, ...cells].map((row) => row.join(",")).join("\n")}\n`;
  return { csv, cells, revenueTotal: cents(5) / 100, costTotal: cents(4) / 100 };
}

/** What Gemini would say about the ambiguous table, by column index. */
export const AMBIGUOUS_ANSWER: ColumnAnswer = {
  date: 0,
  region: 1,
  category: 2,
  customer: 3,
  revenue: 5,
  units: 6,
};

/** The full answer object as the model sends it: every role present, null where no column plays it. */
export function answerText(answer: ColumnAnswer): string {
  return JSON.stringify(Object.fromEntries(ROLE_ORDER.map((r) => [r, answer[r] ?? null])));
}

/** An in-process ColumnClassifier that records what it was asked and answers as scripted. */
export function scriptedClassifier(reply: ColumnAnswer | null | Error) {
  const requests: ColumnClassifyRequest[] = [];
  const classifier: ColumnClassifier = {
    async classify(request) {
      requests.push(request);
      if (reply instanceof Error) throw reply;
      return reply;
    },
  };
  return { classifier, requests };
}
