// The verification page's chart: MAE of the daily AQI per lead day, one line per source and
// persistence, from the JSON the page carries (no request). ECharts is served by the platform.
"use strict";
(function () {
  const holder = document.getElementById("verification-chart");
  const data = document.getElementById("verification-data");
  if (!holder || !data || typeof echarts === "undefined") return;
  const chart = echarts.init(holder);
  const series = JSON.parse(data.textContent);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", bottom: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 48 },
    xAxis: { type: "category", name: holder.dataset.labelLead,
      data: series.leads.map((lead) => String(lead)) },
    yAxis: { type: "value", name: holder.dataset.labelMae, min: 0 },
    series: series.series.map((s) => ({
      name: s.name, type: "line", data: s.mae, connectNulls: false, symbolSize: 7,
      lineStyle: s.source === "persistence" ? { type: "dashed" } : {},
    })),
  });
  holder.dataset.ready = "true";
  window.addEventListener("resize", () => chart.resize());
})();
