/* Wrapper around Material's search worker, loaded instead of it (see overrides/main.html).
 *
 * Each language has its own index (generator/site/search_index.py), so a page's search holds
 * only its language. Material appends "*" to every query term, and lunr skips the stemmer for
 * wildcard terms; so before Material's own worker sees a query, this worker replaces each
 * abbreviation people type (IIN, ВНЖ… from content/search.yaml, carried in the index's
 * config.synonyms) with the words it stands for in this language, folds ё→е (in documents
 * too), and stems each word with the same stemmers the index used (English, then Russian).
 */
const MATERIAL_WORKER = new URLSearchParams(self.location.search).get("worker");

let materialHandler = null;
const addEventListenerOriginal = self.addEventListener.bind(self);
self.addEventListener = (type, listener, options) => {
  if (type === "message") materialHandler = listener;
  else addEventListenerOriginal(type, listener, options);
};
importScripts(MATERIAL_WORKER);
self.addEventListener = addEventListenerOriginal;

const SETUP = 0;
const QUERY = 2;
const fold = (text) => (typeof text === "string" ? text.replace(/ё/g, "е").replace(/Ё/g, "Е") : text);
let synonyms = {};

function stemTerm(term) {
  const lunr = self.lunr;
  let token = new lunr.Token(term.toLowerCase(), {});
  token = lunr.stemmer(token) || token;
  if (lunr.ru && lunr.ru.stemmer) token = lunr.ru.stemmer(token) || token;
  return token.toString();
}

function stemWord(word) {
  try {
    return stemTerm(word) || word;
  } catch (error) {
    return word;
  }
}

function rewriteQuery(query) {
  // Words only: operators (+ - ~ ^ :) and Material's trailing "*" stay where they are.
  const expanded = query.replace(/[\p{L}\p{N}]+/gu, (word) => {
    const instead = synonyms[word.toLowerCase()];
    return instead === undefined ? word : instead;
  });
  return fold(expanded).replace(/[\p{L}\p{N}]+/gu, stemWord);
}

addEventListenerOriginal("message", (event) => {
  const message = event.data;
  if (message && message.type === SETUP) {
    synonyms = (message.data.config && message.data.config.synonyms) || {};
    const docs = message.data.docs.map((doc) => Object.assign({}, doc, { title: fold(doc.title), text: fold(doc.text) }));
    message.data = Object.assign({}, message.data, { docs });
  } else if (message && message.type === QUERY && typeof message.data === "string") {
    message.data = rewriteQuery(message.data);
  }
  materialHandler({ data: message });
});
