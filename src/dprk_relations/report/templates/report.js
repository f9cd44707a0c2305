// The report's filters and anchors: offline, no library, nothing loaded from a network.
(function () {
  "use strict";
  function byId(id) { return document.getElementById(id); }

  // A query as the names are kept (pages.folded): accents dropped, lower case ("Côte" finds "cote d'ivoire").
  function fold(text) { return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  // Another name of the state (Burma, Turkey, Czech Republic, Ivory Coast, Swaziland): country_converter's
  // pattern for its names, tried on a query of four letters or more.
  function otherName(d, query) {
    if (query.length < 4 || !d.dataset.pattern) { return false; }
    try { return new RegExp(d.dataset.pattern, "i").test(query); } catch (e) { return false; }
  }

  function filterStates() {
    var region = byId("state-region").value, status = byId("state-status").value;
    var query = fold(byId("state-search").value.trim()), shown = 0;
    document.querySelectorAll("#states-list details.state").forEach(function (d) {
      var ok = (!region || d.dataset.region === region) && (!status || d.dataset.status === status) &&
               (!query || d.dataset.name.indexOf(query) !== -1 || d.dataset.code === query || otherName(d, query));
      d.hidden = !ok;
      if (ok) { shown += 1; }
    });
    byId("states-shown").textContent = String(shown);
  }

  function filterClaims() {
    var verdict = byId("claim-verdict").value, shown = 0;
    document.querySelectorAll("#claims-list details.claim").forEach(function (d) {
      var ok = !verdict || d.dataset.verdict === verdict;
      d.hidden = !ok;
      if (ok) { shown += 1; }
    });
    byId("claims-shown").textContent = String(shown);
  }

  // Following a link to a state or a claim opens it, even when a filter had hidden it.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? byId(id) : null;
    if (!target || target.tagName !== "DETAILS") { return; }
    if (target.hidden) {
      ["state-region", "state-status", "state-search", "claim-verdict"].forEach(function (f) { byId(f).value = ""; });
      filterStates();
      filterClaims();
    }
    target.open = true;
    target.scrollIntoView();
  }

  // The citation to the clipboard; where the browser refuses (a page opened from a file), it is selected
  // for the reader to copy.
  function copyCitation() {
    var text = byId("citation"), button = byId("copy-citation");
    function select() {
      var range = document.createRange();
      range.selectNodeContents(text);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      button.textContent = "Selected: press Ctrl+C";
    }
    if (!navigator.clipboard) { select(); return; }
    navigator.clipboard.writeText(text.textContent).then(function () { button.textContent = "Copied"; }, select);
  }

  document.addEventListener("DOMContentLoaded", function () {
    ["state-region", "state-status"].forEach(function (f) { byId(f).addEventListener("change", filterStates); });
    byId("state-search").addEventListener("input", filterStates);
    byId("claim-verdict").addEventListener("change", filterClaims);
    document.querySelectorAll("a[data-verdict]").forEach(function (a) {
      a.addEventListener("click", function () { byId("claim-verdict").value = a.dataset.verdict; filterClaims(); });
    });
    document.querySelectorAll(".needs-script").forEach(function (e) { e.hidden = false; });
    byId("copy-citation").addEventListener("click", copyCitation);
    window.addEventListener("hashchange", openTarget);
    openTarget();
  });

  // On paper every part is printed: every state's history and every claim's evidence opened, every filter's
  // hidden rows shown; after printing, the page is as the reader left it.
  var closedForPrint = [], hiddenForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = [].filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    hiddenForPrint = [].filter.call(document.querySelectorAll("details[hidden]"), function () { return true; });
    closedForPrint.forEach(function (d) { d.open = true; });
    hiddenForPrint.forEach(function (d) { d.hidden = false; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    hiddenForPrint.forEach(function (d) { d.hidden = true; });
  });
}());
