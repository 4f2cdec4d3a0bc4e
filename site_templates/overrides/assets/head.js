/* What Material's inline head script did, from a file, so a Content-Security-Policy of
 * script-src 'self' holds (site_templates/overrides/partials/javascripts/base.html):
 * - __md_scope and the localStorage helpers Material's bundle expects; the scope is the site's
 *   root, the folder above this file's assets/ folder (wherever the site is served from);
 * - Material fetches "<href>/sitemap.xml" for every <link rel=alternate> in the head, on every
 *   page load, to map the current page to the other language when a link to it is clicked (its
 *   language selector, made for alternates that point at language roots). Our alternates and
 *   our language switch already point at the same page in the other language, so the sitemap
 *   is never needed: those requests end before they are sent (Material reads an aborted request
 *   as "no sitemap" and leaves the links alone). */
(function () {
  var script = document.currentScript;
  window.__md_scope = new URL("..", script ? script.src : location.href);
  window.__md_hash = function (text) {
    return Array.prototype.reduce.call(text, function (hash, c) { return (hash << 5) - hash + c.charCodeAt(0); }, 0);
  };
  window.__md_get = function (key, storage, scope) {
    storage = storage || localStorage;
    scope = scope || window.__md_scope;
    return JSON.parse(storage.getItem(scope.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, scope) {
    storage = storage || localStorage;
    scope = scope || window.__md_scope;
    try {
      storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
    } catch (error) {
      /* storage full or disabled: Material works without it */
    }
  };
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.guidebookSkip = /\/sitemap\.xml$/.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (!this.guidebookSkip) return send.apply(this, arguments);
    this.dispatchEvent(new ProgressEvent("abort"));
  };
})();
