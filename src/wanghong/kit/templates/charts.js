// Draws every chart the server described as data (kit.pages.chart_html): no inline script per chart, so the
// pages keep a Content-Security-Policy without 'unsafe-inline'. Loaded with `defer`, after plotly.min.js.
(function () {
  "use strict";
  function draw(div) {
    var figure = JSON.parse(div.dataset.figure);
    var config = JSON.parse(div.dataset.config || "{}");
    window.PLOTLYENV = window.PLOTLYENV || {};
    Plotly.newPlot(div, figure.data || [], figure.layout || {}, config);
  }
  function drawAll() {
    if (typeof Plotly === "undefined") return;
    document.querySelectorAll("div.plotly-graph-div[data-figure]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
