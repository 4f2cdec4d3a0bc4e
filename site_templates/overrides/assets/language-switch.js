/* The language switch keeps the query and the #section. The link gets this page's query and
 * hash. Headings have different ids in each language (#how-to-apply, #как-подать-заявку), but
 * both pages come from one template, so the switch also notes the position of the target among
 * the page's elements with an id; the other page, not finding the id, goes to the element at
 * that position and shows its own id in the address. */
(function () {
  var KEY = "guidebook-language-switch";
  function targets() {
    return Array.prototype.slice.call(document.querySelectorAll(".md-content [id]"));
  }
  function decoded(hash) {
    try {
      return decodeURIComponent(hash.slice(1));
    } catch (error) {
      return hash.slice(1);
    }
  }
  function update() {
    document.querySelectorAll("a.gb-lang__link").forEach(function (link) {
      var url = new URL(link.getAttribute("href"), location.href);
      url.search = location.search;
      url.hash = location.hash;
      link.href = url.href;
    });
  }
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a.gb-lang__link");
    if (!link) return;
    update();
    var target = location.hash && document.getElementById(decoded(location.hash));
    var position = target ? targets().indexOf(target) : -1;
    try {
      if (position >= 0) sessionStorage.setItem(KEY, JSON.stringify({ path: new URL(link.href).pathname, position: position }));
    } catch (error) {
      /* storage may be disabled: the hash is still carried over as it is */
    }
  }, true);
  function arrive() {
    var noted = null;
    try {
      noted = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
    } catch (error) {
      return;
    }
    if (!noted || noted.path !== location.pathname || !location.hash) return;
    if (document.getElementById(decoded(location.hash))) return;
    var target = targets()[noted.position];
    if (!target) return;
    history.replaceState(history.state, "", "#" + encodeURIComponent(target.id));
    target.scrollIntoView();
    update();
  }
  window.addEventListener("hashchange", update);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { arrive(); update(); });
  else { arrive(); update(); }
})();
