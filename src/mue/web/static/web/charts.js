/*
 * Charts drawn with the vendored Chart.js from JSON the page carries (no inline script: the CSP
 * allows scripts from 'self' only):
 *
 *   <canvas data-mue-chart="ID" role="img" aria-label="…">  draws the chart described by the
 *       <script type="application/json" id="ID"> element (Django's json_script):
 *       {"type": "radar"|"line", "labels": [...], "min": 1, "max": 5,
 *        "datasets": [{"label": "...", "data": [...]}]}
 *
 * Series are told apart without colour too: each has its own line dash and point shape, which the
 * legend shows. The figures are always also in a table next to the chart.
 */
(() => {
  "use strict";

  const STYLES = [
    { color: "#206bc4", dash: [], point: "circle" },
    { color: "#d63939", dash: [6, 4], point: "triangle" },
    { color: "#2fb344", dash: [2, 3], point: "rect" },
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
    return lines.length > 1 ? lines : label;
  }

  function draw(canvas) {
    if (canvas.dataset.mueDrawn || typeof Chart === "undefined") return;
    const source = document.getElementById(canvas.dataset.mueChart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    canvas.dataset.mueDrawn = "1";
    const datasets = spec.datasets.map((set, i) => {
      const style = STYLES[i % STYLES.length];
      return {
        label: set.label, data: set.data, borderColor: style.color, backgroundColor: style.color + "22",
        borderDash: style.dash, pointStyle: style.point, pointRadius: 5, pointBackgroundColor: style.color,
        borderWidth: 2, fill: spec.type === "radar", spanGaps: true, tension: 0,
      };
    });
    const scale = { min: spec.min, max: spec.max, ticks: { stepSize: 1 } };
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.type === "radar" ? spec.labels.map((l) => wrap(l, 14)) : spec.labels, datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, layout: { padding: 4 },
        scales: spec.type === "radar" ? { r: { ...scale, pointLabels: { font: { size: 11 }, color: "#374151" } } }
                                      : { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: datasets.length > 1, labels: { usePointStyle: true } } },
      },
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-mue-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", () => drawAll(document));
  document.addEventListener("htmx:load", (event) => drawAll(event.target));
})();
