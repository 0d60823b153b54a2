import { type Cell, cellText } from "../cell.js";
import { foldText } from "../columns/normalise.js";
import { isAmount, type NumberReading, parseNumber } from "../numbers.js";
import { ExactSum, roundMoney, roundRatio } from "../sum.js";
import type { DealsPlan } from "./plan.js";

/** Where a deal stands: won deals are sales, lost and open ones are not (yet). */
export type DealOutcome = "won" | "lost" | "open";

/**
 * Words for a won or a lost deal, in the listed languages, accents folded. A stage value is read by its
 * words ("Closed Won", "6 - Closed Won", "Fechado ganho"): data, not code, so a language is a new line.
 */
const WON = [
  "won",
  "win",
  "closed won",
  "gewonnen", // de, nl
  "auftrag erhalten",
  "ganado",
  "ganada",
  "gagne",
  "gagnee",
  "ganho",
  "ganha",
  "vinto",
  "vinta",
  "aggiudicato",
  "wygrana",
  "wygrany",
  "wygrane",
  "kazanildi",
  "kazanilan",
  "kazanildi",
  "vunnen",
  "vunnet",
  "vundet",
  "menang",
  "berhasil",
];
const LOST = [
  "lost",
  "loss",
  "closed lost",
  "verloren", // de, nl
  "perdido",
  "perdida",
  "perdu",
  "perdue",
  "perso",
  "persa",
  "przegrana",
  "przegrany",
  "przegrane",
  "kaybedildi",
  "kaybedilen",
  "forlorad",
  "forlorade",
  "forlorat",
  "tabt",
  "tapt",
  "kalah",
  "gagal",
];
/** Japanese, Chinese and Korean terms, found anywhere in the value (no spaces between words). */
const WON_CJK = ["受注", "成約", "赢单", "赢得", "成交", "수주", "성사", "계약완료"];
const LOST_CJK = ["失注", "失单", "输单", "丢单", "실주", "실패"];

const wordsOf = (text: string) =>
  ` ${foldText(text)
    .replace(/[^a-z]+/g, " ")
    .trim()} `;
const WON_WORDS = WON.map((w) => ` ${w} `);
const LOST_WORDS = LOST.map((w) => ` ${w} `);

/** A stage value's outcome by its words; null when it names neither a win nor a loss. */
export function stageOutcome(value: string): "won" | "lost" | null {
  const words = wordsOf(value);
  // "Closed Lost" before "Closed Won": a value naming both is not read at all (ambiguous).
  const lost = LOST_WORDS.some((w) => words.includes(w)) || LOST_CJK.some((w) => value.includes(w));
  const won = WON_WORDS.some((w) => words.includes(w)) || WON_CJK.some((w) => value.includes(w));
  if (won === lost) return null;
  return won ? "won" : "lost";
}

const TRUE_WORDS = new Set([
  "true",
  "yes",
  "y",
  "1",
  "x",
  "t",
  "wahr",
  "ja",
  "si",
  "sim",
  "oui",
  "vrai",
  "verdadero",
]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "f", "falsch", "nein", "nao", "non", "faux", "falso"]);

/** A true/false cell of an outcome flag; null when the cell is neither (a blank counts as false). */
export function dealFlag(cell: Cell): boolean | null {
  if (typeof cell === "boolean") return cell;
  if (typeof cell === "number") return cell === 1 ? true : cell === 0 ? false : null;
  const text = foldText(cellText(cell));
  if (text === "") return false;
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return null;
}

export interface DealBucket {
  count: number;
  value: number;
}

/** What a CRM/opportunity export says beyond its won deals. */
export interface DealPipeline {
  /** The stage column the outcome was read from. */
  stageColumn: string;
  won: DealBucket;
  lost: DealBucket;
  /** Neither won nor lost: the open pipeline (Negotiation, Proposal, ...). */
  open: DealBucket;
  /** Won / (won + lost), by number of deals; null before any deal is closed. */
  winRate: number | null;
  /** The same by deal value. */
  winRateByValue: number | null;
}

/**
 * Sorts each row of a deal export by its stage, keeping the counts and values of every outcome. Only
 * won deals go on into the sales figures; lost and open ones are set aside here.
 */
export class DealStages {
  private readonly outcomeByCell = new Map<string, DealOutcome>();
  private readonly sums: Record<DealOutcome, { count: number; value: ExactSum }> = {
    won: { count: 0, value: new ExactSum() },
    lost: { count: 0, value: new ExactSum() },
    open: { count: 0, value: new ExactSum() },
  };

  private readonly stageColumn: number;
  private readonly flags: DealsPlan["flags"] | null;

  constructor(
    plan: DealsPlan,
    private readonly stageHeader: string,
  ) {
    this.stageColumn = plan.stageColumn;
    this.flags = plan.flags ?? null;
  }

  outcome(cells: Cell[]): DealOutcome {
    if (this.flags) return flagOutcome(cells, this.flags);
    const cell = cells[this.stageColumn];
    const raw = typeof cell === "string" ? cell : cellText(cell);
    let outcome = this.outcomeByCell.get(raw);
    if (outcome === undefined) {
      outcome = stageOutcome(raw) ?? "open";
      if (this.outcomeByCell.size < 5_000) this.outcomeByCell.set(raw, outcome);
    }
    return outcome;
  }

  /** Counts a deal that is not won, with its value read as the fold reads revenue. */
  setAside(outcome: DealOutcome, value: number): void {
    const sum = this.sums[outcome];
    sum.count++;
    if (isAmount(value)) sum.value.add(value);
  }

  /** Won deals are counted by the fold as sales; their totals come back here at the end. */
  finish(won: { count: number; value: number }): DealPipeline {
    const bucket = (o: DealOutcome): DealBucket => ({
      count: this.sums[o].count,
      value: roundMoney(this.sums[o].value.value),
    });
    const lost = bucket("lost");
    const closed = won.count + lost.count;
    const closedValue = won.value + lost.value;
    return {
      stageColumn: this.stageHeader,
      won: { count: won.count, value: roundMoney(won.value) },
      lost,
      open: bucket("open"),
      winRate: closed > 0 ? roundRatio(won.count / closed) : null,
      winRateByValue: closedValue > 0 ? roundRatio(won.value / closedValue) : null,
    };
  }
}

function flagOutcome(cells: Cell[], flags: NonNullable<DealsPlan["flags"]>): DealOutcome {
  if (dealFlag(cells[flags.won]) === true) return "won";
  if (flags.lost >= 0 && dealFlag(cells[flags.lost]) === true) return "lost";
  if (flags.closed >= 0) return dealFlag(cells[flags.closed]) === true ? "lost" : "open";
  return "open";
}

/** The value of a set-aside deal: the revenue cell, or units x price when revenue is derived. */
export function dealValue(
  cells: Cell[],
  columns: { revenue: number; units: number; unitPrice: number },
  numbers: NumberReading,
): number {
  if (columns.revenue >= 0) return parseNumber(cells[columns.revenue], numbers);
  return parseNumber(cells[columns.units], numbers) * parseNumber(cells[columns.unitPrice], numbers);
}
