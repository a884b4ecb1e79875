/* perfpages charts: draws each chart from the JSON in its page, after the page's text and
   tables are shown. Plotly is loaded from this site only, once, and only on pages with a chart.
   Everything a chart shows is also in the page as text (summary) and a table. */
(function () {
  "use strict";
  var script = document.currentScript;
  var plotlySrc = script ? script.getAttribute("data-plotly") : null;

  function loadPlotly(done) {
    if (window.Plotly) {
      done();
      return;
    }
    var tag = document.createElement("script");
    tag.src = plotlySrc;
    tag.async = true;
    tag.onload = done;
    document.head.appendChild(tag);
  }

  function hideFromAssistiveTech(el) {
    // The figure's accessible name and description come from its caption and summary.
    el.querySelectorAll("svg").forEach(function (svg) {
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
    });
  }

  function addDownload(el) {
    var label = el.getAttribute("data-download-label");
    if (!label || el.parentNode.querySelector(".pp-chart__download")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button pp-chart__download";
    button.textContent = label;
    button.addEventListener("click", function () {
      window.Plotly.downloadImage(el, {
        format: "png",
        width: 1000,
        height: 500,
        filename: el.getAttribute("data-filename") || "chart"
      });
    });
    el.parentNode.insertBefore(button, el.nextSibling);
  }

  // On a phone the key and the period labels take much of the chart's height: give the plot
  // more room and fewer, shorter-spaced labels.
  var NARROW = 480;
  function fitToWidth(layout, width) {
    if (width >= NARROW) return;
    layout.height = Math.max(layout.height || 0, 440);
    layout.font = Object.assign({}, layout.font, { size: 12 });
    layout.xaxis = Object.assign({}, layout.xaxis, { nticks: 4 });
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    fitToWidth(spec.layout, el.clientWidth);
    var config = {
      displayModeBar: false,
      displaylogo: false,
      showSendToCloud: false,
      responsive: true,
      scrollZoom: false,
      doubleClick: false
    };
    window.Plotly.newPlot(el, spec.data, spec.layout, config).then(function () {
      hideFromAssistiveTech(el);
      addDownload(el);
      dismissHoverOnEscape(el);
    });
  }

  // A value shown on hover can be dismissed without moving the pointer (WCAG 1.4.13); the
  // same values are in the table below the chart.
  function dismissHoverOnEscape(el) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && window.Plotly.Fx) window.Plotly.Fx.unhover(el);
    });
  }

  function start() {
    var plots = document.querySelectorAll(".pp-chart__plot[data-chart]");
    if (!plots.length || !plotlySrc) return;
    loadPlotly(function () {
      plots.forEach(draw);
    });
  }

  // Wait for the page to finish loading so the chart never delays its text and tables.
  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
