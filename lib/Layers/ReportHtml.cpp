//===- ReportHtml.cpp - The per-layer report as one HTML page -------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The page holds the JSON report (toJson) in a <script type="application/json">
// element and a script that draws it: nothing is fetched, so the file can be
// mailed or attached to a bug. The script marks what it drew (data-rows on
// the table, data-bars on the chart, data-drawn on each histogram) so that a
// headless browser test can check the page rendered.
//
//===----------------------------------------------------------------------===//

#include "slim/Layers/Report.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::slim;

static constexpr llvm::StringLiteral kHead = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Slim per-layer report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left;
         vertical-align: top; }
th { background: #f0f0f0; cursor: pointer; user-select: none; }
th.sorted-up::after { content: " \25B2"; }
th.sorted-down::after { content: " \25BC"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.float td.compute { color: #a33; }
#summary td:first-child { font-weight: 600; }
.histograms { display: flex; flex-wrap: wrap; gap: 12px; }
.histogram-box { border: 1px solid #ddd; padding: 4px; font-size: 12px; }
svg text { font: 11px system-ui, sans-serif; }
</style>
</head>
<body>
<h1>Slim per-layer report</h1>
<table id="summary"></table>
<h2>Layers</h2>
<p>Click a column's header to sort by it (again to reverse); an address
ending in <code>#sort=error</code> or <code>#sort=-sqnr</code> opens the page
sorted.</p>
<table id="layers"><thead></thead><tbody></tbody></table>
<h2>Weight SQNR and output error per layer</h2>
<p>Weight SQNR in dB (longer is better), and the relative output error that
pruning or factorization measured (longer is worse).</p>
<svg id="error-chart" width="900" height="40"></svg>
<h2>Activations</h2>
<p>Calibration histogram of each quantized activation (counts on a log
scale), the range chosen for it shaded, the values outside it clipped.</p>
<div id="histograms" class="histograms"></div>
<script type="application/json" id="report">
)html";

static constexpr llvm::StringLiteral kTail = R"html(
</script>
<script>
"use strict";
const report = JSON.parse(document.getElementById("report").textContent);
const layers = report.layers || [];
const SVG = "http://www.w3.org/2000/svg";

function el(tag, attrs, text) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4))
                                   : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function num(x, digits) {
  if (x === undefined || x === null) return "";
  if (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0))
    return x.toExponential(digits === undefined ? 3 : digits);
  return x.toPrecision(digits === undefined ? 4 : digits);
}
// Whole counts: 1234, 12.3 k, 1.36 G.
function count(x) {
  if (x === undefined || x === null) return "";
  const units = [[1e9, 1e9, " G"], [1e6, 1e6, " M"], [1e4, 1e3, " k"]];
  for (const [from, unit, name] of units)
    if (x >= from) return (x / unit).toPrecision(3) + name;
  return String(Math.round(x));
}
function bytes(b) {
  if (b === undefined || b === null) return "";
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (b >= 1024 && i + 1 < units.length) { b /= 1024; ++i; }
  return (i ? b.toFixed(1) : String(b)) + " " + units[i];
}

// What each layer runs as, and its costs after compression.
function factorized(l) {
  return l.low_rank && l.low_rank.decision === "factorized";
}
function compute(l) {
  if (factorized(l))
    return "factorized: rank " + l.low_rank.rank + " (" + l.low_rank.method +
           "), the /factor rows";
  if (l.skipped) return "float: skipped (skip=" + l.skipped + ")";
  if (l.integer_op) return l.integer_op;
  if (l.unfused) return "float: " + l.unfused;
  if (l.weight) return "float activations, int" + l.weight.bits + " weights";
  return "float";
}
// Whether the layer runs on integers (compute or weights).
function integer(l) {
  return !factorized(l) && !l.skipped && (l.integer_op !== undefined ||
                                          l.weight !== undefined);
}
// A factorized layer's costs move to its factors' rows (the report's
// weight_bytes_after says so).
function bytesAfter(l) { return l.weight_bytes_after; }
// What the kernels execute: removed channels and heads are gone; N:M,
// block and unstructured zeros are still multiplied (2:4 int8 weights are
// stored sparse but expanded in the kernel).
function macsAfter(l) {
  if (l.macs === undefined) return undefined;
  if (factorized(l)) return 0;
  const p = l.pruning;
  if (p && p.units && p.kept)
    return Math.round(l.macs * p.kept.length / p.units);
  return l.macs;
}
// Rows of layers a step made (factors) count after, not before.
function macsBefore(l) { return l.added_by ? 0 : l.macs; }
function outputError(l) {
  if (l.pruning && l.pruning.output_error !== undefined)
    return l.pruning.output_error;
  if (factorized(l) && l.low_rank.output_error !== undefined)
    return l.low_rank.output_error;
  return undefined;
}
function activation(a) {
  if (!a) return "float";
  if (a.dynamic) return "dynamic " + a.dynamic;
  let s = a.scale !== undefined ? "S=" + num(a.scale) + " Z=" + (a.zero_point || 0)
                                : "per channel";
  if (a.range) s += " [" + num(a.range[0]) + ", " + num(a.range[1]) + "]";
  if (a.clipped !== undefined) s += ", " + (100 * a.clipped).toFixed(3) + "% clipped";
  if (a.method) s += " (" + a.method + ")";
  return s;
}
function weight(l) {
  const w = l.weight;
  if (!w) return l.input1 ? activation(l.input1) : "float";
  return "int" + w.bits + " " + w.granularity +
         (w.gptq ? ", GPTQ" : "") + (w.scheme ? ", " + w.scheme : "");
}

