import type { Concept } from "./concepts.js";
import type { HeaderMeaning } from "./lexicon.js";
import type { Role } from "./roles.js";

/**
 * How strongly a header names each role (0-100), from the concepts its words carry in any language.
 * Scores only rank candidates against each other; 90+ means the header says it outright.
 */
export interface HeaderScore {
  score: number;
  /** The words' meaning in short, for the reading's explanation ("money word + qualifier"). */
  why: string;
}

const NONE: HeaderScore = { score: 0, why: "" };

/** Concepts that rule a header out as money: a cost, a tax, a rate, a count, a calendar position... */
const NOT_MONEY: Concept[] = [
  "quantity",
  "cost",
  "tax",
  "discount",
  "profit",
  "shipping",
  "period",
  "rate",
  "plan",
  "count",
  "date",
  "time",
  "otherDate",
  "notSaleDate",
  "listPrice",
  "perUnit",
  "id",
];
/** Concepts of text dimensions: a header naming one is not a number to add up. */
const DIMENSION: Concept[] = [
  "customer",
  "product",
  "productCode",
  "description",
  "category",
  "group",
  "segment",
  "department",
  "brand",
  "status",
  "stage",
  "region",
  "country",
  "state",
  "city",
  "location",
  "postal",
  "address",
  "currency",
  "name",
];
// "Time Zone" (PayPal, Square) names a clock setting, not a sales region.
const GEO_EXCLUDE: Concept[] = ["id", "postal", "address", "status", "currency", "date", "time", "money"];

