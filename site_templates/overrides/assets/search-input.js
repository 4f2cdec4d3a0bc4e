/* Material runs a search when a key is released in the search box, so text pasted with the
 * mouse or dictated never gets searched. Any change of the box's text (the `input` event)
 * now counts as a key release. */
document.addEventListener("input", function (event) {
  var box = event.target;
  if (box instanceof HTMLInputElement && box.matches(".md-search__input")) {
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }
});
