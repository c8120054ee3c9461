// pressroom's search: reads the index the build writes under search/
// (format in docs/search.md) and shows ranked results with excerpts.
// Fetches only the manifest, the per-article filter data, the term chunks a
// query needs and the few articles it shows.
(function () {
  'use strict';
  var root = document.getElementById('search');
  if (!root || !window.fetch) return;
  var base = root.getAttribute('data-index');
  var form = root.querySelector('form');
  var input = document.getElementById('search-input');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var filters = { topic: 'topics', author: 'authors', type: 'types', year: 'years' };
  var PAGE = 10;
  var K1 = 1.2;
  var B = 0.75;
  var cache = {};
  var shown = [];
  var terms = [];
  var generation = 0;
  // The theme's strings in the site's language, from the page (search.html).
  var text = {
    by: root.getAttribute('data-by') || '',
    and: root.getAttribute('data-and') || '',
    searching: root.getAttribute('data-searching') || '',
    none: root.getAttribute('data-none') || '',
    noneFor: root.getAttribute('data-none-for') || '',
    found: forms('data-found'),
    foundFor: forms('data-found-for'),
    unavailable: root.getAttribute('data-unavailable') || ''
  };

  /** Plural forms (`zero`, `one`, `other`) given as JSON in an attribute. */
  function forms(name) {
    try {
      return JSON.parse(root.getAttribute(name) || '{}');
    } catch (e) {
      return {};
    }
  }

  /** Fills `{key}` placeholders, as the build's `fill` filter does. */
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  /** The form for `n`, chosen as the build chooses it: `zero` when given, then `one`, else `other`. */
  function plural(table, n) {
    if (n === 0 && table.zero !== undefined) return table.zero;
    return n === 1 && table.one !== undefined ? table.one : table.other || '';
  }

  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.json();
      });
    }
    return cache[path];
  }

  /** Words of a query, split as the build splits the articles. */
  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  /** The chunks that may hold terms starting with `prefix`. */
  function chunksFor(manifest, prefix) {
    var firsts = manifest.chunks;
    var out = [];
    var i = 0;
    while (i + 1 < firsts.length && firsts[i + 1] <= prefix) i += 1;
    out.push(i);
    for (var j = i + 1; j < firsts.length && firsts[j].slice(0, prefix.length) === prefix; j += 1) out.push(j);
    return out;
  }

  /** Article -> weight for every term starting with `word`; exact matches count double. */
  function postings(manifest, word) {
    return Promise.all(chunksFor(manifest, word).map(function (n) { return get('terms/' + n + '.json'); })).then(function (chunks) {
      var found = [];
      chunks.forEach(function (chunk) {
        Object.keys(chunk).forEach(function (term) {
          if (term.slice(0, word.length) !== word) return;
          var list = chunk[term];
          var doc = 0;
          var scale = term === word ? 1 : 0.5;
          var entries = new Map();
          for (var k = 0; k < list.length; k += 2) {
            doc += list[k];
            entries.set(doc, list[k + 1]);
          }
          found.push({ scale: scale, entries: entries });
        });
      });
      return found;
    });
  }

  function chosen() {
    var out = {};
    Object.keys(filters).forEach(function (name) {
      var el = document.getElementById('filter-' + name);
      if (el && el.value) out[name] = el.value;
    });
    return out;
  }

  /** Does article `d` pass the chosen filters? */
  function passes(manifest, doc, want) {
    var ok = true;
    Object.keys(want).forEach(function (name) {
      var values = manifest[filters[name]].map(function (v) { return Array.isArray(v) ? v[0] : String(v); });
      var index = values.indexOf(want[name]);
      var field = { year: 1, type: 2, topic: 3, author: 4 }[name];
      var has = Array.isArray(doc[field]) ? doc[field].indexOf(index) >= 0 : doc[field] === index;
      if (!has) ok = false;
    });
    return ok;
  }

  function rank(manifest, docs, queryWords, want) {
    var n = docs.docs.length;
    if (queryWords.length === 0) {
      var all = [];
      for (var d = 0; d < n; d += 1) if (passes(manifest, docs.docs[d], want)) all.push(d);
      return Promise.resolve(all);
    }
    return Promise.all(queryWords.map(function (w) { return postings(manifest, w); })).then(function (perWord) {
      var scores = null;
      perWord.forEach(function (found) {
        var here = new Map();
        found.forEach(function (p) {
          var idf = Math.log(1 + (n - p.entries.size + 0.5) / (p.entries.size + 0.5));
          p.entries.forEach(function (tf, doc) {
            var len = docs.docs[doc][0];
            var s = p.scale * idf * (tf * (K1 + 1)) / (tf + K1 * (1 - B + B * len / docs.average));
            here.set(doc, Math.max(here.get(doc) || 0, s));
          });
        });
        if (scores === null) {
          scores = here;
        } else {
          var both = new Map();
          scores.forEach(function (s, doc) { if (here.has(doc)) both.set(doc, s + here.get(doc)); });
          scores = both;
        }
      });
      var ranked = [];
      scores.forEach(function (s, doc) { if (passes(manifest, docs.docs[doc], want)) ranked.push([doc, s]); });
      ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      return ranked.map(function (r) { return r[0]; });
    });
  }

  /** About 30 words of `text` around the first match, matches marked. */
  function excerpt(text, queryWords) {
    var parts = text.split(/(\s+)/);
    var tokens = [];
    for (var i = 0; i < parts.length; i += 2) tokens.push(parts[i]);
    var matches = function (tok) {
      return words(tok).some(function (w) { return queryWords.some(function (q) { return w.slice(0, q.length) === q; }); });
    };
    var first = 0;
    for (var j = 0; j < tokens.length; j += 1) if (matches(tokens[j])) { first = j; break; }
    var start = Math.max(0, first - 10);
    var end = Math.min(tokens.length, start + 30);
    var p = document.createElement('p');
    p.className = 'excerpt';
    if (start > 0) p.appendChild(document.createTextNode('… '));
    for (var k = start; k < end; k += 1) {
      if (k > start) p.appendChild(document.createTextNode(' '));
      if (queryWords.length && matches(tokens[k])) {
        var mark = document.createElement('mark');
        mark.textContent = tokens[k];
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(tokens[k]));
      }
    }
    if (end < tokens.length) p.appendChild(document.createTextNode(' …'));
    return p;
  }

  function result(doc) {
    var li = document.createElement('li');
    var kicker = document.createElement('p');
    kicker.className = 'kicker';
    kicker.textContent = doc.kind;
    var h = document.createElement('h2');
    var a = document.createElement('a');
    a.href = doc.url;
    a.textContent = doc.title;
    h.appendChild(a);
    var meta = document.createElement('p');
    meta.className = 'card-meta';
    meta.appendChild(document.createTextNode(doc.byline.length ? text.by + joinNames(doc.byline) + ' · ' : ''));
    var time = document.createElement('time');
    time.dateTime = doc.date;
    time.textContent = doc.date_display;
    meta.appendChild(time);
    li.appendChild(kicker);
    li.appendChild(h);
    li.appendChild(meta);
    li.appendChild(excerpt(doc.text || doc.summary, terms));
    return li;
  }

  function joinNames(names) {
    if (names.length < 2) return names.join('');
    return names.slice(0, -1).join(', ') + text.and + names[names.length - 1];
  }

  function showMore() {
    var next = shown.splice(0, PAGE);
    var mine = generation;
    return Promise.all(next.map(function (d) { return get('docs/' + d + '.json'); })).then(function (docs) {
      if (mine !== generation) return;
      docs.forEach(function (doc) { list.appendChild(result(doc)); });
      more.hidden = shown.length === 0;
    });
  }

  function saveState(query, want) {
    var params = new URLSearchParams();
    if (query) params.set('q', query);
    Object.keys(want).forEach(function (k) { params.set(k, want[k]); });
    var search = params.toString();
    history.replaceState(null, '', location.pathname + (search ? '?' + search : ''));
  }

  function run() {
    var query = input.value.trim();
    var want = chosen();
    var mine = (generation += 1);
    saveState(query, want);
    terms = words(query);
    if (!terms.length && !Object.keys(want).length) {
      list.textContent = '';
      status.textContent = '';
      more.hidden = true;
      return Promise.resolve();
    }
    status.textContent = text.searching;
    return Promise.all([get('manifest.json'), get('docs.json')])
      .then(function (loaded) { return rank(loaded[0], loaded[1], terms, want); })
      .then(function (ranked) {
        if (mine !== generation) return;
        list.textContent = '';
        shown = ranked.slice();
        // The count is announced once the first results are on the page.
        return showMore().then(function () {
          if (mine !== generation) return;
          var n = ranked.length;
          var values = { n: n, query: query };
          if (n === 0) status.textContent = fill(query ? text.noneFor : text.none, values);
          else status.textContent = fill(plural(query ? text.foundFor : text.found, n), values);
        });
      })
      .catch(function (e) {
        status.textContent = fill(text.unavailable, { error: e.message });
      });
  }

  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  Object.keys(filters).forEach(function (name) {
    var el = document.getElementById('filter-' + name);
    if (el) el.addEventListener('change', run);
  });
  more.addEventListener('click', showMore);

  var params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  Object.keys(filters).forEach(function (name) {
    var el = document.getElementById('filter-' + name);
    if (el && params.get(name)) el.value = params.get(name);
  });
  root.setAttribute('data-ready', 'true');
  run();
})();
