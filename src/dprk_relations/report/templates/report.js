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
    var verdict = byId("claim-verdict").value, query = fold(byId("claim-search").value.trim()), shown = 0;
    document.querySelectorAll("#claims-list details.claim").forEach(function (d) {
      var ok = (!verdict || d.dataset.verdict === verdict) && (!query || d.dataset.text.indexOf(query) !== -1);
      d.hidden = !ok;
      if (ok) { shown += 1; }
    });
    byId("claims-shown").textContent = String(shown);
  }

  // The map by year: each state's years in force (data-years on its history, "1948-1991 1993 1995-2023",
  // from explore.years_in_force) colour the outlines that draw it, or, before it existed, the outlines of the
  // dissolved state that held its territory (data-via); the list names the same states as the chart's point.
  var yearsOf = null;
  function heldIn(runs, year) {
    return (runs || "").split(" ").some(function (run) {
      if (!run) { return false; }
      var ends = run.split("-"), first = Number(ends[0]), last = Number(ends[1] || ends[0]);
      return first <= year && year <= last;
    });
  }
  function showYear(year, share) {
    var slider = byId("map-year");
    year = Math.max(Number(slider.min), Math.min(Number(slider.max), year));
    slider.value = String(year);
    byId("map-year-shown").textContent = String(year);
    if (!yearsOf) {
      yearsOf = {};
      document.querySelectorAll("#states-list details.state").forEach(function (d) {
        yearsOf[d.id.slice("state-".length)] = { runs: d.dataset.years, other: d.dataset.otherYears,
                                                 name: d.querySelector("summary b").textContent };
      });
    }
    var byBoth = byId("map-both").checked;
    document.querySelectorAll("#year-map path.outline").forEach(function (p) {
      var state = yearsOf[p.dataset.state], own = state ? heldIn(state.runs, year) : false;
      var via = !own && (p.dataset.via || "").split(" ").some(function (code) {
        return yearsOf[code] ? heldIn(yearsOf[code].runs, year) : false;
      });
      // coloured by both Koreas (the four groups of the race): with both, with the other Korea only
      var other = byBoth && state ? heldIn(state.other, year) : false;
      p.classList.toggle("own", own);
      p.classList.toggle("via", via);
      p.classList.toggle("both", own && other);
      p.classList.toggle("other", !own && other);
    });
    var list = byId("year-map-list"), shown = 0;
    list.textContent = "";
    Object.keys(yearsOf).forEach(function (code) {  // in the order of the states list: by name
      if (!heldIn(yearsOf[code].runs, year)) { return; }
      if (shown > 0) { list.appendChild(document.createTextNode(", ")); }
      var a = document.createElement("a");
      a.href = "#state-" + code;
      a.textContent = yearsOf[code].name;
      list.appendChild(a);
      shown += 1;
    });
    byId("year-map-count").textContent = String(shown);
    byId("year-map-events").href = "#events-" + year;
    byId("year-map-label").textContent = (shown === 1 ? "state" : "states") + " at the end of " + year;
    if (share && window.history.replaceState) { window.history.replaceState(null, "", "#year-" + year); }
  }

  // Following a link to a state or a claim opens it, even when a filter had hidden it; a link to a year
  // (#year-1975) shows that year on the map.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var year = /^year-(\d{4})$/.exec(id);
    if (year) {
      showYear(Number(year[1]), false);
      byId("year-map").scrollIntoView();
      return;
    }
    var target = id ? byId(id) : null;
    if (!target || target.tagName !== "DETAILS") { return; }
    if (target.hidden) {
      ["state-region", "state-status", "state-search", "claim-verdict", "claim-search"].forEach(function (f) { byId(f).value = ""; });
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
    byId("claim-search").addEventListener("input", filterClaims);
    document.querySelectorAll("a[data-verdict]").forEach(function (a) {
      a.addEventListener("click", function () { byId("claim-verdict").value = a.dataset.verdict; filterClaims(); });
    });
    document.querySelectorAll(".needs-script").forEach(function (e) { e.hidden = false; });
    byId("copy-citation").addEventListener("click", copyCitation);
    byId("map-year").addEventListener("input", function () { showYear(Number(byId("map-year").value), true); });
    byId("map-both").addEventListener("change", function () { showYear(Number(byId("map-year").value), false); });
    byId("year-back").addEventListener("click", function () { showYear(Number(byId("map-year").value) - 1, true); });
    byId("year-forward").addEventListener("click", function () { showYear(Number(byId("map-year").value) + 1, true); });
    showYear(Number(byId("map-year").value), false);
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
