// Fills the header's unread count (kit.pages.set_inbox): one small request after the page has loaded, so no page
// waits for it, and an empty badge when nothing is unread.
(function () {
  "use strict";
  function fill() {
    var badge = document.querySelector("#inbox .unread[data-count-url]");
    if (!badge) return;
    fetch(badge.dataset.countUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body && body.unread > 0) badge.textContent = body.unread > 99 ? "99+" : String(body.unread); })
      .catch(function () { /* the badge is a convenience: the inbox page itself always has the count */ });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
