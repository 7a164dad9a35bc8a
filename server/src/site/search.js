// Search over the prebuilt index (window.XWALK_INDEX, from search-index.js).
// No dependencies and no network requests: works from file:// as well.
(function () {
  "use strict";
  var index = window.XWALK_INDEX || [];
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!input || !status || !list) {
    return;
  }
  var LIMIT = 100;

  function norm(s) {
    return s.toLowerCase();
  }

  var haystacks = index.map(function (e) {
    return norm(e.label + " " + e.detail + " " + e.kind);
  });

  function run(query) {
    var words = norm(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (words.length === 0) {
      status.textContent = "";
      return;
    }
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var h = haystacks[i];
      var ok = true;
      for (var w = 0; w < words.length && ok; w++) {
        ok = h.indexOf(words[w]) !== -1;
      }
      if (ok) {
        // Exact label matches first, then labels that start with the query.
        var label = norm(index[i].label);
        var q = words.join(" ");
        var rank = label === q ? 0 : label.indexOf(q) === 0 ? 1 : 2;
        hits.push([rank, i]);
      }
    }
    hits.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1];
    });
    var shown = hits.slice(0, LIMIT);
    shown.forEach(function (hit) {
      var e = index[hit[1]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e.url;
      a.textContent = e.label;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = e.kind;
      var detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = e.detail;
      li.appendChild(kind);
      li.appendChild(a);
      li.appendChild(detail);
      list.appendChild(li);
    });
    status.textContent =
      hits.length === 0
        ? "No results for \u201c" + query + "\u201d."
        : hits.length +
          (hits.length === 1 ? " result" : " results") +
          (hits.length > LIMIT ? ", the first " + LIMIT + " shown." : ".");
  }

  var params = new URLSearchParams(window.location.search);
  var q = params.get("q") || "";
  input.value = q;
  var header = document.getElementById("q");
  if (header) {
    header.value = q;
  }
  run(q);
  input.addEventListener("input", function () {
    run(input.value);
  });
})();
