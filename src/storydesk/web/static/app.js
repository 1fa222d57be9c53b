// storydesk: progressive enhancement only; every page works without it.
// On an article page opened from a citation, bring the cited sentence into view and give it focus
// (so keyboard and screen-reader users start there too). Runs again after load, because the browser's own
// jump to the #s<N> anchor happens late and may move the focus away.
(function () {
  "use strict";
  function showCited() {
    var mark = document.querySelector("mark.cited");
    if (!mark) return;
    mark.setAttribute("tabindex", "-1");
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showCited);
  } else {
    showCited();
  }
  window.addEventListener("load", function () { window.setTimeout(showCited, 0); });
})();