// [header, value, numeric, key (for #sort=key or #sort=-key in the URL)]
const columns = [
  ["layer", l => l.layer, false, "layer"],
  ["op", l => l.op, false, "op"],
  ["compute", compute, false, "compute"],
  ["input", l => activation(l.input), false, "input"],
  ["weight", weight, false, "weight"],
  ["weight SQNR (dB)", l => l.weight ? l.weight.sqnr_db : undefined, true, "sqnr"],
  ["output error", outputError, true, "error"],
  ["output", l => activation(l.output), false, "output"],
  ["MACs", l => l.macs, true, "macs"],
  ["MACs after", macsAfter, true, "macs-after"],
  ["weight bytes", l => l.weight_bytes, true, "bytes"],
  ["weight bytes after", bytesAfter, true, "bytes-after"],
];

function drawTable() {
  const table = document.getElementById("layers");
  const head = el("tr");
  columns.forEach(([name, , numeric], i) => {
    const th = el("th", {"data-column": i}, name);
    th.addEventListener("click", () => sortBy(i));
    head.appendChild(th);
  });
  table.tHead.appendChild(head);
  layers.forEach((l, index) => {
    const c = compute(l);
    const tr = el("tr", {"class": "layer" + (c === "float" || c.startsWith("float:") ? " float" : ""),
                         "data-index": index});
    for (const [name, get, numeric] of columns) {
      const v = get(l);
      const text = !numeric ? (v === undefined ? "" : String(v)) :
                   name.includes("bytes") ? bytes(v) :
                   name.startsWith("MACs") ? count(v) : num(v);
      const td = el("td", {"class": numeric ? "num" : (name === "compute" ? "compute" : "")},
                    text);
      if (numeric && v !== undefined && v !== null) td.dataset.value = v;
      tr.appendChild(td);
    }
    table.tBodies[0].appendChild(tr);
  });
  table.dataset.rows = layers.length;
}

let sorted = {column: -1, up: true};
function sortBy(i, direction) {
  const up = direction !== undefined ? direction
                                     : (sorted.column === i ? !sorted.up : true);
  sorted = {column: i, up};
  const body = document.getElementById("layers").tBodies[0];
  const numeric = columns[i][2];
  const key = tr => {
    const td = tr.children[i];
    if (numeric) return td.dataset.value === undefined ? NaN : Number(td.dataset.value);
    return td.textContent;
  };
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    // Empty cells last either way.
    if (numeric && (isNaN(x) || isNaN(y))) return isNaN(x) - isNaN(y);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return up ? c : -c;
  });
  rows.forEach(r => body.appendChild(r));
  document.querySelectorAll("#layers th").forEach((th, j) => {
    th.className = j === i ? (up ? "sorted-up" : "sorted-down") : "";
  });
}

function drawSummary() {
  const t = document.getElementById("summary");
  const sum = f => layers.reduce((s, l) => s + (f(l) || 0), 0);
  const original = layers.filter(l => !l.added_by).length;
  const made = layers.length - original;
  const rows = [
    ["layers", original + (made ? " (+" + made + " made by factorization)" : "") + ", " +
               layers.filter(integer).length + " with integer weights or compute"],
    ["weight bytes", bytes(report.weight_bytes.before) + " \u2192 " + bytes(report.weight_bytes.after)],
    ["multiply-adds per run", count(sum(macsBefore)) + " \u2192 " + count(sum(macsAfter))],
  ];
  const model = report.model || {};
  if (model.input) rows.push(["model", model.input]);
  if (model.recipe) rows.push(["recipe", model.recipe]);
  if (model.constant_bytes_before !== undefined)
    rows.push(["constants in the module",
               bytes(model.constant_bytes_before) + " \u2192 " + bytes(model.constant_bytes_after)]);
  if (model.calibration_samples !== undefined)
    rows.push(["calibration samples", String(model.calibration_samples)]);
  for (const [k, v] of rows) {
    const tr = el("tr");
    tr.appendChild(el("td", {}, k));
    tr.appendChild(el("td", {}, v));
    t.appendChild(tr);
  }
}

