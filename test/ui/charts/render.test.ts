import { describe, expect, it } from "vitest";
import type { ChartDescription } from "../../../src/ui/charts/describe.js";
import { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH, renderChart } from "../../../src/ui/charts/render.js";

const chart = (overrides: Partial<ChartDescription> = {}): ChartDescription => ({
  id: "revenue-by-group",
  kind: "bar",
  title: "Gross revenue by region (EUR)",
  categories: ["Nordrhein-Westfalen Großhandel", "Bayern", "Other"],
  series: [{ name: "Gross revenue", values: [1_234_567.89, 684_000, 12_500] }],
  xLabel: "Region",
  yLabel: "Gross revenue (EUR)",
  currency: { code: "EUR", symbol: "€" },
  description: "",
  pooledLast: true,
  ...overrides,
});

describe("renderChart", () => {
  it("draws figures like the summary (currency symbol, K/M), long names shortened, Other in grey", () => {
    const { svg, png, width, height } = renderChart(chart());
    for (const label of ["€1.2M", "€684K", "€12.5K", "Nordrhein-Westfalen…", "Bayern"]) {
      expect(svg).toContain(`>${label}<`);
    }
    expect(svg).not.toContain("Nordrhein-Westfalen Großhandel");
    expect(svg).toContain("#0072B2");
    expect(svg).toContain("#9aa5b1");
    expect(svg).not.toMatch(/NaN|Infinity|e\+/);
    expect(png.readUInt32BE(16)).toBe(CHART_WIDTH * CHART_SCALE);
    expect({ width, height }).toEqual({
      width: CHART_WIDTH * CHART_SCALE,
      height: CHART_HEIGHT * CHART_SCALE,
    });
  });

  it("draws a two-series line with a legend, in the colour-blind-safe palette", () => {
    const { svg } = renderChart(
      chart({
        id: "revenue-over-time",
        kind: "line",
        title: "Net revenue by month",
        categories: ["Jan 2026", "Feb 2026", "Mar 2026"],
        series: [
          { name: "Net revenue", values: [100, 200, 150] },
          { name: "Cancellations", values: [0, 20, 5] },
        ],
        currency: null,
        pooledLast: undefined,
      }),
    );
    for (const text of ["Net revenue", "Cancellations", "Jan 2026", "Mar 2026"])
      expect(svg).toContain(`>${text}<`);
    expect(svg).toContain("#0072B2");
    expect(svg).toContain("#D55E00");
  });
});
