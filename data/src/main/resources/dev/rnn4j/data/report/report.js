/* rnn4j report pages: draws the charts described in #report-charts with uPlot, and the heatmaps' hover values. */
(function () {
  "use strict";
  var specs = JSON.parse(document.getElementById("report-charts").textContent);
  var dpr = window.devicePixelRatio || 1;

  function markHook(marks) {
    return function (u) {
      var ctx = u.ctx;
      marks.forEach(function (m) {
        var x = u.valToPos(m.x, "x", true);
        if (!isFinite(x)) return;
        ctx.save();
        ctx.strokeStyle = m.color || "#d62728";
        ctx.fillStyle = m.color || "#d62728";
        ctx.setLineDash([4 * dpr, 4 * dpr]);
        ctx.lineWidth = 1.5 * dpr;
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.font = (11 * dpr) + "px sans-serif";
        ctx.fillText(m.label, x + 4 * dpr, u.bbox.top + 12 * dpr);
        ctx.restore();
      });
    };
  }

  function spanHook(spans) {
    return function (u) {
      var ctx = u.ctx;
      spans.forEach(function (s) {
        var a = u.valToPos(s.from, "x", true), b = u.valToPos(s.to, "x", true);
        ctx.save();
        ctx.fillStyle = "rgba(120, 120, 120, 0.12)";
        ctx.fillRect(a, u.bbox.top, b - a, u.bbox.height);
        ctx.fillStyle = "#555";
        ctx.font = (11 * dpr) + "px sans-serif";
        ctx.fillText(s.label, a + 4 * dpr, u.bbox.top + 12 * dpr);
        ctx.restore();
      });
    };
  }

  function tick(v) {
    if (v === null || v === undefined) return "";
    var a = Math.abs(v);
    return a !== 0 && (a < 1e-2 || a >= 1e5) ? v.toExponential(0) : String(+v.toPrecision(3));
  }

  function ticks(u, splits) {
    return splits.map(tick);
  }

  specs.forEach(function (spec) {
    var series = [{label: spec.xLabel}];
    var data = [spec.x];
    spec.series.forEach(function (s) {
      var o = {label: s.label, stroke: s.color, width: 1.5, spanGaps: true};
      if (s.points) {
        o.paths = function () { return null; };
        o.points = {show: true, size: 7, stroke: s.color, fill: s.color};
      }
      if (s.dash) o.dash = [6, 4];
      series.push(o);
      data.push(s.values);
    });
    var y = spec.logY ? {distr: 3} : spec.yRange ? {range: spec.yRange} : {};
    var names = spec.xNames;
    var xAxis = {label: spec.xLabel};
    if (names) {
      series[0].value = function (u, v) { return v === null || v === undefined ? "--" : names[Math.round(v)]; };
      xAxis.values = function (u, splits) {
        return splits.map(function (v) { return Number.isInteger(v) && names[v] !== undefined ? names[v] : ""; });
      };
    }
    new uPlot({
      title: spec.title,
      width: spec.width,
      height: spec.height,
      series: series,
      scales: {x: {time: false}, y: y},
      axes: [xAxis, {label: spec.yLabel, size: 64, values: ticks}],
      bands: (spec.bands || []).map(function (b) { return {series: b, fill: "rgba(31, 119, 180, 0.15)"}; }),
      hooks: {drawClear: [spanHook(spec.spans || [])], draw: [markHook(spec.marks || [])]}
    }, data, document.getElementById(spec.id));
  });

  // heatmaps: the value under the pointer
  Array.prototype.forEach.call(document.querySelectorAll("img[data-grid]"), function (img) {
    var grid = JSON.parse(document.getElementById(img.getAttribute("data-grid")).textContent);
    var readout = document.getElementById(img.getAttribute("data-readout"));
    img.addEventListener("mousemove", function (e) {
      var r = img.getBoundingClientRect();
      var row = Math.floor((e.clientY - r.top) / r.height * grid.values.length);
      var cells = grid.values[row] || [];
      var col = Math.floor((e.clientX - r.left) / r.width * grid.cols);
      var v = cells[col];
      readout.textContent = grid.rowLabel + " " + grid.rowNames[row] + ", " + grid.colLabel + " " + (col * grid.colBin + 1) +
          ": " + (v === null || v === undefined ? "-" : Number(v).toPrecision(3));
    });
  });
  document.body.setAttribute("data-charts-drawn", String(specs.length));
})();
