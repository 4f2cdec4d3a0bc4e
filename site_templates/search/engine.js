/* The search engine (generator/site/search_index.py writes it after the page language's Snowball
 * stemmer into site/search-data/engine.<lang>.<hash>.js; assets/search.js loads it when the
 * search is first opened and calls window.guidebookSearch once).
 *
 * A query: words people type are first replaced by the site's own words (abbreviations and
 * synonyms of content/search.yaml, in the page's language), then cut into words (NFC, lower
 * case, ё as е; words of one or two letters are left out, unless nothing else is typed) and
 * stemmed with the Snowball stemmer of the page's language (window.guidebookStem), the same
 * algorithm the index was built with (search_text.py); a page is found when it holds every word
 * (its stem, or for a word being typed, a stem it begins). For each word the one small file of
 * the stems starting with its first two letters is fetched; results are ranked by the index's
 * scores (BM25, summed over the words) times how much of the query the title holds (a page that
 * prints no fee gains nothing more), service pages above the rest; of the best ten, the current
 * edition's pages come first and archived ones are marked. Each result names its edition and
 * shows the snippet of the section that matched (its page's sections fetched for the results
 * shown), whole words highlighted; text is inserted as text, never as markup.
 */
window.guidebookSearch = function (config) {
  "use strict";
  var entry = config.entry;
  var bundle = config.bundle;
  var lang = config.lang;
  var labels = config.labels;
  var siteRoot = config.siteRoot;
  var box = config.box;
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var SHOWN = 8;   // results shown, out of the BEST ranked (current edition first)
  var BEST = 10;
  var EXCERPT = 22;  // words of a snippet
  var stemWord = window.guidebookStem || function (w) { return w; };
  var stems = new Map();
  function stem(w) {
    var s = stems.get(w);
    if (s === undefined) { s = stemWord(w); stems.set(w, s); }
    return s;
  }
  var e = { entry: entry, stem: stem, replace: entry.replace || {}, costs: entry.costs || [],
            shardSet: new Set(entry.shards || []), shards: {}, sections: {} };

  function getJSON(url) {
    // A request that failed (a phone's network drops one now and then) is made once more.
    function once() {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
    }
    return once().catch(once);
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

  function matches(stem, term) {
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
          if (other === term.stem || !matches(other, term)) return;
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
      return inTitle.some(function (w) { return matches(w[1], t); });
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
        wanted.forEach(function (t, i) { if (matches(stemmed, t)) found.push(i); });
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
    box.setAttribute("data-gb-shown", query);  // what the list now answers (tests wait for it)
  }

  function search(query, current) {
    // `current()`: whether this query is still the one asked (a later key makes it stale).
    var searched = rewrite(query, e.replace);
    var wanted = terms(searched, e.stem);
    return find(e, wanted).then(function (hits) {
      if (!current()) return null;
      var ranked = rank(e, hits, searched, wanted).slice(0, SHOWN);
      return Promise.all(ranked.map(function (r) {
        return sectionsOf(e, r.number).catch(function () { return []; });
      })).then(function (sections) {
        if (current()) show(ranked, sections, hits.length, query, wanted, e.stem);
      });
    });
  }

  return { search: search, show: show };
};
