/* Filters of the edition-diff page: by section, kind and materiality, all in the browser.
 * Rows and list items carry data-section / data-kind / data-material; a group (a service's
 * block) is hidden when nothing in it is shown. Filters are kept in the URL's query string. */
(function () {
  function setup(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var section = form.querySelector('[data-filter="section"]');
    var kind = form.querySelector('[data-filter="kind"]');
    var material = form.querySelector('[data-filter="material"]');
    var shown = form.querySelector(".gb-diff-shown span");
    var params = new URLSearchParams(window.location.search);
    if (params.get("section")) section.value = params.get("section");
    if (params.get("kind")) kind.value = params.get("kind");
    if (params.get("material") === "yes") material.checked = true;

    function apply() {
      var count = 0;
      document.querySelectorAll("[data-change]").forEach(function (item) {
        var visible = (!section.value || item.dataset.section === section.value) &&
          (!kind.value || item.dataset.kind === kind.value) &&
          (!material.checked || item.dataset.material === "yes");
        item.hidden = !visible;
        if (visible) count += 1;
      });
      document.querySelectorAll("[data-group]").forEach(function (group) {
        group.hidden = !group.querySelector("[data-change]:not([hidden])");
      });
      shown.textContent = String(count);
      var query = new URLSearchParams();
      if (section.value) query.set("section", section.value);
      if (kind.value) query.set("kind", kind.value);
      if (material.checked) query.set("material", "yes");
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }
    [section, kind, material].forEach(function (control) { control.addEventListener("change", apply); });
    apply();
    if (window.location.hash) {
      var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      // A service's own record of a change listed once for several services: its group's item.
      if (target && !target.hasAttribute("data-change")) target = target.closest("[data-change]") || target;
      if (target) {
        target.hidden = false;
        var group = target.closest("[data-group]");
        if (group) group.hidden = false;
        target.classList.add("gb-target");
        target.scrollIntoView();
      }
    }
  }
  function init() { document.querySelectorAll(".gb-diff-filters").forEach(setup); }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
