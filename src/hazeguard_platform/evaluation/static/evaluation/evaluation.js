// The episode evaluation's charts: observed daily AQI against the forecast range per source,
// and the lead time each warning gave against the plan's. ECharts is served by the platform.
"use strict";
(function () {
  const root = document.getElementById("evaluation-charts");
  const source = document.getElementById("evaluation-data");
  if (!root || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const label = (name) => root.dataset["label" + name] || name;
  const aqi = echarts.init(document.getElementById("aqi-chart"));
  const series = [{ name: label("Observed"), type: "line", data: data.observed, symbolSize: 8,
    lineStyle: { width: 3 }, itemStyle: { color: "#222" } }];
  data.forecasts.forEach((f) => {
    const byDay = Object.fromEntries(f.ranges.map((r) => [r[0], r]));
    const low = data.days.map((d) => (byDay[d] ? byDay[d][1] : null));
    const width = data.days.map((d) => (byDay[d] ? byDay[d][2] - byDay[d][1] : null));
    series.push({ name: `${label("Forecast")} · ${f.name}`, type: "line", stack: f.name, data: low,
      lineStyle: { opacity: 0 }, showSymbol: false });
    series.push({ name: `${label("Forecast")} · ${f.name}`, type: "line", stack: f.name, data: width,
      lineStyle: { opacity: 0 }, areaStyle: { opacity: 0.3 }, showSymbol: false });
  });
  aqi.setOption({
    tooltip: { trigger: "axis" }, legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 24, bottom: 56 },
    xAxis: { type: "category", data: data.days }, yAxis: { type: "value", name: "AQI", min: 0 },
    series,
  });
  const lead = echarts.init(document.getElementById("lead-chart"));
  const names = data.warnings.map((w, i) => `${i + 1}. ${w.name}`);
  lead.setOption({
    tooltip: { trigger: "axis" }, legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 24, bottom: 56 },
    xAxis: { type: "category", data: names }, yAxis: { type: "value", name: "h", min: 0 },
    series: [
      { name: label("Given"), type: "bar",
        data: data.warnings.map((w) => ({ value: w.lead, itemStyle: { color: w.colour } })) },
      // The plan's lead times as marks on each warning's bar (a line needs two warnings).
      { name: label("Usual"), type: "scatter", data: data.warnings.map((w) => w.usual),
        symbol: "rect", symbolSize: [40, 4], itemStyle: { color: "#222" } },
      { name: label("Minimum"), type: "scatter", data: data.warnings.map((w) => w.minimum),
        symbol: "rect", symbolSize: [40, 4], itemStyle: { color: "#888" } },
    ],
  });
  root.dataset.drawn = "yes";
  window.addEventListener("resize", () => { aqi.resize(); lead.resize(); });
})();