function drawChart() {
  const svg = document.getElementById("error-chart");
  const rows = layers.map(l => [l.layer, l.weight ? l.weight.sqnr_db : undefined, outputError(l)])
                     .filter(([, s, e]) => typeof s === "number" || typeof e === "number");
  const rowH = 16, left = 260, width = 560;
  svg.setAttribute("height", Math.max(40, rows.length * rowH + 30));
  const maxS = Math.max(1, ...rows.map(r => typeof r[1] === "number" ? r[1] : 0));
  const maxE = Math.max(1e-12, ...rows.map(r => typeof r[2] === "number" ? r[2] : 0));
  let bars = 0;
  rows.forEach(([name, s, e], i) => {
    const y = 20 + i * rowH;
    svg.appendChild(el("svg:text", {x: left - 6, y: y + 11, "text-anchor": "end"}, name));
    if (typeof s === "number") {
      const w = Math.max(1, width * s / maxS / (typeof e === "number" ? 2 : 1));
      const r = el("svg:rect", {x: left, y: y + 2, width: w, height: rowH - 4,
                                fill: "#4a7ebb", "class": "bar sqnr"});
      r.appendChild(el("svg:title", {}, name + ": " + s.toFixed(2) + " dB"));
      svg.appendChild(r);
      svg.appendChild(el("svg:text", {x: left + w + 4, y: y + 11}, s.toFixed(1) + " dB"));
      ++bars;
    }
    if (typeof e === "number") {
      const x = left + (typeof s === "number" ? width / 2 + 60 : 0);
      const w = Math.max(1, (width / 2) * e / maxE);
      const r = el("svg:rect", {x, y: y + 2, width: w, height: rowH - 4,
                                fill: "#c0504d", "class": "bar error"});
      r.appendChild(el("svg:title", {}, name + ": output error " + num(e)));
      svg.appendChild(r);
      svg.appendChild(el("svg:text", {x: x + w + 4, y: y + 11}, num(e, 3)));
      ++bars;
    }
  });
  if (!rows.length)
    svg.appendChild(el("svg:text", {x: 4, y: 20}, "no layer has a weight SQNR or an output error"));
  svg.dataset.bars = bars;
}

function drawHistogram(box, a) {
  const h = a.histogram, counts = h.counts, W = 280, H = 110;
  const svg = el("svg:svg", {width: W, height: H + 16, "class": "histogram"});
  const [lo, hi] = h.range;
  const span = hi > lo ? hi - lo : 1;
  const xOf = v => (v - lo) / span * W;
  const peak = Math.max(1, ...counts);
  const scale = c => c > 0 ? (Math.log10(c) + 1) / (Math.log10(peak) + 1) * H : 0;
  if (a.range) {
    const x0 = Math.max(0, xOf(a.range[0])), x1 = Math.min(W, xOf(a.range[1]));
    svg.appendChild(el("svg:rect", {x: x0, y: 0, width: Math.max(1, x1 - x0), height: H,
                                    fill: "#dfe9f5", "class": "chosen-range"}));
  }
  const bw = W / counts.length;
  let drawn = 0;
  counts.forEach((c, i) => {
    if (!c) return;
    const hgt = scale(c);
    svg.appendChild(el("svg:rect", {x: i * bw, y: H - hgt, width: Math.max(0.5, bw - 0.5),
                                    height: hgt, fill: "#4a7ebb", "class": "bin"}));
    ++drawn;
  });
  svg.appendChild(el("svg:text", {x: 0, y: H + 13}, num(lo, 3)));
  svg.appendChild(el("svg:text", {x: W, y: H + 13, "text-anchor": "end"}, num(hi, 3)));
  svg.dataset.drawn = drawn;
  box.appendChild(svg);
}

function drawHistograms() {
  const div = document.getElementById("histograms");
  const seen = new Set();
  for (const l of layers)
    for (const key of ["input", "input1", "output"]) {
      const a = l[key];
      if (!a || !a.histogram || seen.has(a.id)) continue;
      seen.add(a.id);
      const box = el("div", {"class": "histogram-box"});
      box.appendChild(el("div", {}, (a.id || l.layer + " " + key)));
      box.appendChild(el("div", {}, "range [" + num(a.range[0]) + ", " + num(a.range[1]) +
                                    "] of [" + num(a.observed[0]) + ", " + num(a.observed[1]) +
                                    "], " + (100 * (a.clipped || 0)).toFixed(3) + "% clipped"));
      drawHistogram(box, a);
      div.appendChild(box);
    }
  if (!seen.size) div.textContent = "No calibrated activation in this report.";
  div.dataset.histograms = seen.size;
}

// The page's address may name the order: report.html#sort=-error.
function sortFromAddress() {
  const m = /^#sort=(-?)([a-z-]+)$/.exec(window.location.hash);
  if (!m) return;
  const i = columns.findIndex(c => c[3] === m[2]);
  if (i >= 0) sortBy(i, m[1] !== "-");
}

drawSummary();
drawTable();
sortFromAddress();
drawChart();
drawHistograms();
document.body.dataset.rendered = "true";
</script>
</body>
</html>
)html";

std::string LayerReport::toHtml() const {
  // Inside <script>, "</script" would end the element: every '<' of the
  // JSON (only in strings) becomes the escape \u003c.
  std::string json = llvm::formatv("{0}", toJson()).str();
  std::string escaped;
  escaped.reserve(json.size());
  for (char c : json) {
    if (c == '<')
      escaped += "\\u003c";
    else
      escaped += c;
  }
  return (kHead + escaped + kTail).str();
}
