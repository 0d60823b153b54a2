/**
 * Slack's documented rules for the `data_visualization` and `data_table` blocks, written from
 * ../shared/notes/slack-data-blocks.md independently of the app's builders (src/ui/slack/data-blocks.ts),
 * so a builder bug cannot hide behind the same mistake in its check. The fake Slack answers
 * `invalid_blocks` with these messages; tests also call it directly. Lower figures where the docs
 * disagree (6 series, 101 rows, 10,000 characters).
 *
 * Messages look like Slack's: `[ERROR] <what> [json-pointer:/blocks/3/title]`.
 */
export function dataBlockErrors(
  blocks: unknown,
  options: { unsupported?: ReadonlySet<string> } = {},
): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return errors;
  const err = (path: string, what: string) => errors.push(`[ERROR] ${what} [json-pointer:/blocks/${path}]`);
  let charts = 0;
  let tableCharacters = 0;
  blocks.forEach((raw, i) => {
    const block = raw as Record<string, unknown>;
    const type = block?.type;
    if (typeof type === "string" && options.unsupported?.has(type)) {
      err(`${i}`, `unsupported block type: ${type}`);
      return;
    }
    if (type === "data_visualization") {
      charts++;
      if (charts > 2) err(`${i}`, "no more than 2 data_visualization blocks are allowed");
      checkChart(block, `${i}`, err);
    } else if (type === "data_table") {
      tableCharacters += checkTable(block, `${i}`, err);
    }
  });
  if (tableCharacters > 10_000) err("", "tables exceed 10000 characters in the message");
  return errors;
}

type Err = (path: string, what: string) => void;

const isText = (v: unknown, max: number, min = 1) =>
  typeof v === "string" && v.length >= min && v.length <= max;

function checkChart(block: Record<string, unknown>, at: string, err: Err) {
  if (!isText(block.title, 50)) err(`${at}/title`, "must be a string of 1-50 characters");
  const chart = block.chart as Record<string, unknown> | undefined;
  if (!chart || typeof chart !== "object") return err(`${at}/chart`, "is required");
  if (chart.type === "pie") {
    const segments = chart.segments;
    if (!Array.isArray(segments) || segments.length < 1 || segments.length > 6)
      return err(`${at}/chart/segments`, "must hold 1-6 segments");
    segments.forEach((s: Record<string, unknown>, j) => {
      if (!isText(s.label, 20)) err(`${at}/chart/segments/${j}/label`, "must be 1-20 characters");
      if (typeof s.value !== "number" || !(s.value > 0))
        err(`${at}/chart/segments/${j}/value`, "must be > 0");
    });
    return;
  }
  if (!["bar", "area", "line"].includes(String(chart.type)))
    return err(`${at}/chart/type`, "unknown chart type");
  const axis = chart.axis_config as Record<string, unknown> | undefined;
  if (!axis || !Array.isArray(axis.categories)) return err(`${at}/chart/axis_config`, "is required");
  const categories = axis.categories as unknown[];
  categories.forEach((c, j) => {
    if (!isText(c, 20)) err(`${at}/chart/axis_config/categories/${j}`, "must be 1-20 characters");
  });
  if (new Set(categories).size !== categories.length)
    err(`${at}/chart/axis_config/categories`, "must be unique");
  for (const key of ["x_label", "y_label"]) {
    if (axis[key] !== undefined && !isText(axis[key], 50))
      err(`${at}/chart/axis_config/${key}`, "max 50 characters");
  }
  const series = chart.series;
  if (!Array.isArray(series) || series.length < 1 || series.length > 6)
    return err(`${at}/chart/series`, "must hold 1-6 series");
  const names = new Set<unknown>();
  for (const [j, s] of (series as Record<string, unknown>[]).entries()) {
    const where = `${at}/chart/series/${j}`;
    if (!isText(s.name, 20)) err(`${where}/name`, "must be 1-20 characters");
    if (names.has(s.name)) err(`${where}/name`, "series names must be unique");
    names.add(s.name);
    const data = s.data;
    if (!Array.isArray(data) || data.length < 1 || data.length > 20)
      return err(`${where}/data`, "must hold 1-20 points");
    const labels = data.map((p: Record<string, unknown>) => p.label);
    data.forEach((p: Record<string, unknown>, k) => {
      if (!isText(p.label, 20)) err(`${where}/data/${k}/label`, "must be 1-20 characters");
      if (!categories.includes(p.label)) err(`${where}/data/${k}/label`, "must match one of the categories");
      if (typeof p.value !== "number" || !Number.isFinite(p.value))
        err(`${where}/data/${k}/value`, "must be a number");
    });
    if (new Set(labels).size !== labels.length || categories.some((c) => !labels.includes(c)))
      err(`${where}/data`, "must hold exactly one point for each category");
  }
}

/** Checks one table; returns its characters (for the per-message total). */
function checkTable(block: Record<string, unknown>, at: string, err: Err): number {
  if (!isText(block.caption, 3000)) err(`${at}/caption`, "is required");
  if (block.page_size !== undefined) {
    const p = block.page_size;
    if (typeof p !== "number" || !Number.isInteger(p) || p < 1 || p > 100)
      err(`${at}/page_size`, "must be 1-100");
  }
  const rows = block.rows;
  if (!Array.isArray(rows) || rows.length < 2 || rows.length > 101) {
    err(`${at}/rows`, "must hold 2-101 rows");
    return 0;
  }
  const width = (rows[0] as unknown[])?.length ?? 0;
  if (width < 1 || width > 20) err(`${at}/rows/0`, "must hold 1-20 cells");
  const index = block.row_header_column_index;
  if (index !== undefined && (typeof index !== "number" || index < 0 || index >= width))
    err(`${at}/row_header_column_index`, "must name a column");
  let characters = 0;
  for (const [r, row] of (rows as unknown[]).entries()) {
    if (!Array.isArray(row) || row.length !== width) {
      err(`${at}/rows/${r}`, "every row must have as many cells");
      continue;
    }
    row.forEach((cell: Record<string, unknown>, c) => {
      const where = `${at}/rows/${r}/${c}`;
      if (cell.type === "raw_text") {
        if (!isText(cell.text, 10_000)) err(`${where}/text`, "must be at least 1 character");
      } else if (cell.type === "raw_number") {
        if (typeof cell.value !== "number" || !Number.isFinite(cell.value))
          err(`${where}/value`, "must be a number");
        if (!isText(cell.text, 10_000)) err(`${where}/text`, "must be at least 1 character");
      } else if (cell.type === "rich_text") {
        if (r === 0) err(where, "rich_text is not allowed in the header row");
      } else {
        err(`${where}/type`, "unknown cell type");
      }
      if (typeof cell.text === "string") characters += cell.text.length;
    });
  }
  if (characters > 10_000) err(`${at}/rows`, "must hold at most 10000 characters");
  return characters;
}
