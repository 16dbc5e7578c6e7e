/* Search box of a centre or of the portal. The index is built at build time (hooks/kitcore/search.py) and
   loaded on first use by a <script> tag, which works from file:// where fetch() does not. The query goes
   through RechercheFrancais.terms, the same normalisation and stemming as the index. */
(function () {
  "use strict";
  var MAX_SHOWN = 30;
  var WHOLE_WORD_BOOST = 10;
  var SNIPPET_CHARS = 200;
  var SNIPPET_LEAD = 50;
  var form = document.querySelector("form[data-recherche]");
  if (!form || !window.lunr || !window.RechercheFrancais) return;
  var input = form.querySelector(".recherche__champ");
  var panel = form.querySelector(".recherche__resultats");
  var base = form.getAttribute("data-recherche-base") || "./";
  var state = { index: null, data: null, loading: false, failed: false };

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function load(then) {
    if (state.index || state.failed) { if (then) then(); return; }
    if (then) state.pending = then;
    if (state.loading) return;
    state.loading = true;
    var script = document.createElement("script");
    script.src = base + "recherche/index.js";
    script.onload = function () {
      try {
        state.data = window.RECHERCHE_INDEX;
        state.index = lunr.Index.load(state.data.index);
        form.setAttribute("data-recherche-pret", "");
      } catch (e) {
        state.failed = true;
      }
      state.loading = false;
      if (state.pending) { var next = state.pending; state.pending = null; next(); }
    };
    script.onerror = function () {
      state.failed = true;
      state.loading = false;
      if (state.pending) { var next = state.pending; state.pending = null; next(); }
    };
    document.head.appendChild(script);
  }

  function search(query) {
    var terms = RechercheFrancais.terms(query);
    if (!terms.length) return null;
    // Type-ahead: the last word may be unfinished, unless the reader typed a space after it.
    var open = !/\s$/.test(query);
    var results = state.index.query(function (q) {
      terms.forEach(function (term, i) {
        var completing = open && i === terms.length - 1;
        q.term(term, {
          presence: lunr.Query.presence.REQUIRED,
          wildcard: completing ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE
        });
        // The word as typed outranks its completions: « dons » finds « dons » before « données ».
        if (completing) q.term(term, { presence: lunr.Query.presence.OPTIONAL, boost: WHOLE_WORD_BOOST });
      });
    });
    return results;
  }

  // --- Snippets: the passage of the page around the words that matched, with those words in <mark>.

  function matcher(query) {
    var terms = RechercheFrancais.terms(query);
    var open = !/\s$/.test(query);
    var last = open ? terms[terms.length - 1] : null;
    // 2 for a word of the query (same stem), 1 for a completion of the unfinished last word, 0 otherwise.
    return function (word) {
      var folded = RechercheFrancais.fold(word);
      if (folded.length < 2 || RechercheFrancais.STOPWORDS.indexOf(folded) >= 0) return 0;
      var stem = RechercheFrancais.stem(folded);
      if (terms.indexOf(stem) >= 0) return 2;
      return last !== null && last.length >= 2 && (stem.indexOf(last) === 0 || folded.indexOf(last) === 0) ? 1 : 0;
    };
  }

  function words(text) {
    var out = [], re = /[\p{L}\p{N}]+/gu, m;
    while ((m = re.exec(text)) !== null) out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
    return out;
  }

  // The window of SNIPPET_CHARS characters where the matched words weigh most (whole words before completions).
  function snippet(text, matches) {
    var hits = words(text).filter(function (w) { w.weight = matches(w.text); return w.weight > 0; });
    if (!hits.length) return null;
    var best = 0, bestWeight = 0;
    hits.forEach(function (h, i) {
      var n = 0;
      for (var j = i; j < hits.length && hits[j].end - h.start <= SNIPPET_CHARS; j++) n += hits[j].weight;
      if (n > bestWeight) { best = i; bestWeight = n; }
    });
    var from = Math.max(0, hits[best].start - SNIPPET_LEAD);
    if (from > 0) { var space = text.indexOf(" ", from); from = space >= 0 && space < hits[best].start ? space + 1 : from; }
    var to = Math.min(text.length, from + SNIPPET_CHARS);
    if (to < text.length) { var cut = text.lastIndexOf(" ", to); to = cut > hits[best].end ? cut : to; }
    return { text: text.slice(from, to), offset: from, hits: hits, before: from > 0, after: to < text.length };
  }

  function marked(className, text, matches) {
    var el = element("p", className), at = 0;
    words(text).forEach(function (w) {
      if (!matches(w.text)) return;
      el.appendChild(document.createTextNode(text.slice(at, w.start)));
      el.appendChild(element("mark", null, w.text));
      at = w.end;
    });
    el.appendChild(document.createTextNode(text.slice(at)));
    return el;
  }

  function excerptFor(doc, matches) {
    // A tool of the toolbox that matched: its title and description, as the reader sees them on the page.
    var tools = doc.o || [];
    for (var i = 0; i < tools.length; i++) {
      var tool = tools[i][0] + (tools[i][1] ? " — " + tools[i][1] : "");
      if (words(tool).some(function (w) { return matches(w.text); })) {
        var line = marked("recherche__extrait recherche__outil", tool, matches);
        line.insertBefore(element("span", "recherche__outil-etiquette", "Outil : "), line.firstChild);
        return line;
      }
    }
    var found = snippet(doc.x || "", matches);
    if (!found) return doc.e ? marked("recherche__extrait", doc.e, matches) : null;
    var text = (found.before ? "… " : "") + found.text + (found.after ? " …" : "");
    return marked("recherche__extrait", text, matches);
  }

  function href(doc, centre) {
    return base + (centre ? centre + "/" : "") + doc.u;
  }

  function render() {
    var query = input.value;
    panel.textContent = "";
    if (!query.trim()) { panel.hidden = true; return; }
    panel.hidden = false;
    var status = element("p", "recherche__etat");
    panel.appendChild(status);
    if (state.failed) { status.textContent = "La recherche n'est pas disponible sur cette page."; return; }
    if (!state.index) { status.textContent = "Chargement de l'index de recherche…"; return; }
    var results = search(query);
    if (results === null) {
      status.textContent = "Précisez votre recherche : les mots trop courts ou trop courants sont ignorés.";
      return;
    }
    if (!results.length) {
      status.textContent = "Aucun résultat pour « " + query.trim() + " ». Essayez un autre mot ou une autre orthographe.";
      return;
    }
    status.textContent = results.length + (results.length > 1 ? " résultats" : " résultat") + " pour « " + query.trim() + " »";
    var list = element("ol", "recherche__liste");
    var matches = matcher(query);
    var names = state.data.centres || null;
    results.slice(0, MAX_SHOWN).forEach(function (r) {
      var doc = state.data.docs[Number(r.ref)];
      var item = element("li", "recherche__resultat");
      if (doc.k) item.setAttribute("data-kit", doc.k);
      if (doc.p) item.setAttribute("data-partie", doc.p);
      var centres = doc.c || [];
      if (centres.length) item.setAttribute("data-centre", centres.join(" "));
      var link = element("a", "recherche__lien");
      link.href = href(doc, centres[0]);
      link.appendChild(element("span", "recherche__titre", doc.t));
      if (doc.p) link.appendChild(element("span", "recherche__partie", doc.p));
      item.appendChild(link);
      if (names && centres.length) {
        var where = element("p", "recherche__centres", centres.length > 1 ? "Centres : " : "Centre : ");
        centres.forEach(function (c, i) {
          if (i) where.appendChild(document.createTextNode(", "));
          var a = element("a", "recherche__centre", names[c] || c);
          a.href = href(doc, c);
          a.setAttribute("data-centre", c);
          where.appendChild(a);
        });
        item.appendChild(where);
      }
      var extract = excerptFor(doc, matches);
      if (extract) item.appendChild(extract);
      list.appendChild(item);
    });
    panel.appendChild(list);
    if (results.length > MAX_SHOWN) {
      panel.appendChild(element("p", "recherche__plus",
        (results.length - MAX_SHOWN === 1 ? "1 autre résultat" : (results.length - MAX_SHOWN) + " autres résultats") +
        " : ajoutez un mot pour préciser votre recherche."));
    }
  }

  function links() {
    return Array.prototype.slice.call(panel.querySelectorAll("a.recherche__lien"));
  }

  input.addEventListener("focus", function () { load(); });
  input.addEventListener("input", function () {
    if (!state.index && !state.failed) load(render);
    render();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) window.location.href = first.href;
  });
  form.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      panel.hidden = true;
      input.focus();
    } else if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus(); else all[at - 1].focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) panel.hidden = true;
  });
  document.addEventListener("keydown", function (event) {
    var t = event.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if (event.key === "/" && !typing) { event.preventDefault(); input.focus(); }
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; load(render); }
})();
