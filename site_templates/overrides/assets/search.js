/* The header's search (partials/search.html) over the site's own index (generator/site/search_index.py).
 *
 * Nothing is fetched when a page loads: the page language's index entry (its pages, the words
 * the box replaces) and its stemmer are fetched when the search is first opened (the search
 * icon, a click or focus in the box, the keys "/" "s" "f", or a ?q= address such as the 404
 * page's form sends); then, for each word typed, the one small file of the stems starting with
 * its first two letters, and for the results shown, their pages' sections (for the snippet).
 * Every path is relative to this script's own address (<site>/assets/search.js), so the site
 * works under any sub-path, the 404 page included. No WebAssembly, no worker, no eval.
 *
 * A query: words people type are first replaced by the site's own words (abbreviations and
 * synonyms of content/search.yaml, in the page's language), then cut into words (NFC, lower
 * case, ё as е; words of one or two letters are left out, unless nothing else is typed) and
 * stemmed with the Snowball stemmer of the page's language, the same algorithm the index was
 * built with (search_text.py); a page is found when it holds every word (its stem, or for a
 * word being typed, a stem it begins). Results are ranked by the index's scores (BM25, summed
 * over the words) times how much of the query the title holds (a page that prints no fee gains
 * nothing more), service pages above the rest, the current edition's pages above archived ones
 * (which are marked). Each result names its edition and shows the snippet of the section that
 * matched, whole words highlighted; text is inserted as text, never as markup.
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
  var SHOWN = 8;   // results shown, out of the BEST ranked (current edition first)
  var BEST = 10;
  var EXCERPT = 22;  // words of a snippet
  var engine = null;
  var asked = 0;
  var shownFor = null;

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = url;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  function load() {
    if (!engine) {
      engine = getJSON(new URL(lang + "/entry.json", bundle)).then(function (entry) {
        var stemmer = entry.stemmer ? loadScript(new URL(entry.stemmer, bundle).href) : Promise.resolve();
        return stemmer.then(function () {
          var stemWord = entry.stemmer && window.guidebookStem ? window.guidebookStem : function (w) { return w; };
          var stems = new Map();
          var stem = function (w) {
            var s = stems.get(w);
            if (s === undefined) { s = stemWord(w); stems.set(w, s); }
            return s;
          };
          return { entry: entry, stem: stem, replace: entry.replace || {}, costs: entry.costs || [],
                   shardSet: new Set(entry.shards || []), shards: {}, sections: {} };
        });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function cached(store, key, url) {
    if (!store[key]) {
      store[key] = getJSON(url);
      store[key].catch(function () { delete store[key]; });
    }
    return store[key];
  }

  function shardKey(stem) {
    return Array.from(stem).slice(0, 2).map(function (c) {
      return ("000" + c.codePointAt(0).toString(16)).slice(-4);
    }).join("");
  }

  function shard(e, stem) {
    var key = shardKey(stem);
    if (!e.shardSet.has(key)) return Promise.resolve({});
    return cached(e.shards, key, new URL(lang + "/t/" + key + "." + e.entry.version + ".json", bundle));
  }

  function sectionsOf(e, number) {
    return cached(e.sections, number, new URL(lang + "/p/" + number + "." + e.entry.version + ".json", bundle));
  }

  // -- words (as generator/site/search_text.py reads them) ----------------------------------
  function fold(text) {
    return text.normalize("NFC").toLowerCase().replace(/ё/g, "е");
  }

  function wordsOf(text) {
    return fold(text).match(/[\p{L}\p{N}]+/gu) || [];
  }

  function rewrite(query, replace) {
    // Longest typed phrase first, whole words only: "сколько стоят рабочие визы" → "сколько стоит рабочие визы".
    var words = wordsOf(query);
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

  function terms(searched, stem) {
    // Words of one or two letters ("of", "на") say little and are on nearly every page.
    var all = wordsOf(searched);
    var kept = all.filter(function (w) { return w.length > 2 || /\p{N}/u.test(w); });
    if (!kept.length) kept = all;
    var seen = {};
    return kept.filter(function (w) { return !seen[w] && (seen[w] = true); })
      .map(function (w) { return { word: w, stem: stem(w) }; });
  }

  function matches(word, stem, term) {
    // A word of the page answers a term: the same stem; a stem the typed word begins (a word
    // being typed: "vis" → visa); a stem of 4 letters or more that begins the term's stem
    // (Snowball stems подпись to подп but подписи to подпис: the one form finds the other).
    return stem === term.stem || (term.word.length > 2 && stem.indexOf(term.word) === 0) ||
      (stem.length > 3 && term.stem.indexOf(stem) === 0);
  }

  // -- finding -------------------------------------------------------------------------------
  function found(e, term) {
    // page number → its score for this term: its stem's, else half the best of the other
    // stems that answer it (matches).
    return Promise.all([shard(e, term.stem), shard(e, term.word)]).then(function (loaded) {
      var scores = new Map();
      (loaded[0][term.stem] || []).forEach(function (p) { scores.set(p[0], p[1]); });
      loaded.forEach(function (postings) {
        Object.keys(postings).forEach(function (other) {
          if (other === term.stem || !matches(other, other, term)) return;
          postings[other].forEach(function (p) {
            if (!scores.has(p[0]) || scores.get(p[0]) < p[1] / 2) scores.set(p[0], p[1] / 2);
          });
        });
      });
      return scores;
    });
  }

  function find(e, wanted) {
    // The pages holding every term, each with the sum of its terms' scores.
    if (!wanted.length) return Promise.resolve([]);
    return Promise.all(wanted.map(function (t) { return found(e, t); })).then(function (lists) {
      var out = [];
      lists[0].forEach(function (score, number) {
        var total = 0;
        for (var i = 0; i < lists.length; i++) {
          if (!lists[i].has(number)) return;
          total += lists[i].get(number);
        }
        out.push({ number: number, score: total });
      });
      return out;
    });
  }

  // -- ranking -------------------------------------------------------------------------------
  var KIND = { service: 1, section: 0.6, edition: 0.4, page: 0.5 };

  function titleShare(title, wanted, stem) {
    if (!wanted.length) return 0;
    var inTitle = wordsOf(title).map(function (w) { return [w, stem(w)]; });
    var hits = wanted.filter(function (t) {
      return inTitle.some(function (w) { return matches(w[0], w[1], t); });
    });
    return hits.length / wanted.length;
  }

  function rank(e, hits, searched, wanted) {
    // A question of cost ("work visa price") puts the pages that print a fee first.
    var asksCost = e.costs.some(function (words) { return (" " + searched + " ").indexOf(" " + words + " ") >= 0; });
    return hits.map(function (hit) {
      var p = e.entry.pages[hit.number];
      var m = { url: p[0], title: p[1], kind: p[2], fee: p[3], edition: p[4], status: p[5] };
      var share = titleShare(m.title, wanted, e.stem);
      var weight = (KIND[m.kind] || 0.5) * (1 + 2 * share) * (asksCost && m.fee !== "yes" ? 0.5 : 1);
      return { number: hit.number, meta: m, archived: m.status === "archived" || m.status === "draft",
               score: hit.score * weight };
    }).sort(function (a, b) {
      return (b.score - a.score) || (a.number - b.number);
    }).slice(0, BEST).sort(function (a, b) {
      // Of the best, the current edition's first: an archived copy of the page asked for still
      // shows, below it, where a page that only mentions the words would not.
      return (a.archived - b.archived) || (b.score - a.score) || (a.number - b.number);
    });
  }

  // -- showing -------------------------------------------------------------------------------
  function answered(wanted, stem) {
    // a word as written → the numbers of the terms it answers (remembered: pages repeat words).
    var known = new Map();
    return function (word) {
      var found = known.get(word);
      if (!found) {
        var folded = fold(word);
        var stemmed = stem(folded);
        found = [];
        wanted.forEach(function (t, i) { if (matches(folded, stemmed, t)) found.push(i); });
        known.set(word, found);
      }
      return found;
    };
  }

  function marked(text, answers) {
    // Each whitespace-separated piece, its words that answer a term marked whole; `terms` holds
    // the numbers of the terms the piece answers.
    return text.split(/\s+/).filter(Boolean).map(function (piece) {
      var parts = [];
      var terms = [];
      var last = 0;
      piece.replace(/[\p{L}\p{N}]+/gu, function (word, at) {
        var found = answers(word);
        if (found.length) {
          if (at > last) parts.push([piece.slice(last, at), false]);
          parts.push([word, true]);
          last = at + word.length;
          terms = terms.concat(found);
        }
        return word;
      });
      if (last < piece.length) parts.push([piece.slice(last), false]);
      return { parts: parts, hit: terms.length > 0, terms: terms };
    });
  }

  function bestSection(sections, wanted, answers) {
    // The section holding most of the terms (a term in its heading counts more); the page's
    // opening only where no headed section holds any.
    var best = null;
    var bestScore = 0;
    sections.forEach(function (section) {
      var inHeading = {};
      var inText = {};
      marked(section[1], answers).forEach(function (w) { w.terms.forEach(function (i) { inHeading[i] = true; }); });
      var text = marked(section[2], answers);
      text.forEach(function (w) { w.terms.forEach(function (i) { inText[i] = (inText[i] || 0) + 1; }); });
      var score = 0;
      wanted.forEach(function (t, i) {
        if (inHeading[i] || inText[i]) score += 10 + (inHeading[i] ? 5 : 0) + Math.min(inText[i] || 0, 5) * 0.1;
      });
      if (!section[0]) score *= 0.01;
      if (score > bestScore) { best = { section: section, text: text }; bestScore = score; }
    });
    return best;
  }

  function excerpt(pieces, into, wantHit) {
    // EXCERPT words from a little before the first marked word (the start where none is).
    var first = wantHit ? pieces.findIndex(function (w) { return w.hit; }) : 0;
    var start = Math.max(0, Math.min(first - 4, pieces.length - EXCERPT));
    if (first < 0) start = 0;
    var shown = pieces.slice(start, start + EXCERPT);
    if (start > 0) into.appendChild(document.createTextNode("… "));
    shown.forEach(function (w, i) {
      if (i) into.appendChild(document.createTextNode(" "));
      w.parts.forEach(function (part) {
        if (part[1]) {
          var mark = document.createElement("mark");
          mark.textContent = part[0];
          into.appendChild(mark);
        } else into.appendChild(document.createTextNode(part[0]));
      });
    });
    if (start + EXCERPT < pieces.length) into.appendChild(document.createTextNode(" …"));
  }

  function editionLabel(m) {
    if (!m.edition) return "";
    return labels.edition.replace("{year}", m.edition).replace("{status}", labels[m.status] || m.status)
      .replace(/^\s*[—-]\s*/, "").replace(/^./, function (c) { return c.toUpperCase(); });
  }

  function show(ranked, sections, count, query, wanted, stem) {
    var answers = answered(wanted, stem);
    list.textContent = "";
    meta.textContent = count === 0 ? labels.none : count === 1 ? labels.one : labels.other.replace("#", String(count));
    ranked.forEach(function (result, i) {
      var m = result.meta;
      var item = document.createElement("li");
      item.className = "md-search-result__item" + (result.archived ? " gb-search-archived" : "");
      var link = document.createElement("a");
      link.className = "md-search-result__link";
      link.href = siteRoot + m.url;  // from the site root found at run time: right under any sub-path
      link.tabIndex = -1;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var title = document.createElement("h1");
      title.textContent = m.title || m.url;
      article.appendChild(title);
      var edition = editionLabel(m);
      if (edition) {
        var tag = document.createElement("p");
        tag.className = "gb-search-edition";
        tag.textContent = edition;
        article.appendChild(tag);
      }
      var snippet = document.createElement("p");
      var best = bestSection(sections[i] || [], wanted, answers);
      if (best) {
        if (best.section[0] && best.section[1]) {
          var where = document.createElement("strong");
          where.textContent = best.section[1] + ": ";
          snippet.appendChild(where);
        }
        excerpt(best.text, snippet, true);
      } else {
        // Matched only by the vocabulary words: the page's opening (its costs, on a service page).
        var opening = (sections[i] || []).filter(function (s) { return !s[0]; })[0];
        if (opening) excerpt(marked(opening[2], function () { return []; }), snippet, false);
      }
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
      var wanted = terms(searched, e.stem);
      return find(e, wanted).then(function (hits) {
        if (mine !== asked) return null;
        var ranked = rank(e, hits, searched, wanted).slice(0, SHOWN);
        return Promise.all(ranked.map(function (r) {
          return sectionsOf(e, r.number).catch(function () { return []; });
        })).then(function (sections) {
          if (mine !== asked) return;
          show(ranked, sections, hits.length, query, wanted, e.stem);
        });
      });
    }).catch(function () {
      // The index could not be fetched (offline, a broken deployment): say nothing was found.
      if (mine === asked) show([], [], 0, query, [], function (w) { return w; });
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
