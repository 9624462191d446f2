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

  document.addEventListener("htmx:afterSettle", function () {
    markFields();
    if (!focusedId) { return; }
    var again = document.getElementById(focusedId);
    if (again && document.activeElement !== again) { again.focus(); }
    focusedId = null;
  });
})();
