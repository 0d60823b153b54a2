import { foldText } from "./columns/normalise.js";

/** Month names and abbreviations in the listed languages (folded), to month number. */
export const MONTH_WORDS: Record<string, number> = {};
const MONTH_LISTS = [
  "jan feb mar apr may jun jul aug sep oct nov dec",
  "january february march april may june july august september october november december",
  "jan feb mar apr mai jun jul aug sep okt nov dez", // de
  "januar februar marz april mai juni juli august september oktober november dezember",
  "jan feb mrz apr mai jun jul aug sept okt nov dez",
  "ene feb mar abr may jun jul ago sep oct nov dic", // es
  "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
  "janv fevr mars avr mai juin juil aout sept oct nov dec", // fr
  "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
  "jan fev mar abr mai jun jul ago set out nov dez", // pt
  "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro",
  "gen feb mar apr mag giu lug ago set ott nov dic", // it
  "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
  "jan feb mrt apr mei jun jul aug sep okt nov dec", // nl
  "januari februari maart april mei juni juli augustus september oktober november december",
  "sty lut mar kwi maj cze lip sie wrz paz lis gru", // pl
  "oca sub mar nis may haz tem agu eyl eki kas ara", // tr
  "jan feb mar apr mei jun jul agu sep okt nov des", // id
];
for (const list of MONTH_LISTS) {
  list.split(" ").forEach((word, i) => {
    MONTH_WORDS[word] ??= i + 1;
  });
}
MONTH_WORDS.sept = 9;

/**
 * The month a word names in any listed language ("März", "févr.", "ene", "Dezember"), or undefined.
 * Accents and case are folded and a trailing dot dropped, so "Févr." and "fevr" are the same word.
 */
export function monthFromWord(word: string): number | undefined {
  const folded = foldText(word.endsWith(".") ? word.slice(0, -1) : word);
  return MONTH_WORDS[folded];
}
