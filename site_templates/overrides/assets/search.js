/* The header's search (partials/search.html) over the Pagefind index (generator/site/search_index.py).
 *
 * Nothing is fetched when a page loads: the index's code and the page language's word list are
 * fetched when the search is first opened (the search icon, a click or focus in the box, the
 * keys "/" "s" "f", or a ?q= address such as the 404 page's form sends), and then only the
 * index chunks of the words typed. Every path is relative to this script's own address
 * (<site>/assets/search.js), so the site works under any sub-path, the 404 page included.
 *
 * A query: words people type are first replaced by the site's own words (abbreviations and
 * synonyms of content/search.yaml, in the page's language), then searched; results are ranked
 * by Pagefind's score times how much of the query the title holds (a page that prints no fee
 * gains nothing more), service pages above the rest, the current edition's pages above
 * archived ones (which are marked). Each result names its edition and shows the snippet of
 * the section that matched, whole words highlighted; text is inserted as text, never as markup.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.querySelector(".md-search[data-gb-search]");
  if (!script || !box) return;
  var here = new URL(script.src, location.href);
  var bundle = new URL("../pagefind/", here);
  var siteRoot = new URL("../", here).pathname;
  var lang = (document.documentElement.lang || "en").slice(0, 2);
  var labels = JSON.parse(box.getAttribute("data-gb-search"));
  var toggle = document.getElementById("__search");
  var input = box.querySelector(".md-search__input");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var form = box.querySelector("form");
  var SHOWN = 8;   // results shown, out of the best LOADED ranked again here
  var LOADED = 10;
  var engine = null;
  var asked = 0;
  var shownFor = null;

  function load() {
    if (!engine) {
      engine = Promise.all([
        import(new URL("pagefind.js", bundle).href),
        fetch(new URL(lang + "/search-words.json", bundle)).then(function (r) { return r.ok ? r.json() : { replace: {} }; })
      ]).then(function (loaded) {
        var pagefind = loaded[0];
        return Promise.resolve(pagefind.options({
          baseUrl: siteRoot, excerptLength: 22, ranking: { pageLength: 0.1 },
          noWorker: true  // a small index searches fast enough here; saves fetching a second copy of the engine
        }))
          .then(function () { return pagefind.init(); })
          .then(function () { return { pagefind: pagefind, replace: loaded[1].replace || {}, costs: loaded[1].costs || [] }; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  // -- words ---------------------------------------------------------------------------------
  function fold(text) {
    return text.toLowerCase().replace(/ё/g, "е");
  }

  function rewrite(query, replace) {
    // Longest typed phrase first, whole words only: "сколько стоит рабочая виза" → "стоимость рабочая виза".
    var words = fold(query).match(/[\p{L}\p{N}]+/gu) || [];
    var out = [];
    for (var i = 0; i < words.length;) {
      var taken = 0;
      for (var n = Math.min(4, words.length - i); n > 0 && !taken; n--) {
        var phrase = words.slice(i, i + n).join(" ");
        if (Object.prototype.hasOwnProperty.call(replace, phrase)) {
          out.push(replace[phrase]);
          taken = n;
        }
      }
      if (!taken) { out.push(words[i]); taken = 1; }
      i += taken;
    }
    return out.join(" ");
  }

  function stemOf(word) {
    return word.length > 5 ? word.slice(0, word.length - 2) : word.slice(0, Math.max(3, word.length - 1));
  }

  function titleShare(title, query) {
    var words = (fold(query).match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) { return w.length > 2; });
    if (!words.length) return 0;
    var inTitle = fold(title).match(/[\p{L}\p{N}]+/gu) || [];
    var hits = words.filter(function (w) {
      var stem = stemOf(w);
      return inTitle.some(function (t) { return t.indexOf(stem) === 0 || w.indexOf(stemOf(t)) === 0; });
    });
    return hits.length / words.length;
  }

  // -- ranking -------------------------------------------------------------------------------
  var KIND = { service: 1, section: 0.6, edition: 0.4, page: 0.5 };

  function rank(found, query, costs) {
    // A question of cost ("work visa price") puts the pages that print a fee first.
    var asksCost = costs.some(function (words) { return (" " + query + " ").indexOf(" " + words + " ") >= 0; });
    return found.map(function (item) {
      var data = item.data;
      var m = data.meta || {};
      var share = titleShare(m.title || "", query);
      var weight = (KIND[m.kind] || 0.5) * (1 + 2 * share) * (asksCost && m.fee !== "yes" ? 0.5 : 1);
      return { data: data, archived: m.status === "archived" || m.status === "draft", score: item.score * weight };
    }).sort(function (a, b) {
      return (a.archived - b.archived) || (b.score - a.score);
    });
  }

  // -- showing -------------------------------------------------------------------------------
  function safeExcerpt(excerpt, into) {
    // Pagefind's excerpt is text with <mark> around whole matched words: keep only those.
    var parsed = new DOMParser().parseFromString("<p>" + excerpt + "</p>", "text/html").body;
    parsed.childNodes.forEach(function walk(node) {
      if (node.nodeType === 3) into.appendChild(document.createTextNode(node.textContent));
      else if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        into.appendChild(mark);
      } else node.childNodes.forEach(walk);
    });
  }

  function bestSection(data) {
    var best = null;
    var bestScore = 0;
    (data.sub_results || []).forEach(function (sub) {
      if (sub.anchor && sub.anchor.id === "gb-search-words") return;
      var score = (sub.weighted_locations || []).reduce(function (sum, w) { return sum + w.balanced_score; }, 0);
      // The page's own title (the part before its first heading) only repeats the title shown.
      if (!sub.anchor || sub.anchor.element === "h1") score *= 0.01;
      if (score > bestScore) { best = sub; bestScore = score; }
    });
    return best;
  }

  function lead(data, title) {
    // Matched only by the vocabulary words: the page's opening (its costs, on a service page).
    var words = (data.content || "").split(/\s+/);
    var skip = title.split(/\s+/).length;
    return words.slice(skip, skip + 24).join(" ") + (words.length > skip + 24 ? " …" : "");
  }

  function editionLabel(m) {
    if (!m.edition) return "";
    return labels.edition.replace("{year}", m.edition).replace("{status}", labels[m.status] || m.status)
      .replace(/^\s*[—-]\s*/, "").replace(/^./, function (c) { return c.toUpperCase(); });
  }

  function show(ranked, count, query) {
    list.textContent = "";
    meta.textContent = count === 0 ? labels.none : count === 1 ? labels.one : labels.other.replace("#", String(count));
    ranked.slice(0, SHOWN).forEach(function (result) {
      var data = result.data;
      var m = data.meta || {};
      var item = document.createElement("li");
      item.className = "md-search-result__item" + (result.archived ? " gb-search-archived" : "");
      var link = document.createElement("a");
      link.className = "md-search-result__link";
      link.href = data.url;  // from the site root found at run time: right under any sub-path
      link.tabIndex = -1;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var title = document.createElement("h1");
      title.textContent = m.title || data.url;
      article.appendChild(title);
      var edition = editionLabel(m);
      if (edition) {
        var tag = document.createElement("p");
        tag.className = "gb-search-edition";
        tag.textContent = edition;
        article.appendChild(tag);
      }
      var section = bestSection(data);
      var snippet = document.createElement("p");
      if (section && section.anchor && section.title && section.title !== m.title) {
        var where = document.createElement("strong");
        where.textContent = section.title + ": ";
        snippet.appendChild(where);
      }
      if (section) safeExcerpt(section.excerpt, snippet);
      else snippet.textContent = lead(data, m.title || "");
      article.appendChild(snippet);
      link.appendChild(article);
      item.appendChild(link);
      list.appendChild(item);
    });
    shownFor = query;
    box.setAttribute("data-gb-shown", query);  // what the list now answers (tests wait for it)
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
      var searched = rewrite(query, e.replace);
      return e.pagefind.search(searched).then(function (found) {
        if (mine !== asked || !found) return null;
        return Promise.all(found.results.slice(0, LOADED).map(function (r) {
          return r.data().then(function (data) { return { score: r.score, data: data }; });
        })).then(function (loaded) {
          if (mine !== asked) return;
          show(rank(loaded, searched, e.costs), found.results.length, query);
        });
      });
    }).catch(function () {
      // The index could not be fetched (offline, a broken deployment): say nothing was found.
      if (mine === asked) show([], 0, query);
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
    if (first && shownFor === input.value.trim()) location.href = first.href;
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
  }
})();
