(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function copyText(text, button) {
    function done() { var old = button.textContent; button.textContent = "Copied";
      setTimeout(function () { button.textContent = old; }, 1200); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
      return;
    }
    var area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* not essential */ }
    document.body.removeChild(area);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (source) { copyText(source.textContent, button); }
  });
  // A link to a drill-down inside a closed <details> opens every <details> around it.
  function reveal(hash) {
    if (!hash || hash.length < 2) { return; }
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
    if (target) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", function () { reveal(location.hash); });
  reveal(location.hash);
  function applyFilters() {
    var text = (document.getElementById("filter-text") || {}).value || "";
    var onlyFailing = (document.getElementById("filter-failing") || {}).checked;
    text = text.toLowerCase();
    document.querySelectorAll("[data-filterable]").forEach(function (el) {
      var hay = (el.getAttribute("data-operation") + " " + el.getAttribute("data-check") + " " +
                 el.getAttribute("data-category") + " " + el.getAttribute("data-level") + " " +
                 el.textContent.slice(0, 400)).toLowerCase();
      el.classList.toggle("hidden", text !== "" && hay.indexOf(text) < 0);
    });
    document.querySelectorAll("#matrix tr[data-row-status]").forEach(function (row) {
      var status = row.getAttribute("data-row-status");
      var failing = status === "failed" || status === "error" || status === "xpassed";
      row.classList.toggle("hidden", !!onlyFailing && !failing);
    });
  }
  document.addEventListener("input", function (event) {
    if (event.target.closest(".controls")) { applyFilters(); }
  });
})();
