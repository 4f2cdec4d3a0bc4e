/* Document checklists on service pages: ticks are kept in this browser (localStorage),
 * per edition, service step and document. "Print" prints that checklist alone (the page
 * title, the step's heading and the list; guidebook.css, html.gb-printing) on one page, with
 * the edition, the page's address and the date it was printed. */
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
  function stamp(list) {
    var meta = list.querySelector(".gb-print-meta");
    if (!meta) {
      meta = document.createElement("p");
      meta.className = "gb-print-meta";
      list.insertBefore(meta, list.firstChild);
    }
    var lang = document.documentElement.lang || "en";
    var date = new Date().toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
    var address = location.origin + location.pathname;
    meta.textContent = list.getAttribute("data-print-meta").replace("{address}", address).replace("{date}", date);
  }
  function printAlone(list) {
    stamp(list);
    var heading = list.previousElementSibling;
    while (heading && heading.tagName !== "H2") heading = heading.previousElementSibling;
    document.documentElement.classList.add("gb-printing");
    list.classList.add("gb-print-target");
    if (heading) heading.classList.add("gb-print-keep");
    window.print();
  }
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".gb-checklist[data-print-meta]").forEach(stamp);
  });
  window.addEventListener("afterprint", function () {
    document.documentElement.classList.remove("gb-printing");
    document.querySelectorAll(".gb-print-target, .gb-print-keep").forEach(function (node) {
      node.classList.remove("gb-print-target", "gb-print-keep");
    });
  });
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
    if (print) print.addEventListener("click", function () { printAlone(list); });
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
