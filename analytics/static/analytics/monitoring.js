/* Monitoring dashboards: draws the trends with Chart.js (vendor/chartjs, installed from npm).
   Data comes only from the json_script element #monitoring-trend:
   {labels: ["dd.mm.yyyy", …], series: [{key, label, unit, values: [number|null, …]}, …]}. */
(function () {
  "use strict";

  function readData() {
    var element = document.getElementById("monitoring-trend");
    return element ? JSON.parse(element.textContent) : null;
  }

  function seriesByKey(data) {
    var result = {};
    data.series.forEach(function (series) { result[series.key] = series; });
    return result;
  }

  function formatValue(value, unit) {
    if (value === null || value === undefined) { return "нет данных"; }
    return String(value).replace(".", ",") + (unit ? " " + unit : "");
  }

  function drawSparkline(canvas, data, series) {
    var chart = new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [{ data: series.values, borderWidth: 1.5, pointRadius: 0, spanGaps: true, tension: 0.2 }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: { x: { display: false }, y: { display: false } }
      }
    });
    canvas.dataset.rendered = "1";
    return chart;
  }

  function drawTrend(canvas, select, data, byKey) {
    function dataset(series) {
      return {
        label: series.label,
        data: series.values,
        borderWidth: 2,
        pointRadius: data.labels.length > 60 ? 0 : 3,
        spanGaps: true,
        tension: 0.2
      };
    }
    var first = byKey[select ? select.value : data.series[0].key] || data.series[0];
    var chart = new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: [dataset(first)] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: true },
          tooltip: {
            callbacks: {
              label: function (context) {
                var series = byKey[canvas.dataset.series];
                return formatValue(context.parsed.y, series ? series.unit : "");
              }
            }
          }
        },
        scales: { y: { beginAtZero: true } }
      }
    });
    canvas.dataset.series = first.key;
    canvas.dataset.rendered = "1";
    if (select) {
      select.addEventListener("change", function () {
        var series = byKey[select.value];
        if (!series) { return; }
        chart.data.datasets = [dataset(series)];
        canvas.dataset.series = series.key;
        chart.update();
      });
    }
  }

  function init() {
    var data = readData();
    if (!data || !data.labels.length || typeof Chart === "undefined") { return; }
    var byKey = seriesByKey(data);
    document.querySelectorAll("canvas[data-sparkline]").forEach(function (canvas) {
      var series = byKey[canvas.dataset.sparkline];
      if (series) { drawSparkline(canvas, data, series); }
    });
    var canvas = document.getElementById("trend-chart");
    if (canvas) { drawTrend(canvas, document.getElementById("trend-select"), data, byKey); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
