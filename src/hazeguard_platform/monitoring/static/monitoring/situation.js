// The situation page: map (areas coloured by warning, stations by AQI category) and chart
// (observed hourly, rolling 24-h and daily AQI, forecast band, warning periods), refreshed
// every minute from the page's data URL. ECharts is served with the static files (no CDN).
"use strict";
(function () {
  const root = document.getElementById("situation");
  if (!root || typeof echarts === "undefined") return;
  const label = (name) => root.dataset["label" + name] || name;
  const map = echarts.init(document.getElementById("map"));
  const chart = echarts.init(document.getElementById("chart"));
  let registered = false;

  // Whether text on this colour must be white (relative luminance, WCAG).
  function dark(hex) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.3;
  }

  function swatches(target, items) {
    const element = document.getElementById(target);
    element.replaceChildren(...items.map((item) => {
      const span = document.createElement("span");
      span.className = "swatch";
      span.style.background = item.colour;
      span.style.color = dark(item.colour) ? "#fff" : "#111";
      span.textContent = item.name;
      return span;
    }));
  }

  function draw(data) {
    document.getElementById("updated-at").textContent = data.updated_at || label("Nodata");
    document.getElementById("boundary-source").textContent = data.boundary_source;
    swatches("legend-warnings", data.legend.warnings);
    swatches("legend-aqi", data.legend.aqi);
    // The counties tile the city: draw them, not the city's outline under them.
    const children = data.map.features.filter((f) => !f.properties.parent);
    const drawn = children.length ? { type: "FeatureCollection", features: children } : data.map;
    echarts.registerMap("place", drawn);
    registered = true;
    const regions = drawn.features.map((f) => ({
      name: f.properties.name,
      itemStyle: { areaColor: f.properties.colour },
      warning: f.properties.warning,
    }));
    map.setOption({
      tooltip: { trigger: "item", formatter: (p) => p.seriesType === "scatter"
        ? `${p.data.name}<br>AQI ${p.data.aqi ?? "—"} · ${p.data.time}`
        : `${p.name}<br>${(p.data && p.data.warning) || ""}` },
      geo: { map: "place", roam: true, regions, itemStyle: { borderColor: "#fff", borderWidth: 1 },
        label: { show: true, fontSize: 10 }, emphasis: { label: { show: true } } },
      series: [{
        type: "scatter", coordinateSystem: "geo", symbolSize: 14,
        data: data.stations.map((s) => ({ name: s.name, value: [s.lon, s.lat], aqi: s.aqi,
          time: s.time, code: s.code, itemStyle: { color: s.colour, borderColor: "#222", borderWidth: 1 } })),
      }],
    }, true);
    root.dataset.stationColours = JSON.stringify(
      Object.fromEntries(data.stations.map((s) => [s.code, s.colour])));
    root.dataset.areaColours = JSON.stringify(
      Object.fromEntries(data.map.features.map((f) => [f.properties.code, f.properties.colour])));
    root.dataset.observedPoints = String(data.hourly.length);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 24, bottom: 64 },
      xAxis: { type: "time" },
      yAxis: { type: "value", name: "AQI", min: 0 },
      series: [
        { name: label("Hourly"), type: "line", showSymbol: false, data: data.hourly, lineStyle: { width: 1 } },
        { name: label("Rolling"), type: "line", showSymbol: false, data: data.rolling, lineStyle: { width: 2 },
          markArea: { silent: true, data: data.warnings.map((w) => [
            { xAxis: w[0], itemStyle: { color: w[2], opacity: 0.15 }, name: w[3],
              label: { position: "insideTop", color: "#333" } }, { xAxis: w[1] }]) } },
        { name: label("Daily"), type: "scatter", data: data.daily, symbolSize: 9 },
        { name: label("Forecast"), type: "line", stack: "band", data: data.forecast.map((d) => [d[0], d[1]]),
          lineStyle: { opacity: 0 }, showSymbol: false },
        { name: label("Forecast"), type: "line", stack: "band", data: data.forecast.map((d) => [d[0], d[2] - d[1]]),
          lineStyle: { opacity: 0 }, areaStyle: { color: "#8888ff", opacity: 0.3 }, showSymbol: false },
      ],
    }, true);
    root.dataset.ready = String(Date.now());
  }

  function refresh() {
    fetch(root.dataset.url, { credentials: "same-origin" })
      .then((r) => r.json()).then(draw).catch(() => {});
  }
  window.addEventListener("resize", () => { map.resize(); chart.resize(); });
  refresh();
  setInterval(refresh, 60000);
  window.hazeguardSituationRefresh = refresh;
})();
