/* Document checklists on service pages: ticks are kept in this browser (localStorage),
 * per edition, service step and document; "Print" prints the page with the checklist. */
(function () {
  function storageKey(list) {
    return "guidebook-checklist:" + list.getAttribute("data-checklist");
  }
  function load(list) {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey(list)) || "{}");
    } catch (error) {
      return {};
    }
  }
  function save(list, state) {
    try {
      window.localStorage.setItem(storageKey(list), JSON.stringify(state));
    } catch (error) {
      /* storage may be disabled; ticks then last for this visit only */
    }
  }
  function setup(list) {
    if (list.dataset.ready) return;
    list.dataset.ready = "1";
    var state = load(list);
    list.querySelectorAll("input[type=checkbox][data-doc]").forEach(function (box) {
      box.checked = Boolean(state[box.getAttribute("data-doc")]);
      box.addEventListener("change", function () {
        var current = load(list);
        if (box.checked) current[box.getAttribute("data-doc")] = true;
        else delete current[box.getAttribute("data-doc")];
        save(list, current);
      });
    });
    var print = list.querySelector(".gb-print");
    if (print) print.addEventListener("click", function () { window.print(); });
    var reset = list.querySelector(".gb-reset");
    if (reset) reset.addEventListener("click", function () {
      save(list, {});
      list.querySelectorAll("input[type=checkbox][data-doc]").forEach(function (box) { box.checked = false; });
    });
  }
  function init() {
    document.querySelectorAll(".gb-checklist[data-checklist]").forEach(setup);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
