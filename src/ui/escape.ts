/**
 * Making text from a user's file safe to show. Everything a file controls (its name, group names,
 * column headers) and everything a model wrote reaches Slack and e-mail only through these functions.
 *
 * - `cleanText`: one line of printable text (line breaks and tabs become spaces, other control
 *   characters, bidi overrides and lone surrogates go), so a value cannot break a layout, forge a
 *   header line or reorder what is shown around it.
 * - `escapeSlackText`: for Slack mrkdwn. `&`, `<`, `>` become entities, so `<!channel>`, `<@U123>` and
 *   `<https://x|y>` show as text and never ping or link; formatting marks that could pair up become
 *   look-alike characters (mrkdwn has no escape character for them).
 * - `escapeSlackPlainText`: for `plain_text` objects (header blocks), which format nothing but still
 *   treat `&`, `<`, `>` as control characters.
 * - `escapeHtml`: for HTML text and attribute values.
 * - `stripTerminalControls` / `jsonForTerminal`: for text and JSON printed to a terminal, which acts
 *   on escape sequences (colours, cursor moves, OSC 8 links, window titles, clipboard writes).
 * - `neutraliseFormula` / `spreadsheetCell`: for values in a table someone may paste into a
 *   spreadsheet, which would run a cell starting with `=`, `+`, `-` or `@` as a formula.
 */

const ELLIPSIS = "…";

/** Bidirectional embeddings, overrides and isolates: they can make "gpj.exe" read as "exe.jpg". */
function isBidiControl(code: number): boolean {
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/** Line and paragraph separators of every kind, and tabs: all shown as one space. */
function isBreak(code: number): boolean {
  return (
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0b ||
    code === 0x0c ||
    code === 0x0d ||
    code === 0x85 ||
    code === 0x2028 ||
    code === 0x2029
  );
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * One line of printable text: breaks and tabs become single spaces, other control characters and
 * bidi controls are dropped, lone surrogates become U+FFFD, runs of spaces collapse, ends are trimmed.
 */
export function cleanText(s: string): string {
  let out = "";
  let space = false;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (isBreak(code) || code === 0x20) {
      space = true;
      continue;
    }
    if (isControl(code) || isBidiControl(code)) continue;
    let ch = s[i] as string;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        ch = s.slice(i, i + 2);
        i++;
      } else {
        ch = "\uFFFD";
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      ch = "\uFFFD";
    }
    if (space && out.length > 0) out += " ";
    space = false;
    out += ch;
  }
  return out;
}

/** Look-alikes for the mrkdwn formatting marks: they read the same and format nothing. */
const MARK_LOOKALIKE: Record<string, string> = {
  "*": "\u2217", // ∗ asterisk operator
  _: "\uFF3F", // ＿ fullwidth low line
  "~": "\u223C", // ∼ tilde operator
  "`": "\u02CB", // ˋ modifier letter grave accent
};

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * mrkdwn has no escape character, so marks that could format are swapped for look-alikes. `*`, `~`
 * and backticks always are (rare in names, and `2*3*4` or `~5% to ~8%` would format); `_` only where
 * it could open or close italics, so `Product_Category` and `SKU_123` stay exactly as written.
 */
function neutraliseMarks(s: string): string {
  return s.replace(/[*_~`]/g, (mark, offset: number) => {
    if (mark === "_") {
      const before = s[offset - 1];
      const after = s[offset + 1];
      if (before !== undefined && after !== undefined && WORD_CHAR.test(before) && WORD_CHAR.test(after))
        return mark;
    }
    return MARK_LOOKALIKE[mark] ?? mark;
  });
}

function escapeSlackControl(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A value from a file (or a model) as Slack mrkdwn that shows exactly that text and nothing more. */
export function escapeSlackText(s: string): string {
  return escapeSlackControl(neutraliseMarks(cleanText(s)));
}

/** A value for a Slack `plain_text` object (no formatting, but `&`, `<`, `>` are still special). */
export function escapeSlackPlainText(s: string): string {
  return escapeSlackControl(cleanText(s));
}

const HTML_ENTITY: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** A value as HTML text or a quoted attribute value (cleaned to one line first). */
export function escapeHtml(s: string): string {
  return cleanText(s).replace(/[&<>"']/g, (ch) => HTML_ENTITY[ch] ?? ch);
}

/** Cuts `s` to at most `max` UTF-16 units, ending in "…" when cut; never splits a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 0) return "";
  if (max === 1) return ELLIPSIS;
  let end = max - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/**
 * The longest prefix of `raw` whose escaped form (plus "…" when cut) fits in `max` units. Escaping
 * happens after cutting, so an entity such as `&amp;` is never cut in half.
 */
export function clipEscaped(raw: string, max: number, escapeFn: (s: string) => string): string {
  const whole = escapeFn(raw);
  if (whole.length <= max) return whole;
  if (max <= 0) return "";
  const text = cleanText(raw);
  const fits = (n: number) => escapeFn(clip(text, n)).length <= max;
  // Escaped length grows with the prefix, so the longest prefix that fits is found by bisection.
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? escapeFn(clip(text, lo)) : ELLIPSIS;
}

/**
 * Control characters a terminal may act on: C0 (ESC starts ANSI/OSC sequences, BEL ends OSC, CR
 * rewinds the line so later text hides earlier), DEL, C1 (0x9b is a one-byte CSI, 0x9d a one-byte
 * OSC) and bidi controls. Newline and tab are kept: the layout of a whole report needs them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text as a terminal will show it, with every control character it could act on removed (newlines
 * and tabs stay). The last pass over everything the CLI prints, so a label missed upstream still
 * cannot colour, move, retitle or link anything. Labels should also go through `cleanText` first,
 * so one value stays on one line.
 */
export function stripTerminalControls(s: string): string {
  return s.replace(TERMINAL_SEQUENCE, "").replace(TERMINAL_CONTROL, "");
}

/**
 * Whole ECMA-48 sequences, so that no half of one is printed either ("No[31mrth" once the ESC alone
 * was dropped from a region named "No\x1b[31mrth"): CSI (ESC [ or 0x9b, parameters, final byte);
 * OSC, DCS, SOS, PM and APC strings (ESC ] P X ^ _ or their C1 bytes) up to BEL or ST, the hidden
 * link target of an OSC 8 hyperlink included, but never past the end of the line (an unterminated
 * string in one cell must not swallow the rest of the report); other escapes (ESC, intermediates,
 * final byte).
 */
const TERMINAL_SEQUENCE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c\n]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -/]*[0-~]/g;

/**
 * Characters JSON.stringify leaves raw that a terminal may act on (DEL, C1, bidi controls) or show
 * as a line break (U+2028/2029). As `\uXXXX` escapes the JSON still parses to exactly the same
 * values, so a script reading --json gets the file's data unchanged.
 */
const JSON_RAW_CONTROL = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `JSON.stringify(value, null, 2)` that is safe to print to a terminal (C0 is escaped by JSON already). */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    JSON_RAW_CONTROL,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * First characters that make a spreadsheet read a pasted cell as a formula (OWASP "CSV injection"):
 * `= + - @`, tab and CR, and the full-width `＝ ＋ － ＠` that some Excel locales treat the same.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A label prefixed with `'` when a spreadsheet would run it as a formula: `=HYPERLINK(...)` shows
 * as text instead of becoming a live link. Only for values from the file; our own figures ("-$12K")
 * are not labels and must not be touched.
 */
export function neutraliseFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** A value from the file as one clean line that is safe in a table cell someone may paste anywhere. */
export function spreadsheetCell(s: string): string {
  return neutraliseFormula(cleanText(s));
}