export function scoreHeader(role: Role, meaning: HeaderMeaning): HeaderScore {
  const c = meaning.concepts;
  if (c.size === 0) return NONE;
  const has = (concept: Concept) => c.has(concept);
  const any = (list: Concept[]) => list.some(has);
  const hit = (score: number, why: string): HeaderScore => ({
    score: Math.max(0, Math.min(100, score)),
    why,
  });
  switch (role) {
    case "revenue": {
      if (any(NOT_MONEY) || any(DIMENSION)) return NONE;
      let s = 0;
      let why = "";
      // A price is per unit ("Sale Price") unless qualified as a total ("Total Price", "Gesamtpreis").
      if (has("price") && !has("money") && !has("qualifier")) return NONE;
      if (has("price")) [s, why] = [85, "total price"];
      else if (has("sales")) [s, why] = [95, "sales word"];
      else if (has("money") && has("paid")) [s, why] = [90, "money word + paid"];
      else if (has("money")) [s, why] = [80, "money word"];
      else if (has("value") && (has("qualifier") || has("paid"))) [s, why] = [85, "value + qualifier"];
      else if (has("paid")) [s, why] = [70, "paid"];
      else if (has("value")) [s, why] = [55, "value word"];
      else return NONE;
      if (has("qualifier") && s < 95) s += 3;
      if (has("gross")) s -= 20;
      if (has("sub")) s -= 25;
      return hit(s, has("qualifier") ? `${why} + qualifier` : why);
    }
    case "units": {
      if (!has("quantity") && !has("count")) return NONE;
      if (any(["price", "cost", "tax", "discount", "profit", "rate", "period", "plan", "listPrice", "date"]))
        return NONE;
      if (has("id") && !has("quantity")) return NONE;
      if (!has("quantity")) return hit(70, "count word");
      return hit(has("soldVerb") || has("order") || has("sales") ? 98 : 95, "quantity word");
    }
    case "unitPrice": {
      if (any(["discount", "profit", "tax", "rate", "shipping", "plan", "period", "date", "quantity"]))
        return NONE;
      if (has("price")) {
        if (has("money") && !has("perUnit")) return NONE; // "Total Price" is revenue
        if (has("cost") && !has("perUnit")) return NONE; // "Manufacturing Price" is what it cost to make
        if (has("listPrice")) return hit(60, "list price");
        if (has("perUnit")) return hit(100, "price word + per unit");
        return hit(has("sales") ? 92 : 90, "price word");
      }
      if (has("cost") && has("perUnit")) return hit(70, "cost per unit");
      return NONE;
    }
    case "date": {
      if (!any(["date", "time", "period"])) return NONE;
      if (has("notSaleDate") || has("id")) return NONE;
      if (any(["money", "sales", "quantity", "price"]) && !has("date")) return NONE;
      if (has("otherDate") && !any(["order", "invoice", "transaction", "sales", "paid"]))
        return hit(40, "a shipping or delivery date");
      if (has("date"))
        return hit(any(["order", "invoice", "transaction", "sales", "paid"]) ? 100 : 95, "date word");
      if (has("time")) return hit(70, "time word");
      return hit(45, "calendar period");
    }
    case "status": {
      if (!has("status") && !has("stage")) return NONE;
      if (any(["date", "time", "id", "money", "sales"])) return NONE;
      if (has("stage")) return hit(95, "stage word");
      if (has("paid")) return hit(50, "payment status");
      const other = [...c].filter(
        (x) => !["status", "order", "transaction", "qualifier", "state"].includes(x),
      );
      return hit(other.length === 0 && meaning.unknownWords === 0 ? 100 : 75, "status word");
    }
    case "region": {
      if (any(GEO_EXCLUDE)) return NONE;
      if (has("region")) return hit(100, "region word");
      if (has("country")) return hit(80, "country word");
      if (has("state")) return hit(70, "state or province word");
      if (has("city")) return hit(60, "city word");
      if (has("location")) return hit(40, "store or branch word");
      return NONE;
    }
    case "category": {
      if (
        any([
          "id",
          "customer",
          "paid",
          "status",
          "description",
          "date",
          "money",
          "sales",
          "quantity",
          "price",
        ])
      )
        return NONE;
      let s = 0;
      if (has("category")) s = 100;
      else if ((has("product") || has("item")) && (has("group") || has("line"))) s = 95;
      else if (has("department")) s = 85;
      else if (has("segment")) s = 70;
      else if (has("group") && !any(["region", "country", "state", "city", "location"])) s = 60;
      else if (has("item") && !has("name")) s = 60;
      else if (has("brand")) s = 50;
      else return NONE;
      if (has("sub")) s -= 45;
      return hit(s, "category word");
    }
    case "product": {
      if (any(["category", "group", "line", "segment", "money", "sales", "quantity", "price", "date"]))
        return NONE;
      if (has("productCode")) return hit(70, "product code");
      if (has("product")) return hit(has("id") ? 60 : 100, "product word");
      if (has("item")) return hit(has("id") ? 60 : 90, "item word");
      if (has("description")) return hit(80, "description");
      return NONE;
    }
    case "customer": {
      if (!has("customer")) return NONE;
      if (any(["group", "segment", "city", "state", "country", "region", "date", "time", "rate", "period"]))
        return NONE;
      if (any(["money", "sales", "quantity", "price", "count"])) return NONE;
      return hit(has("id") ? 90 : 100, "customer word");
    }
    case "orderId": {
      if (
        // "Transaction Type", "Order Type": a kind of record, never its id; "Avg. Order Value",
        // "Order Count": a figure about orders.
        any([
          "date",
          "time",
          "line",
          "status",
          "quantity",
          "price",
          "money",
          "sales",
          "product",
          "customer",
          "group",
          "value",
          "rate",
          "count",
        ])
      )
        return NONE;
      const idWord = has("id");
      if (has("order")) return hit(idWord ? 100 : 60, "order word");
      if (has("invoice")) return hit(idWord ? 95 : 90, "invoice word");
      if (has("transaction")) return hit(idWord ? 90 : 50, "transaction word");
      return NONE;
    }
    case "currency":
      return has("currency") && !any(["money", "sales", "price"]) ? hit(100, "currency word") : NONE;
  }
}
