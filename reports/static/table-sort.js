/* Sort the rows of a table by a column: click (or Enter/Space on) a header button.
 *
 * Markup: <table class="sortable">, header cells <th data-sort="num|text"><button type="button">…</button></th>.
 * Rows are sorted inside each <tbody>, so groups (one <tbody> per responsible agency, its first row
 * <tr class="group">) stay together. A cell's sort key is its data-value attribute, else its text.
 * No inline script, no dependency: the web app serves this file; a downloaded report carries a copy.
 */
(function () {
  "use strict";

  function key(cell, numeric) {
    var raw = cell ? (cell.getAttribute("data-value") || cell.textContent || "").trim() : "";
    if (!numeric) return raw;
    var n = parseFloat(raw);
    return isNaN(n) ? Infinity : n;
  }

  function sortBy(table, th) {
    var heads = Array.prototype.slice.call(th.parentNode.children);
    var column = heads.indexOf(th);
    var numeric = th.getAttribute("data-sort") === "num";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var rows = Array.prototype.filter.call(body.rows, function (r) { return !r.classList.contains("group"); });
      rows.sort(function (a, b) {
        var x = key(a.cells[column], numeric), y = key(b.cells[column], numeric);
        var c = numeric ? x - y : String(x).localeCompare(String(y), "vi", { numeric: true });
        return ascending ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  }

  function install(table) {
    Array.prototype.forEach.call(table.querySelectorAll("thead th[data-sort]"), function (th) {
      var button = th.querySelector("button");
      if (button) button.addEventListener("click", function () { sortBy(table, th); });
    });
  }

  function all() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), install);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
