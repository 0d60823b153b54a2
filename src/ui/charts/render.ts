import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { formatMoney } from "../format.js";
import { shortenLabel } from "../slack/data-blocks.js";
import type { ChartDescription } from "./describe.js";
import { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH } from "./size.js";

/**
 * Charts as SVG and PNG, drawn on the server from a chart description: ECharts renders the SVG
 * without a browser (its SSR mode), resvg turns it into a PNG. Both use the Inter font shipped in
 * node_modules (@expo-google-fonts/inter, SIL Open Font License) and never the system's fonts, so a
 * chart looks the same on a laptop, in CI and in the Docker image (which has no fonts at all).
 *
 * Sized for e-mail (see size.ts), drawn at 2x so it stays sharp on phones and retina screens. Light background, Okabe-Ito colours (distinguishable with every common
 * colour-vision deficiency), axis figures formatted like the summary (684K, $1.2M).
 */

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

export { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH };

/** Okabe & Ito (2008): blue, vermillion, bluish green, orange, sky blue, reddish purple. */
const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7"];
const TEXT = "#1f2933";
const MUTED = "#616e7c";
const RULE = "#e4e7eb";
const OTHER = "#9aa5b1";
const FONT = "Inter";
/** Longest bar label (group name) drawn; longer names end in "…". */
const BAR_LABEL = 20;

const require = createRequire(import.meta.url);
/** The font files, resolved through Node's resolution so any install layout (npm, Docker) finds them. */
export const FONT_FILES = ["400Regular/Inter_400Regular.ttf", "600SemiBold/Inter_600SemiBold.ttf"].map((f) =>
  join(dirname(require.resolve("@expo-google-fonts/inter/package.json")), f),
);

export interface RenderedChart {
  svg: string;
  png: Buffer;
  width: number;
  height: number;
}

/** The chart as an SVG document (CHART_WIDTH x CHART_HEIGHT). */
export function renderChartSvg(chart: ChartDescription): string {
  const instance = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  });
  try {
    instance.setOption(chart.kind === "bar" ? barOption(chart) : lineOption(chart));
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}

/** The chart as SVG and as a PNG of CHART_SCALE times its size. */
export function renderChart(chart: ChartDescription): RenderedChart {
  const svg = renderChartSvg(chart);
  const png = new Resvg(svg, {
    background: "#ffffff",
    fitTo: { mode: "width", value: CHART_WIDTH * CHART_SCALE },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT },
  })
    .render()
    .asPng();
  return { svg, png, width: CHART_WIDTH * CHART_SCALE, height: CHART_HEIGHT * CHART_SCALE };
}

const textStyle = { fontFamily: FONT, color: TEXT };

function base(chart: ChartDescription) {
  return {
    animation: false,
    backgroundColor: "#ffffff",
    color: PALETTE,
    textStyle,
    title: {
      text: chart.title,
      left: 16,
      top: 12,
      textStyle: { fontFamily: FONT, fontSize: 18, fontWeight: 600, color: TEXT },
    },
  };
}

function moneyAxis(chart: ChartDescription) {
  return {
    type: "value" as const,
    axisLabel: {
      fontFamily: FONT,
      fontSize: 15,
      color: MUTED,
      formatter: (v: number) => formatMoney(v, chart.currency),
    },
    splitLine: { lineStyle: { color: RULE } },
    splitNumber: 4,
  };
}

/** Under the title, not beside it: a long title and two legend entries do not fit one line. */
function legendUnderTitle() {
  return { top: 42, left: 10, itemWidth: 18, textStyle: { fontFamily: FONT, fontSize: 15, color: MUTED } };
}

function lineOption(chart: ChartDescription) {
  const legend = chart.series.length > 1;
  return {
    ...base(chart),
    legend: legend ? legendUnderTitle() : undefined,
    grid: {
      left: 16,
      right: 32,
      top: legend ? 84 : 60,
      bottom: 16,
      outerBoundsMode: "same" as const,
      outerBoundsContain: "axisLabel" as const,
    },
    xAxis: {
      type: "category" as const,
      data: chart.categories,
      boundaryGap: false,
      axisLabel: { fontFamily: FONT, fontSize: 15, color: MUTED, hideOverlap: true },
      axisLine: { lineStyle: { color: MUTED } },
      axisTick: { alignWithLabel: true },
    },
    yAxis: moneyAxis(chart),
    series: chart.series.map((s, i) => ({
      type: "line" as const,
      name: s.name,
      data: s.values,
      symbol: "circle",
      symbolSize: chart.categories.length > 12 ? 5 : 7,
      lineStyle: { width: i === 0 ? 3 : 2, type: i === 0 ? "solid" : "dashed" },
    })),
  };
}

/**
 * Horizontal bars, largest at the top: long group names stay readable at phone width. With two or
 * more series (a comparison: previous period, then this one), the bars are grouped per category in
 * series order, with a legend under the title; the earlier period is drawn in grey so the current
 * one stands out, and each bar carries its figure.
 */
function barOption(chart: ChartDescription) {
  const grouped = chart.series.length > 1;
  const values = chart.series[0]?.values ?? [];
  const label = {
    show: true,
    position: "right" as const,
    fontFamily: FONT,
    fontSize: grouped ? 13 : 15,
    color: TEXT,
    formatter: (p: { value: unknown }) => formatMoney(Number(p.value), chart.currency),
  };
  return {
    ...base(chart),
    legend: grouped ? legendUnderTitle() : undefined,
    grid: {
      left: 16,
      right: 64,
      top: grouped ? 78 : 60,
      bottom: 16,
      outerBoundsMode: "same" as const,
      outerBoundsContain: "axisLabel" as const,
    },
    xAxis: { ...moneyAxis(chart), splitNumber: 3 },
    yAxis: {
      type: "category" as const,
      inverse: true,
      data: chart.categories.map((c) => shortenLabel(c, BAR_LABEL)),
      axisLabel: { fontFamily: FONT, fontSize: 15, color: TEXT, interval: 0 },
      axisLine: { lineStyle: { color: MUTED } },
      axisTick: { show: false },
    },
    series: grouped
      ? chart.series.map((s, i) => ({
          type: "bar" as const,
          name: s.name,
          data: s.values,
          barMaxWidth: 14,
          barGap: "10%",
          itemStyle: {
            color: chart.series.length === 2 ? [OTHER, PALETTE[0]][i] : PALETTE[i % PALETTE.length],
          },
          label,
        }))
      : [
          {
            type: "bar" as const,
            name: chart.series[0]?.name ?? "",
            // The pooled "Other" bar (always last) in grey: it is many groups, not one.
            data: values.map((value, i) =>
              chart.pooledLast && i === values.length - 1 ? { value, itemStyle: { color: OTHER } } : value,
            ),
            barMaxWidth: 22,
            label,
          },
        ],
  };
}
