import type { Concept } from "./concepts.js";
import { foldText, type NormalisedHeader, unspacedForm } from "./normalise.js";
import { VOCABULARIES } from "./vocabulary/index.js";

/** Every vocabulary folded once at load into look-up tables; matching a header is then a few map reads. */
interface Lexicon {
  words: Map<string, Set<Concept>>;
  phrases: { words: string[]; concepts: Set<Concept> }[];
  /** Words of compounding languages (de, nl, sv/da/no), 4 letters or more: found at the end of a compound. */
  heads: Map<string, Set<Concept>>;
  unspaced: { term: string; concepts: Set<Concept> }[];
}

function addTo<K>(map: Map<K, Set<Concept>>, key: K, concept: Concept): void {
  const set = map.get(key) ?? new Set<Concept>();
  set.add(concept);
  map.set(key, set);
}

function build(): Lexicon {
  const words = new Map<string, Set<Concept>>();
  const phrases = new Map<string, Set<Concept>>();
  const heads = new Map<string, Set<Concept>>();
  const unspaced = new Map<string, Set<Concept>>();
  for (const vocabulary of VOCABULARIES) {
    for (const [concept, terms] of Object.entries(vocabulary.terms) as [Concept, string[]][]) {
      for (const term of terms) {
        if (vocabulary.unspaced) {
          addTo(unspaced, unspacedForm(term), concept);
          continue;
        }
        const parts = foldText(term)
          .split(/[^\p{L}\p{Nd}]+/u)
          .filter(Boolean);
        if (parts.length > 1) addTo(phrases, parts.join(" "), concept);
        const [only] = parts;
        if (parts.length === 1 && only) {
          addTo(words, only, concept);
          if (vocabulary.compounds && only.length >= 4) addTo(heads, only, concept);
        }
      }
    }
  }
  return {
    words,
    phrases: [...phrases].map(([p, concepts]) => ({ words: p.split(" "), concepts })),
    heads,
    unspaced: [...unspaced]
      .map(([term, concepts]) => ({ term, concepts }))
      .sort((a, b) => b.term.length - a.term.length),
  };
}

const LEXICON = build();

export interface HeaderMeaning {
  concepts: Set<Concept>;
  /** Words that matched nothing in any vocabulary. */
  unknownWords: number;
  /** Words in all: with unknownWords, tells "Zeitpunkt" (unknown) from "col3" (no words at all). */
  wordCount: number;
}

/** The concepts a header carries, in any listed language. */
export function headerMeaning(header: NormalisedHeader): HeaderMeaning {
  const concepts = new Set<Concept>();
  const add = (set: Set<Concept> | undefined) => {
    if (set) for (const c of set) concepts.add(c);
  };
  const { words } = header;
  const used = new Array<boolean>(words.length).fill(false);
  for (const phrase of LEXICON.phrases) {
    const n = phrase.words.length;
    for (let i = 0; i + n <= words.length; i++) {
      if (phrase.words.every((w, k) => words[i + k] === w)) {
        add(phrase.concepts);
        for (let k = 0; k < n; k++) used[i + k] = true;
      }
    }
  }
  let unknownWords = 0;
  words.forEach((word, i) => {
    // Digits carry no meaning; CJK words are matched as substrings below, not as whole words.
    if (used[i] || /^\d+$/.test(word) || !/[a-z]/.test(word)) return;
    const found = wordConcepts(word);
    if (found.length === 0) unknownWords++;
    for (const set of found) add(set);
  });
  if (/[^\p{Script=Latin}\p{Nd}]/u.test(header.unspaced)) {
    let rest = header.unspaced;
    for (const { term, concepts: set } of LEXICON.unspaced) {
      if (rest.includes(term)) {
        add(set);
        // Longest terms first, and each matched stretch consumed: 単価 does not also count as 価.
        rest = rest.split(term).join("\u0000");
      }
    }
  }
  return { concepts, unknownWords, wordCount: words.length };
}

const cache = new Map<string, Set<Concept>[]>();

/** A word's concepts: itself, its singular, the known words it is glued from, or a compound's head. */
function wordConcepts(word: string): Set<Concept>[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const result = lookUp(word);
  if (cache.size < 10_000) cache.set(word, result);
  return result;
}

function lookUp(word: string): Set<Concept>[] {
  const direct = LEXICON.words.get(word) ?? singular(word);
  if (direct) return [direct];
  const parts = segment(word);
  if (parts) return parts;
  // A compound of a compounding language whose head is known: "Zahlbetrag" -> betrag.
  for (let start = 1; start <= word.length - 4; start++) {
    const head = LEXICON.heads.get(word.slice(start));
    if (head) return [head, ...(segment(word.slice(0, start).replace(/s$/, "")) ?? [])];
  }
  return [];
}

function singular(word: string): Set<Concept> | undefined {
  for (const ending of ["s", "es", "en", "n", "e"]) {
    if (word.length > ending.length + 3 && word.endsWith(ending)) {
      const stem = LEXICON.words.get(word.slice(0, -ending.length));
      if (stem) return stem;
    }
  }
  return undefined;
}

/**
 * Splits a word glued from known words ("quantityordered", "unitprice", "bestelldatum", "verkaufsmenge")
 * into them; null unless known words cover it completely (a linking "s" between parts is allowed), so
 * an ordinary word is never read as pieces of others.
 */
function segment(word: string): Set<Concept>[] | null {
  const n = word.length;
  if (n < 5) return null;
  const best: (Set<Concept>[] | null)[] = new Array(n + 1).fill(null);
  best[0] = [];
  for (let end = 1; end <= n; end++) {
    for (let start = Math.max(0, end - 20); start < end; start++) {
      const before = best[start];
      if (!before) continue;
      const piece = word.slice(start, end);
      const last = end === n;
      const minimum = last && /^(id|no|nr)$/.test(piece) ? 2 : 3;
      if (piece.length < minimum) continue;
      const set = LEXICON.words.get(piece) ?? (last ? singular(piece) : undefined);
      if (set && (best[end] === null || (best[end]?.length ?? 0) > before.length + 1)) {
        best[end] = [...before, set];
      }
      // A linking "s" (Verkauf-s-menge): the part before it must be a word of its own.
      if (set && end < n && word[end] === "s" && best[end + 1] === null) best[end + 1] = [...before, set];
    }
  }
  const result = best[n];
  return result && result.length >= 2 ? result : null;
}
