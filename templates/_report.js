(function () {
  "use strict";
  var table = document.getElementById("skus");
  var filter = document.getElementById("sku-filter");
  if (table && table.tBodies.length) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var value = function (row, col) {
      var cell = row.cells[col];
      if (!cell) { return ""; }
      var raw = cell.getAttribute("data-value");
      if (raw !== null && raw !== "" && !isNaN(Number(raw))) { return Number(raw); }
      return cell.textContent.trim().toLowerCase();
    };
    Array.prototype.forEach.call(heads, function (th, col) {
      if (!th.hasAttribute("data-sort")) { return; }
      th.setAttribute("tabindex", "0");
      var sort = function () {
        var down = th.getAttribute("aria-sort") !== "descending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        rows.sort(function (a, b) {
          var x = value(a, col), y = value(b, col);
          if (typeof x !== typeof y) { return typeof x === "number" ? -1 : 1; }
          var c = x < y ? -1 : (x > y ? 1 : 0);
          return down ? -c : c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
    });
    if (filter) {
      filter.addEventListener("input", function () {
        var words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        rows.forEach(function (row) {
          var text = row.textContent.toLowerCase();
          row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
        });
      });
    }
  }
  var open = function () {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.tagName === "DETAILS") { target.open = true; }
  };
  window.addEventListener("hashchange", open);
  open();
})();
