/* The little the pages do in the browser, without inline scripts (the Content-Security-Policy forbids them).
   Every page works without it: forms have a submit button, filters a «Xem» button inside <noscript>. */
(function () {
  "use strict";

  // A select marked data-autosubmit applies its form as soon as it changes (year, tier, filters).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      if (target.form.hasAttribute("hx-get") || target.form.hasAttribute("hx-post")) { return; } // htmx handles it
      if (typeof target.form.requestSubmit === "function") { target.form.requestSubmit(); } else { target.form.submit(); }
    }
  });

  // Focus stays where it was after HTMX replaces part of the page (a filter, the live result).
  var focusedId = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
  });
  // The live result names the criteria whose fields hold a problem: mark them as the page marks them on save.
  function markFields() {
    var result = document.getElementById("result");
    if (!result || !result.hasAttribute("data-bad")) { return; }
    var bad = (result.getAttribute("data-bad") || "").split(" ").filter(Boolean);
    document.querySelectorAll(".crit").forEach(function (row) {
      var code = row.id.replace(/^crit-/, "");
      var isBad = bad.indexOf(code) >= 0;
      row.classList.toggle("bad", isBad);
      if (!isBad) { row.querySelectorAll(".field-error").forEach(function (msg) { msg.hidden = true; }); }
      var field = document.getElementById("field-" + code);
      if (field) { if (isBad) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); } }
    });
  }

  // A table too wide for the screen scrolls inside its box: the box then takes the keyboard focus (arrow keys
  // scroll it) and is named after the table's caption or the heading above it, so no content is out of reach.
  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    for (var el = box; el && el.tagName !== "MAIN"; el = el.parentElement) {
      for (var prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) { return prev.textContent.trim(); }
      }
    }
    return "";
  }
  function scrollingBoxes() {
    document.querySelectorAll(".table-wrap, .table-scroll").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth + 1 || box.hasAttribute("tabindex")) { return; }
      box.setAttribute("tabindex", "0");
      var name = nameOf(box);
      if (name && !box.hasAttribute("role")) { box.setAttribute("role", "region"); box.setAttribute("aria-label", name); }
    });
  }
  scrollingBoxes();  // this script is deferred: the page is parsed
  var resizing = null;
  window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(scrollingBoxes, 200); });

  document.addEventListener("htmx:afterSettle", function () {
    markFields();
    scrollingBoxes();
    if (!focusedId) { return; }
    var again = document.getElementById(focusedId);
    if (again && document.activeElement !== again) { again.focus(); }
    focusedId = null;
  });
})();
