/* Language-aware wrapper around Material's search worker.
 *
 * Material builds one index for both languages and appends "*" to every query term, and
 * lunr skips the stemmer for wildcard terms. So this worker, loaded instead of Material's
 * (see overrides/main.html), keeps only the documents of the page's language, folds ё→е
 * in documents and queries, and stems each query term with the same stemmers the index
 * used (English, then Russian) before Material's own worker sees it.
 */
const params = new URLSearchParams(self.location.search);
const LANG = params.get("lang") === "ru" ? "ru" : "en";
const MATERIAL_WORKER = params.get("worker");

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
const isRussianDoc = (doc) => doc.location.startsWith("ru/") || doc.location === "ru" || doc.location.startsWith("ru#");

function stemTerm(term) {
  const lunr = self.lunr;
  let token = new lunr.Token(term.toLowerCase(), {});
  token = lunr.stemmer(token) || token;
  if (lunr.ru && lunr.ru.stemmer) token = lunr.ru.stemmer(token) || token;
  return token.toString();
}

function rewriteQuery(query) {
  // Words only: operators (+ - ~ ^ :) and Material's trailing "*" stay where they are.
  return fold(query).replace(/[\p{L}\p{N}]+/gu, (word) => {
    try {
      const stemmed = stemTerm(word);
      return stemmed || word;
    } catch (error) {
      return word;
    }
  });
}

addEventListenerOriginal("message", (event) => {
  const message = event.data;
  if (message && message.type === SETUP) {
    const docs = message.data.docs
      .filter((doc) => (LANG === "ru") === isRussianDoc(doc))
      .map((doc) => Object.assign({}, doc, { title: fold(doc.title), text: fold(doc.text) }));
    message.data = Object.assign({}, message.data, { docs });
  } else if (message && message.type === QUERY && typeof message.data === "string") {
    message.data = rewriteQuery(message.data);
  }
  materialHandler({ data: message });
});
