/* The header's search box (partials/search.html) over the site's own index (generator/site/search_index.py).
 *
 * Nothing is fetched when a page loads, and this script only wires the box: when the search is
 * first opened (the search icon, a click or focus in the box, the keys "/" "s" "f", or a ?q=
 * address such as the 404 page's form sends), the page language's index entry (its pages, the
 * words the box replaces, the name of its engine) is fetched, then its engine: the Snowball
 * stemmer of that language and the search itself (site_templates/search/engine.js), one script.
 * The engine then fetches only what each query needs. Every path is relative to this script's
 * own address (<site>/assets/search.js), so the site works under any sub-path, the 404 page
 * included. No WebAssembly, no worker, no eval (the Content-Security-Policy needs only 'self').
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.querySelector(".md-search[data-gb-search]");
  if (!script || !box) return;
  var here = new URL(script.src, location.href);
  var bundle = new URL("../search-data/", here);
  var siteRoot = new URL("../", here).pathname;
  var lang = (document.documentElement.lang || "en").slice(0, 2);
  var labels = JSON.parse(box.getAttribute("data-gb-search"));
  var toggle = document.getElementById("__search");
  var input = box.querySelector(".md-search__input");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var form = box.querySelector("form");
  var engine = null;
  var asked = 0;

  function twice(make) {
    // A request that failed (a phone's network drops one now and then) is made once more.
    return make().catch(function () { return make(); });
  }

  function load() {
    if (!engine) {
      engine = twice(function () {
        return fetch(new URL(lang + "/entry.json", bundle)).then(function (r) {
          if (!r.ok) throw new Error("search entry: " + r.status);
          return r.json();
        });
      }).then(function (entry) {
        return twice(function () {
          return new Promise(function (resolve, reject) {
            var tag = document.createElement("script");
            tag.src = new URL(entry.engine, bundle).href;
            tag.onload = resolve;
            tag.onerror = function () { tag.remove(); reject(new Error("search engine")); };
            document.head.appendChild(tag);
          });
        }).then(function () {
          return window.guidebookSearch({ entry: entry, bundle: bundle, lang: lang, labels: labels,
                                          siteRoot: siteRoot, box: box });
        });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function nothing(query) {
    list.textContent = "";
    meta.textContent = labels.none;
    box.setAttribute("data-gb-shown", query);
  }

  function search(query) {
    var mine = ++asked;
    query = query.trim();
    if (query.length < 2) {  // one letter matches nearly every page: wait for the next
      list.textContent = "";
      meta.textContent = labels.placeholder;
      box.removeAttribute("data-gb-shown");
      return Promise.resolve();
    }
    if (!list.children.length) meta.textContent = labels.loading;
    return load().then(function (e) {
      return e.search(query, function () { return mine === asked; });
    }).catch(function () {
      // The index could not be fetched (offline, a broken deployment): say nothing was found.
      if (mine === asked) nothing(query);
    });
  }

  // -- opening, typing, keys -------------------------------------------------------------------
  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    load();
  }

  function close() {
    if (toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
  }

  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      load();
      if (document.activeElement !== input) setTimeout(function () { input.focus(); }, 0);
    } else if (document.activeElement === input) input.blur();
  });
  input.addEventListener("focus", open);
  // Every change of the text is searched: typed, pasted with the mouse, dictated.
  input.addEventListener("input", function () { search(input.value); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first && box.getAttribute("data-gb-shown") === input.value.trim()) location.href = first.href;
    else search(input.value);
  });
  form.addEventListener("reset", function () { setTimeout(function () { search(""); input.focus(); }, 0); });

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var typing = event.target instanceof HTMLElement &&
      (event.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName));
    if (!toggle.checked) {
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        open();
        input.focus();
      }
      return;
    }
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) input.focus();
      else all[Math.min(next, all.length - 1)].focus();
    } else if (at >= 0 && event.key.length === 1) {
      input.focus();  // typing on a focused result goes on in the box
    }
  });

  // An address with ?q= (the 404 page's search form sends one) opens the search with that query.
  var asked0 = new URLSearchParams(location.search).get("q");
  if (asked0) {
    input.value = asked0;
    open();
    search(asked0);
  } else if (document.activeElement === input && input.value.trim()) {
    // Typed before this script ran (a slow phone, a busy machine): search what is in the box.
    open();
    search(input.value);
  }
})();
