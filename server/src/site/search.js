// Search over the prebuilt index (window.XWALK_INDEX, from search-index.js):
// { kinds: [...], pages: [[path, title], ...],
//   entries: [[kind, label, text, page, fragment], ...] }.
// No dependencies and no network requests: works from file:// as well.
(function () {
  "use strict";
  var data = window.XWALK_INDEX || { kinds: [], pages: [], entries: [] };
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!input || !status || !list) {
    return;
  }
  var LIMIT = 100;
  var SNIPPET = 160;

  function norm(s) {
    return s.toLowerCase();
  }

  var entries = data.entries;
  var haystacks = entries.map(function (e) {
    return norm(e[1] + " " + e[2] + " " + data.kinds[e[0]] + " " + data.pages[e[3]][1]);
  });

  // The part of a long text around the first word found in it.
  function snippet(text, words) {
    if (text.length <= SNIPPET) {
      return text;
    }
    var lower = norm(text);
    var at = -1;
    for (var w = 0; w < words.length && at === -1; w++) {
      at = lower.indexOf(words[w]);
    }
    var start = Math.max(0, at - 50);
    if (at === -1 || start < 20) {
      start = 0;
    }
    var end = Math.min(text.length, start + SNIPPET);
    return (start > 0 ? "\u2026" : "") + text.slice(start, end) + (end < text.length ? "\u2026" : "");
  }

  function run(query) {
    var words = norm(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (words.length === 0) {
      status.textContent = "";
      return;
    }
    var q = words.join(" ");
    var hits = [];
    for (var i = 0; i < entries.length; i++) {
      var h = haystacks[i];
      var ok = true;
      for (var w = 0; w < words.length && ok; w++) {
        ok = h.indexOf(words[w]) !== -1;
      }
      if (ok) {
        // Exact labels first, then labels that start with the query, then
        // labels holding every word; then the rest, each in index order
        // (documents, standards, sections, provisions, clauses, excerpts).
        var label = norm(entries[i][1]);
        var rank = 3;
        if (label === q) {
          rank = 0;
        } else if (label.indexOf(q) === 0) {
          rank = 1;
        } else if (
          words.every(function (word) {
            return label.indexOf(word) !== -1;
          })
        ) {
          rank = 2;
        }
        hits.push([rank, i]);
      }
    }
    hits.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1];
    });
    hits.slice(0, LIMIT).forEach(function (hit) {
      var e = entries[hit[1]];
      var page = data.pages[e[3]];
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = data.kinds[e[0]];
      var a = document.createElement("a");
      a.href = page[0] + (e[4] ? "#" + e[4] : "");
      a.textContent = e[1];
      li.appendChild(kind);
      li.appendChild(a);
      if (page[1] && page[1] !== e[1]) {
        var where = document.createElement("span");
        where.className = "where";
        where.textContent = page[1];
        li.appendChild(where);
      }
      if (e[2]) {
        var detail = document.createElement("span");
        detail.className = "detail";
        detail.textContent = snippet(e[2], words);
        li.appendChild(detail);
      }
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
