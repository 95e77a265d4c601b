// A fresh security token for this page's form, read from the page itself with the current session:
// after the clerk or enumerator logged in again (perhaps in another tab) the token the page holds is
// refused (403). `marker` is a word only this page holds: after a redirect the login page has a token
// too, and it must never be taken. Resolves with the token; rejects with "signed out".
// Used by paper.js and field.js.
window.parindexFreshToken = function (marker) {
  return fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then(function (response) {
      if (response.redirected || !response.ok) throw new Error("signed out");
      return response.text();
    })
    .then(function (html) {
      var found = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
      if (!found || html.indexOf(marker) < 0) throw new Error("signed out");
      return found[1];
    });
};
