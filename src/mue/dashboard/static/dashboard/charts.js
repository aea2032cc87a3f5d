/* Mue dashboard charts, drawn with Apache ECharts (vendored, no build step, no inline script).
 *
 *   <div data-mue-chart="bars|line" data-mue-chart-source="ID" aria-describedby="TABLE-ID"></div>
 *
 * reads {labels: [...], values: [...], max?: n, label?: "..."} from the JSON <script id="ID">.
 * Every chart prints its values on the bars or points and uses ECharts' decal patterns, so it reads
 * without colour; the same figures are in the table next to it (aria-describedby), which screen
 * readers use instead of the picture (the canvas is aria-hidden).
 */
(() => {
  "use strict";

  const BLUE = "#206bc4";

  function options(kind, data) {
    const common = {
      // Decal patterns tell the series apart without colour; the description is the server's (translated).
      aria: { enabled: true, label: { enabled: false }, decal: { show: true } },
      animation: false,
      grid: { left: 8, right: 36, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      textStyle: { fontFamily: "inherit" },
    };
    if (kind === "line") {
      return Object.assign(common, {
        xAxis: { type: "category", data: data.labels, boundaryGap: false },
        yAxis: { type: "value", min: data.min ?? 1, max: data.max ?? 5, interval: 1 },
        series: [{
          type: "line", data: data.values, name: data.label || "", color: BLUE, symbol: "circle",
          symbolSize: 9, connectNulls: true, label: { show: true, position: "top", fontWeight: "bold" },
        }],
      });
    }
    // Horizontal bars: the labels stay readable however long they are.
    return Object.assign(common, {
      xAxis: { type: "value", min: 0, max: data.max ?? null, minInterval: 1 },
      yAxis: { type: "category", data: data.labels, inverse: true, axisLabel: { width: 190, overflow: "truncate" } },
      series: [{
        type: "bar", data: data.values, name: data.label || "", color: data.colours ? undefined : BLUE,
        colorBy: data.colours ? "data" : "series", barMaxWidth: 22,
        label: { show: true, position: "right", fontWeight: "bold", formatter: (p) => (p.value ?? "—") },
      }],
      color: data.colours || undefined,
    });
  }

  function draw(element) {
    if (element.dataset.mueChartDrawn || typeof window.echarts !== "object") return;
    const source = document.getElementById(element.getAttribute("data-mue-chart-source"));
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(options(element.getAttribute("data-mue-chart"), data));
    element.dataset.mueChartDrawn = "1";
    // The table holds the figures for assistive technologies; the drawing is decoration for them.
    element.querySelectorAll("canvas").forEach((canvas) => canvas.setAttribute("aria-hidden", "true"));
    new ResizeObserver(() => chart.resize()).observe(element);
  }

  function init(root) {
    root.querySelectorAll("[data-mue-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", () => init(document));
  document.addEventListener("htmx:load", (event) => init(event.target));
})();
