/*
 * Charts drawn with the vendored Apache ECharts from JSON the page carries (no inline script: the CSP
 * allows scripts from 'self' only). One element per chart, with the figures also in a table:
 *
 *   <div data-mue-chart="ID" role="img" aria-label="…">  draws the chart described by the
 *       <script type="application/json" id="ID"> element (Django's json_script):
 *       {"type": "radar"|"line"|"bars", "labels": [...], "min": 1, "max": 5,
 *        "datasets": [{"label": "...", "data": [...]}], "colours": [...]?}
 *   <div data-mue-chart="bars|line" data-mue-chart-source="ID">  the same, the type in the attribute and
 *       one series given as {"labels": [...], "values": [...], "label": "...", "max": n, "colours": [...]?}.
 *   A heat map: {"type": "heatmap", "labels": [columns], "rows": [rows], "cells": [[column, row, value]],
 *       "min": 1, "max": 8, "label": "..."}; each cell also prints its value, and the element's height
 *       follows the number of rows.
 *
 * Series are told apart without colour too: each has its own line dash and point shape (shown in the
 * legend), bars carry their value and ECharts' decal patterns. The drawing is hidden from assistive
 * technologies, which read the table instead.
 */
(() => {
  "use strict";

  const STYLES = [
    { color: "#206bc4", dash: "solid", symbol: "circle" },
    { color: "#d63939", dash: [6, 4], symbol: "triangle" },
    { color: "#2fb344", dash: [2, 3], symbol: "rect" },
  ];

  /* Long axis names on two or three lines, so that the radar keeps its size. */
  function wrap(label, width) {
    const lines = [];
    let line = "";
    for (const word of String(label).split(" ")) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    }
    if (line) lines.push(line);
    return lines.join("\n");
  }

  function specOf(element) {
    const sourceId = element.getAttribute("data-mue-chart-source");
    const source = document.getElementById(sourceId || element.getAttribute("data-mue-chart"));
    if (!source) return null;
    const data = JSON.parse(source.textContent);
    if (!sourceId) return data;
    return { type: element.getAttribute("data-mue-chart"), labels: data.labels, min: data.min, max: data.max,
             colours: data.colours, datasets: [{ label: data.label || "", data: data.values }] };
  }

  function options(spec) {
    const many = (spec.datasets || []).length > 1;
    const common = {
      aria: { enabled: true, label: { enabled: false }, decal: { show: true } },
      animation: false,
      textStyle: { fontFamily: "inherit" },
      tooltip: { trigger: spec.type === "radar" ? "item" : "axis" },
      legend: many ? { bottom: 0, data: spec.datasets.map((set, i) => ({ name: set.label, icon: STYLES[i % 3].symbol })) }
                   : undefined,
    };
    if (spec.type === "radar") {
      return Object.assign(common, {
        radar: {
          indicator: spec.labels.map((name) => ({ name: wrap(name, 16), min: spec.min ?? 0, max: spec.max ?? 5 })),
          splitNumber: (spec.max ?? 5) - (spec.min ?? 0) || 5, radius: many ? "62%" : "68%",
          axisName: { color: "#374151", fontSize: 11 },
        },
        series: [{
          type: "radar",
          data: spec.datasets.map((set, i) => {
            const style = STYLES[i % STYLES.length];
            return { name: set.label, value: set.data, symbol: style.symbol, symbolSize: 8,
                     lineStyle: { color: style.color, type: style.dash, width: 2 },
                     itemStyle: { color: style.color }, areaStyle: { color: style.color + "22" } };
          }),
        }],
      });
    }
    if (spec.type === "heatmap") {
      // Colour carries the level and each cell prints it: no decal patterns, which would hide the colour.
      return Object.assign(common, {
        aria: { enabled: true, label: { enabled: false }, decal: { show: false } },
        tooltip: { position: "top", formatter: (p) => `${spec.rows[p.value[1]]} · ${spec.labels[p.value[0]]}: ${p.value[2]}` },
        grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
        xAxis: { type: "category", data: spec.labels.map((name) => wrap(name, 16)), splitArea: { show: true },
                 axisLabel: { interval: 0, fontSize: 11, lineHeight: 13 } },
        yAxis: { type: "category", data: spec.rows, inverse: true, splitArea: { show: true },
                 axisLabel: { width: 190, overflow: "truncate" } },
        visualMap: { min: spec.min ?? 0, max: spec.max ?? 8, calculable: false, orient: "horizontal", left: "center",
                     bottom: 0, itemHeight: 120, text: [String(spec.max ?? 8), String(spec.min ?? 0)],
                     inRange: { color: ["#f2a7a7", "#f7c98b", "#fbe9a0", "#b9e2c1", "#5cbf74"] } },
        series: [{ type: "heatmap", name: spec.label || "", data: spec.cells,
                   label: { show: true, fontWeight: "bold", formatter: (p) => p.value[2] },
                   emphasis: { itemStyle: { borderColor: "#1f2937", borderWidth: 1 } } }],
      });
    }
    if (spec.type === "line") {
      return Object.assign(common, {
        grid: { left: 8, right: 36, top: 24, bottom: many ? 36 : 8, containLabel: true },
        xAxis: { type: "category", data: spec.labels, boundaryGap: false },
        yAxis: spec.max != null ? { type: "value", min: spec.min ?? 0, max: spec.max, interval: 1 }
                                : { type: "value", minInterval: 1 },
        series: spec.datasets.map((set, i) => {
          const style = STYLES[i % STYLES.length];
          return { type: "line", name: set.label, data: set.data, color: style.color, symbol: style.symbol,
                   symbolSize: 9, connectNulls: true, lineStyle: { type: style.dash, width: 2 },
                   label: { show: true, position: "top", fontWeight: "bold" } };
        }),
      });
    }
    // Horizontal bars: the labels stay readable however long they are.
    const set = spec.datasets[0];
    return Object.assign(common, {
      grid: { left: 8, right: 36, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: spec.max ?? null, minInterval: 1 },
      yAxis: { type: "category", data: spec.labels, inverse: true, axisLabel: { width: 190, overflow: "truncate" } },
      series: [{
        type: "bar", data: set.data, name: set.label, color: spec.colours ? undefined : STYLES[0].color,
        colorBy: spec.colours ? "data" : "series", barMaxWidth: 22,
        label: { show: true, position: "right", fontWeight: "bold", formatter: (p) => (p.value ?? "—") },
      }],
      color: spec.colours || undefined,
    });
  }

  function draw(element) {
    if (element.dataset.mueDrawn || typeof window.echarts !== "object") return;
    const spec = specOf(element);
    if (!spec) return;
    if (spec.type === "heatmap") element.style.height = `${Math.max(220, 110 + 34 * spec.rows.length)}px`;
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(options(spec));
    element.dataset.mueDrawn = "1";
    element.querySelectorAll("canvas").forEach((canvas) => canvas.setAttribute("aria-hidden", "true"));
    new ResizeObserver(() => chart.resize()).observe(element);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-mue-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", () => drawAll(document));
  document.addEventListener("htmx:load", (event) => drawAll(event.target));
})();
