/* The edition-diff page: filters by section, effect and materiality, permalinks, print.
 * Each register entry is an element with data-entry, data-section (its sections, space
 * separated), data-effect, data-material and data-changes (how many changes it explains); an
 * effect's block (data-group) is hidden when none of its entries is shown. Filters are kept in
 * the URL's query string. A permalink is an entry's id, or an old per-change id inside an
 * entry's folded evidence: every <details> around the target is opened. Printing opens every
 * <details> and closes again afterwards. */
(function () {
  function reveal(target) {
    var entry = target.closest("[data-entry]");
    if (entry) entry.hidden = false;
    var group = target.closest("[data-group]");
    if (group) group.hidden = false;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    document.querySelectorAll(".gb-target").forEach(function (e) { e.classList.remove("gb-target"); });
    target.classList.add("gb-target");
    target.scrollIntoView();
    recount();  // an entry the filters had hidden is shown now: the counts say so
  }

  function recount() {
    var entries = 0, changes = 0;
    document.querySelectorAll("[data-entry]:not([hidden])").forEach(function (item) {
      entries += 1;
      changes += Number(item.dataset.changes);
    });
    document.querySelectorAll('.gb-diff-shown [data-count="entries"]').forEach(function (e) { e.textContent = String(entries); });
    document.querySelectorAll('.gb-diff-shown [data-count="changes"]').forEach(function (e) { e.textContent = String(changes); });
  }

  function follow() {
    if (!window.location.hash) return;
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    // A service's own record of a change listed once for several services: its change's item.
    if (target && target.tagName === "SPAN" && !target.textContent) target = target.closest(".gb-change") || target;
    if (target && target.closest("[data-entry], [data-group]")) reveal(target);
  }

  var opened = null;
  function printing(on) {
    if (on && !opened) {
      opened = [];
      document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
    } else if (!on && opened) {
      opened.forEach(function (d) { d.open = false; });
      opened = null;
    }
  }

  function setup(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var section = form.querySelector('[data-filter="section"]');
    var effect = form.querySelector('[data-filter="effect"]');
    var material = form.querySelector('[data-filter="material"]');
    var params = new URLSearchParams(window.location.search);
    if (params.get("section")) section.value = params.get("section");
    if (params.get("effect")) effect.value = params.get("effect");
    if (params.get("material") === "yes") material.checked = true;

    function apply() {
      document.querySelectorAll("[data-entry]").forEach(function (item) {
        item.hidden = !((!section.value || item.dataset.section.split(" ").indexOf(section.value) >= 0) &&
          (!effect.value || item.dataset.effect === effect.value) &&
          (!material.checked || item.dataset.material === "yes"));
      });
      document.querySelectorAll("[data-group]").forEach(function (group) {
        group.hidden = !group.querySelector("[data-entry]:not([hidden])");
      });
      recount();
      var query = new URLSearchParams();
      if (section.value) query.set("section", section.value);
      if (effect.value) query.set("effect", effect.value);
      if (material.checked) query.set("material", "yes");
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }
    [section, effect, material].forEach(function (control) { control.addEventListener("change", apply); });
    apply();
    follow();
  }

  function init() { document.querySelectorAll(".gb-diff-filters").forEach(setup); }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  window.addEventListener("hashchange", function () { if (document.querySelector(".gb-diff-filters")) follow(); });
  window.addEventListener("beforeprint", function () { printing(true); });
  window.addEventListener("afterprint", function () { printing(false); });
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    var listener = function (event) { printing(event.matches); };
    if (print.addEventListener) print.addEventListener("change", listener);
  }
})();
