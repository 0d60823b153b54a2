/**
 * The meanings a header word can carry. Vocabulary files map words of each language to these; the role
 * rules (header-score.ts) are written once in terms of them, so a new language is a new word list,
 * never new code.
 */
export const CONCEPTS = [
  // Money and what qualifies it.
  "sales", // revenue, sales, turnover, Umsatz, ventas, 売上
  "money", // amount, total, Betrag, importe, montant, 金額
  "value", // value, valor, Wert: money when qualified ("deal value"), weak alone
  "qualifier", // total, net, final, line, invoice, deal, paid, grand, order-level words in front of money
  "gross", // gross, brutto: ranks below the plain or net figure
  "sub", // sub-, partial: a part, not the whole
  "paid", // paid, pago, bezahlt: a payments table's amount is its revenue
  "price",
  "perUnit", // unit, each, per item, Einzel-, unitario
  "listPrice", // MSRP, list price, RRP: not what was paid
  "quantity",
  "soldVerb", // sold, ordered, verkauft: qualifies a quantity
  // Things that are numbers but not revenue.
  "cost",
  "tax",
  "discount",
  "profit",
  "shipping",
  "period", // year, month, quarter, week: numbers that are calendar positions
  "rate", // rate, percent, ratio, rating, score
  "plan", // budget, target, forecast, quota, commission
  "count", // count, number of
  // Dates.
  "date",
  "time", // time, timestamp, created: a date when nothing better exists
  "otherDate", // ship, delivery: a date, but not the sale's
  "notSaleDate", // birth, due, updated, expiry, return: never the sale's date
  // Identifiers.
  "id", // id, number, no, code, Nummer, 番号
  "order",
  "invoice",
  "transaction",
  "line", // line (product line, order line, line total)
  // Dimensions.
  "customer",
  "product",
  "productCode", // sku, stock code, Artikelnummer
  "description",
  "category",
  "group", // group, family, type, class, Gruppe, grupo
  "segment",
  "department",
  "brand",
  "item",
  "status",
  "stage", // CRM stage
  "region", // region, territory, zone, area, market
  "country",
  "state", // state, province, Bundesland
  "city",
  "location", // location, store, branch
  "postal",
  "address",
  "currency",
  "name",
] as const;

export type Concept = (typeof CONCEPTS)[number];

/** One language's words for each concept. Phrases are written with spaces ("chiffre d affaires"). */
export interface Vocabulary {
  language: string;
  /** Languages that glue words into compounds (Gesamtbetrag): their words are also found inside longer words. */
  compounds?: boolean;
  /** Scripts without spaces (Japanese, Chinese, Korean): terms are found anywhere in the header. */
  unspaced?: boolean;
  terms: Partial<Record<Concept, string[]>>;
}
