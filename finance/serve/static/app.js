/* The dashboard's script: three views over the JSON API under /api/.
 *
 * Statement text (shop names, SKUs, fee names, file names, reasons) is always written with
 * textContent or createTextNode, never as markup. Money arrives as decimal strings and is only
 * regrouped for reading here, never computed with. */
(function () {
  "use strict";

  var boot = JSON.parse(document.getElementById("boot").textContent);
  var W = boot.words;
  var LANG = boot.lang;
  var PLATFORMS = boot.platforms || {};
  var CSS = ["num", "neg", "sign", "muted", "flag", "wrap", "total", "sub", "key", "warn"];
  var MARGIN_COLUMNS = [
    "platform", "shop", "sku", "units_sold", "units_returned", "sales", "refund",
    "platform_subsidy", "cogs", "commission", "payment_fee", "advertising", "affiliate",
    "promotion", "logistics", "return_cost", "other_fee", "unclassified", "true_margin",
    "margin_pct"
  ];
  var TEXT_COLUMNS = ["platform", "shop", "sku"];
  var state = { months: [], month: null, view: "overview", margins: null, marginsMonth: null,
    sort: { column: "true_margin", descending: true }, charts: [] };

  function $(id) { return document.getElementById(id); }

  function t(key, fields) {
    var text = W[key] || key;
    Object.keys(fields || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(fields[name]));
    });
    return text;
  }

  /* el("td", {className: "num"}, "1.00", child...): text children become text nodes. */
  function el(tag, props) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "dataset") {
        Object.keys(props.dataset).forEach(function (d) { node.dataset[d] = props.dataset[d]; });
      } else {
        node[key] = props[key];
      }
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function classes(css) {
    return String(css || "").split(/\s+/).filter(function (c) { return CSS.indexOf(c) >= 0; })
      .join(" ");
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function setStatus(text, isError) {
    var s = $("status");
    s.textContent = text || "";
    s.className = "status" + (isError ? " error" : "");
  }

  function api(path, params) {
    var url = new URL(path, window.location.origin);
    Object.keys(params || {}).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined) url.searchParams.set(k, params[k]);
    });
    url.searchParams.set("lang", LANG);
    return fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || String(response.status));
          return body;
        });
      });
  }

  /* "-1234567.50" -> "-1,234,567.50", exactly (string work only). */
  function moneyText(value) {
    if (value === null || value === undefined || value === "") return "";
    var s = String(value), sign = "";
    if (s.charAt(0) === "-") { sign = "-"; s = s.slice(1); }
    var parts = s.split(".");
    return sign + parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (parts.length > 1 ? "." + parts[1] : "");
  }

  function pctText(ratio) {
    if (ratio === null || ratio === undefined || ratio === "") return "–";
    return (parseFloat(ratio) * 100).toFixed(2) + "%";
  }

  /* Compare two decimal strings exactly (sorting money without floats). */
  function compareDecimal(a, b) {
    if (a === b) return 0;
    if (a === "" || a === null) return -1;
    if (b === "" || b === null) return 1;
    var na = a.charAt(0) === "-", nb = b.charAt(0) === "-";
    if (na !== nb) return na ? -1 : 1;
    var pa = (na ? a.slice(1) : a).split("."), pb = (nb ? b.slice(1) : b).split(".");
    var ia = pa[0].replace(/^0+(?=\d)/, ""), ib = pb[0].replace(/^0+(?=\d)/, "");
    var fa = pa[1] || "", fb = pb[1] || "";
    var width = Math.max(fa.length, fb.length);
    while (fa.length < width) fa += "0";
    while (fb.length < width) fb += "0";
    var cmp = ia.length !== ib.length ? (ia.length < ib.length ? -1 : 1)
      : (ia + fa < ib + fb ? -1 : (ia + fa > ib + fb ? 1 : 0));
    return na ? -cmp : cmp;
  }

  /* A report table (finance.report.html.Table as JSON) as a <table>, cells as text. */
  function renderTable(table, onRow) {
    var head = el("tr", {});
    table.headers.forEach(function (h) {
      head.appendChild(el("th", { className: classes(h.css) }, h.text, h.note ? el("small", {}, h.note) : null));
    });
    var body = el("tbody", {});
    table.rows.forEach(function (row, index) {
      var tr = el("tr", { className: classes(row.css) });
      row.cells.forEach(function (c, column) {
        var content = c.text;
        if (onRow && column === 0) {
          content = el("button", { type: "button", className: "link" }, c.text);
          content.addEventListener("click", function () { onRow(index, tr); });
        }
        tr.appendChild(el("td", { className: classes(c.css) }, content, c.note ? el("small", {}, c.note) : null));
      });
      body.appendChild(tr);
    });
    if (!table.rows.length) {
      body.appendChild(el("tr", {}, el("td", { colSpan: table.headers.length, className: "muted" }, table.empty || "")));
    }
    var node = el("table", { id: table.id }, el("caption", {}, table.caption), el("thead", {}, head), body);
    return el("div", { className: "scroll" }, node);
  }

  function simpleTable(columns, rows, empty) {
    var head = el("tr", {});
    columns.forEach(function (c) { head.appendChild(el("th", { className: c.css || "" }, c.label)); });
    var body = el("tbody", {});
    rows.forEach(function (row) {
      var tr = el("tr", {});
      columns.forEach(function (c) {
        tr.appendChild(el("td", { className: c.css || "" }, row[c.key] === null || row[c.key] === undefined ? "" : String(row[c.key])));
      });
      body.appendChild(tr);
    });
    if (!rows.length) return el("p", { className: "muted" }, empty);
    return el("div", { className: "scroll" }, el("table", {}, el("thead", {}, head), body));
  }

  /* --- routing: #/<view>/<month> */
  function parseHash() {
    var parts = window.location.hash.replace(/^#\/?/, "").split("/");
    var view = ["overview", "skus", "import"].indexOf(parts[0]) >= 0 ? parts[0] : "overview";
    var month = /^\d{4}-\d{2}$/.test(parts[1] || "") ? parts[1] : null;
    return { view: view, month: month };
  }

  function go(view, month) {
    var hash = "#/" + view + (month ? "/" + month : "");
    if (window.location.hash !== hash) window.location.hash = hash; else show();
  }

  function show() {
    var route = parseHash();
    state.view = route.view;
    if (route.month && state.months.indexOf(route.month) >= 0) state.month = route.month;
    document.querySelectorAll(".bar nav a").forEach(function (a) {
      a.classList.toggle("active", a.dataset.view === state.view);
      a.href = "#/" + a.dataset.view + (state.month ? "/" + state.month : "");
    });
    $("lang").href = "?lang=" + (LANG === "zh-CN" ? "en" : "zh-CN") + window.location.hash;
    $("month").value = state.month || "";
    ["overview", "skus", "import"].forEach(function (v) { $("view-" + v).hidden = v !== state.view; });
    setStatus("");
    if (state.view === "import") return loadImport();
    if (!state.month) return setStatus(W.no_months);
    if (state.view === "overview") return loadOverview(state.month);
    return loadSkus(state.month);
  }

  function loadMonths() {
    return api("/api/months").then(function (body) {
      state.months = body.months;
      var select = clear($("month"));
      body.months.slice().reverse().forEach(function (m) { select.appendChild(el("option", { value: m }, m)); });
      if (!state.month || body.months.indexOf(state.month) < 0) {
        state.month = body.months.length ? body.months[body.months.length - 1] : null;
      }
    });
  }

  /* --- overview */
  function loadOverview(month) {
    setStatus(W.loading);
    return api("/api/months/" + month + "/overview").then(function (o) {
      if (state.view !== "overview" || state.month !== month) return;
      setStatus("");
      $("ov-title").textContent = o.title;
      $("ov-note").textContent = o.note;
      var figures = clear($("ov-headline"));
      o.headline.forEach(function (f) {
        figures.appendChild(el("li", { className: "figure " + classes(f.css) },
          el("div", { className: "label" }, f.label),
          el("div", { className: "value" }, f.text),
          f.note ? el("div", { className: "vs" }, f.note) : null));
      });
      var tables = clear($("ov-tables"));
      tables.appendChild(renderTable(o.summary));
      tables.appendChild(renderTable(o.costs));
      var sections = clear($("ov-sections"));
      o.sections.forEach(function (s) {
        var box = el("section", { id: "section-" + s.key });
        box.appendChild(el("h2", {}, s.heading));
        if (s.summary.length) {
          var list = el("ul", { className: "section-summary" });
          s.summary.forEach(function (line) { list.appendChild(el("li", {}, line)); });
          box.appendChild(list);
        }
        box.appendChild(renderTable(s.table));
        if (s.more) box.appendChild(el("p", { className: "note" }, s.more));
        sections.appendChild(box);
      });
      drawCharts(o);
    }).catch(function (error) { setStatus(W.error + ": " + error.message, true); });
  }

  function drawCharts(o) {
    state.charts.forEach(function (c) { c.dispose(); });
    state.charts = [];
    if (!window.echarts) return;
    var trend = window.echarts.init($("chart-trend"));
    trend.setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 70, right: 50, top: 36, bottom: 28 },
      xAxis: { type: "category", data: o.trend.map(function (r) { return r.month; }) },
      yAxis: [{ type: "value" }, { type: "value", axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }],
      series: [
        { name: W.net_sales, type: "bar", data: o.trend.map(function (r) { return parseFloat(r.net_sales); }) },
        { name: W.true_margin, type: "bar", data: o.trend.map(function (r) { return parseFloat(r.true_margin); }) },
        { name: W.margin_pct, type: "line", yAxisIndex: 1,
          data: o.trend.map(function (r) { return r.margin_pct === null ? null : +(parseFloat(r.margin_pct) * 100).toFixed(2); }) }
      ]
    });
    var shops = window.echarts.init($("chart-shops"));
    var rows = o.shops.slice().reverse();
    shops.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      grid: { left: 160, right: 30, top: 10, bottom: 28 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.shop + " · " + r.platform_name; }),
        axisLabel: { width: 150, overflow: "truncate" } },
      series: [{ name: W.true_margin, type: "bar",
        data: rows.map(function (r) {
          var v = parseFloat(r.true_margin);
          return { value: v, itemStyle: { color: v < 0 ? "#c0392b" : "#0b5394" } };
        }) }]
    });
    state.charts = [trend, shops];
  }

  /* --- SKUs */
  function loadSkus(month) {
    var ready = state.marginsMonth === month && state.margins ? Promise.resolve(state.margins)
      : (setStatus(W.loading), api("/api/months/" + month + "/margins"));
    return ready.then(function (rows) {
      if (state.view !== "skus" || state.month !== month) return;
      setStatus("");
      if (state.marginsMonth !== month) {
        state.margins = rows;
        state.marginsMonth = month;
        fillChoices(rows);
        $("drill").hidden = true;
      }
      drawSkus();
    }).catch(function (error) { setStatus(W.error + ": " + error.message, true); });
  }

  function fillChoices(rows) {
    [["sku-platform", "platform", W.all_platforms], ["sku-shop", "shop", W.all_shops]].forEach(function (spec) {
      var select = clear($(spec[0]));
      select.appendChild(el("option", { value: "" }, spec[2]));
      var seen = {};
      rows.forEach(function (r) { seen[r[spec[1]]] = true; });
      Object.keys(seen).sort().forEach(function (v) {
        select.appendChild(el("option", { value: v }, spec[1] === "platform" ? PLATFORMS[v] || v : v));
      });
    });
  }

  function visibleRows() {
    var needle = $("sku-filter").value.trim().toLowerCase();
    var platform = $("sku-platform").value, shop = $("sku-shop").value;
    var rows = state.margins.filter(function (r) {
      if (platform && r.platform !== platform) return false;
      if (shop && r.shop !== shop) return false;
      if (!needle) return true;
      var words = [r.sku, r.shop, r.platform, PLATFORMS[r.platform] || ""].join(" ");
      return words.toLowerCase().indexOf(needle) >= 0;
    });
    var column = state.sort.column, sign = state.sort.descending ? -1 : 1;
    rows.sort(function (a, b) {
      var x = a[column], y = b[column];
      var cmp = TEXT_COLUMNS.indexOf(column) >= 0 ? String(x).localeCompare(String(y))
        : (typeof x === "number" ? x - y : compareDecimal(String(x), String(y)));
      return sign * cmp || String(a.sku).localeCompare(String(b.sku));
    });
    return rows;
  }

  function drawSkus() {
    var table = $("sku-table");
    var head = clear(table.tHead);
    var tr = el("tr", {});
    MARGIN_COLUMNS.forEach(function (c) {
      var th = el("th", { className: "sortable" + (TEXT_COLUMNS.indexOf(c) < 0 ? " num" : ""), dataset: { column: c } }, W[c] || c);
      if (state.sort.column === c) th.classList.add(state.sort.descending ? "sorted-desc" : "sorted-asc");
      th.addEventListener("click", function () {
        state.sort = { column: c, descending: state.sort.column === c ? !state.sort.descending : TEXT_COLUMNS.indexOf(c) < 0 };
        drawSkus();
      });
      tr.appendChild(th);
    });
    head.appendChild(tr);
    var body = clear(table.tBodies[0]);
    var rows = visibleRows();
    rows.forEach(function (r) {
      var row = el("tr", { dataset: { sku: r.sku, shop: r.shop, platform: r.platform } });
      MARGIN_COLUMNS.forEach(function (c) {
        var v = r[c], cell;
        if (c === "sku") {
          var button = el("button", { type: "button", className: "link" }, r.sku || W.unallocated);
          button.addEventListener("click", function () { openDrill(r, row); });
          cell = el("td", {}, button);
        } else if (c === "platform") {
          cell = el("td", {}, PLATFORMS[v] || String(v));
        } else if (c === "shop") {
          cell = el("td", {}, String(v));
        } else if (c === "margin_pct") {
          cell = el("td", { className: "num" + (String(v).charAt(0) === "-" ? " neg" : "") }, pctText(v));
        } else if (c === "units_sold" || c === "units_returned") {
          cell = el("td", { className: "num" }, String(v));
        } else {
          cell = el("td", { className: "num" + (String(v).charAt(0) === "-" ? " neg" : "") }, moneyText(v));
        }
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
    $("sku-count").textContent = t("rows_count", { shown: rows.length, total: state.margins.length });
  }

  function openDrill(r, row) {
    document.querySelectorAll("#sku-table tr.selected").forEach(function (x) { x.classList.remove("selected"); });
    row.classList.add("selected");
    var where = { sku: r.sku, platform: r.platform, shop: r.shop };
    var month = state.month;
    $("drill").hidden = false;
    $("drill-title").textContent = W.loading;
    clear($("drill-categories"));
    clear($("drill-rows"));
    api("/api/months/" + month + "/explain", where).then(function (d) {
      $("drill-title").textContent = d.title;
      var table = {
        id: "drill-categories-table", caption: "", empty: "",
        headers: [{ text: W.category, css: "" }, { text: W.rows, css: "num" }, { text: W.amount, css: "num" }],
        rows: d.categories.map(function (c) {
          return { css: "", cells: [{ text: c.label, css: "" }, { text: String(c.rows), css: "num" },
            { text: c.text, css: "num" + (c.amount.charAt(0) === "-" ? " neg" : "") }] };
        })
      };
      $("drill-categories").appendChild(renderTable(table, function (index, tr) {
        document.querySelectorAll("#drill-categories-table tr.chosen").forEach(function (x) { x.classList.remove("chosen"); });
        tr.classList.add("chosen");
        openRows(month, where, d.categories[index].category);
      }));
    }).catch(function (error) { $("drill-title").textContent = W.error + ": " + error.message; });
  }

  function openRows(month, where, category) {
    var box = clear($("drill-rows"));
    box.appendChild(el("p", { className: "muted" }, W.loading));
    var params = { sku: where.sku, platform: where.platform, shop: where.shop, category: category };
    api("/api/months/" + month + "/explain", params).then(function (d) {
      clear(box);
      box.appendChild(renderTable(d.table));
      if (d.total_rows > d.shown) box.appendChild(el("p", { className: "note" }, t("rows_more", { shown: d.shown, total: d.total_rows })));
    }).catch(function (error) { clear(box).appendChild(el("p", { className: "neg" }, W.error + ": " + error.message)); });
  }

  /* --- import */
  function loadImport() {
    api("/api/inbox").then(function (body) {
      var box = clear($("inbox"));
      if (!body.files.length) return box.appendChild(el("p", { className: "muted" }, W.inbox_none));
      var list = el("ul", {});
      body.files.forEach(function (f) { list.appendChild(el("li", {}, f)); });
      box.appendChild(list);
    }).catch(function (error) { setStatus(W.error + ": " + error.message, true); });
    api("/api/rejected").then(function (body) {
      clear($("rejected")).appendChild(simpleTable([
        { key: "file", label: W.file }, { key: "when", label: W.when },
        { key: "reason", label: W.reason, css: "reason" }], body.files, W.rejected_none));
    }).catch(function (error) { setStatus(W.error + ": " + error.message, true); });
    api("/api/files").then(function (body) {
      clear($("files")).appendChild(simpleTable([
        { key: "name", label: W.file }, { key: "format", label: W.format }, { key: "shop", label: W.shop },
        { key: "rows_added", label: W.rows_added, css: "num" }, { key: "rows_skipped", label: W.rows_skipped, css: "num" },
        { key: "imported_at", label: W.imported_at }], body.files, "–"));
    }).catch(function (error) { setStatus(W.error + ": " + error.message, true); });
  }

  var queue = Promise.resolve();

  function uploadAll(files) {
    Array.prototype.forEach.call(files, function (file) {
      var item = uploadItem(file);
      queue = queue.then(function () { return upload(file, item); });
    });
    queue = queue.then(function () {
      state.margins = null; state.marginsMonth = null;
      return loadMonths().then(function () { if (state.view === "import") loadImport(); });
    });
  }

  function uploadItem(file) {
    var bar = el("progress", { max: 100, value: 0 });
    var stateText = el("span", { className: "state" }, W.status_uploading);
    var message = el("div", { className: "message" });
    var li = el("li", { className: "upload" }, el("strong", {}, file.name), bar, stateText, message);
    $("uploads").insertBefore(li, $("uploads").firstChild);
    return { li: li, bar: bar, state: stateText, message: message };
  }

  function upload(file, item) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      var form = new FormData();
      form.append("file", file, file.name);
      xhr.open("POST", "/api/inbox?lang=" + encodeURIComponent(LANG));
      xhr.responseType = "json";
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) item.bar.value = Math.round(100 * e.loaded / e.total);
      });
      xhr.upload.addEventListener("load", function () {
        item.bar.removeAttribute("value");  // indeterminate while the server imports
        item.state.textContent = W.status_processing;
      });
      xhr.addEventListener("load", function () {
        var body = xhr.response || {};
        item.bar.max = 100; item.bar.value = 100;
        if (xhr.status !== 200) {
          finish(item, "failed", body.error || String(xhr.status));
        } else {
          var text = body.status === "rejected" && body.reason ? body.reason : body.message;
          finish(item, body.status, text + (body.moved_to ? "\n→ " + body.moved_to : ""));
        }
        resolve();
      });
      xhr.addEventListener("error", function () { finish(item, "failed", W.error); resolve(); });
      xhr.send(form);
    });
  }

  function finish(item, status, text) {
    item.li.dataset.status = status;
    item.state.textContent = W["status_" + status] || status;
    item.state.className = "state state-" + status;
    item.message.textContent = text;
  }

  function wireImport() {
    var drop = $("drop");
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) uploadAll(e.dataTransfer.files);
    });
    $("file-input").addEventListener("change", function (e) {
      uploadAll(e.target.files);
      e.target.value = "";
    });
    // a file dropped anywhere else on the page must not make the browser open it
    window.addEventListener("dragover", function (e) { e.preventDefault(); });
    window.addEventListener("drop", function (e) { e.preventDefault(); });
  }

  /* --- start */
  $("month").addEventListener("change", function (e) { go(state.view, e.target.value); });
  ["sku-filter", "sku-platform", "sku-shop"].forEach(function (id) {
    $(id).addEventListener("input", function () { if (state.margins) drawSkus(); });
  });
  $("drill-close").addEventListener("click", function () { $("drill").hidden = true; });
  window.addEventListener("hashchange", show);
  window.addEventListener("resize", function () { state.charts.forEach(function (c) { c.resize(); }); });
  wireImport();
  loadMonths().then(show).catch(function (error) { setStatus(W.error + ": " + error.message, true); });
})();
