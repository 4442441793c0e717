// Small time-series charts on uPlot. Each chart keeps the last HISTORY points in the browser: the console sends
// rates and lags with every snapshot, and the page records them as they arrive.
const Charts = (() => {
  const HISTORY = 300;
  const COLORS = ["#4ea1ff", "#2fbf71", "#f0a92c", "#e5484d", "#b58cff", "#3fd0c9", "#ff7eb6"];
  const charts = new Map();

  function create(container, seriesNames) {
    const width = Math.max(300, container.clientWidth || 400);
    const opts = {
      width, height: 150,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      // At least a minute wide, so the first points do not stretch over years.
      scales: { x: { time: true, range: (u, min, max) => [Math.min(min, max - 60), max] } },
      axes: [
        { stroke: "#8593a6", grid: { stroke: "#263040" }, ticks: { stroke: "#263040" } },
        { stroke: "#8593a6", grid: { stroke: "#263040" }, ticks: { stroke: "#263040" }, size: 50 },
      ],
      series: [{}].concat(seriesNames.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 1.5, points: { show: false } }))),
    };
    const data = [[]].concat(seriesNames.map(() => []));
    const plot = new uPlot(opts, data, container);
    return { plot, data, seriesNames, container };
  }

  // Appends one point per series and redraws; (re)creates the chart when the series change or its panel was built
  // anew (the old chart would draw into a detached element).
  function record(key, container, values, atMs) {
    const names = Object.keys(values).sort();
    let c = charts.get(key);
    if (c && (c.container !== container || c.seriesNames.join("\u0000") !== names.join("\u0000"))) {
      const old = c;
      c = create(container, names);
      // Keep the history of the series that stay.
      c.data[0] = old.data[0].slice();
      names.forEach((n, i) => {
        const j = old.seriesNames.indexOf(n);
        c.data[i + 1] = j >= 0 ? old.data[j + 1].slice() : old.data[0].map(() => null);
      });
      old.plot.destroy();
      charts.set(key, c);
    } else if (!c) {
      if (!names.length) return;
      c = create(container, names);
      charts.set(key, c);
    }
    // Snapshots arrive several times a second; one point per second is what the rates resolve.
    const xs = c.data[0];
    if (xs.length && atMs / 1000 - xs[xs.length - 1] < 0.9) {
      names.forEach((n, i) => { c.data[i + 1][xs.length - 1] = values[n]; });
    } else {
      xs.push(atMs / 1000);
      names.forEach((n, i) => c.data[i + 1].push(values[n]));
    }
    if (c.data[0].length > HISTORY) c.data.forEach(a => a.shift());
    c.plot.setData(c.data);
    // uPlot spreads a lone point over years without asking the range function: give it the minute itself.
    if (xs.length === 1) c.plot.setScale("x", { min: xs[0] - 60, max: xs[0] });
  }

  // Forgets a chart whose panel is gone.
  function destroy(key) {
    const c = charts.get(key);
    if (c) { c.plot.destroy(); charts.delete(key); }
  }

  return { record, destroy };
})();
