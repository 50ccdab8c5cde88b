/* pakru export html: search and filters over the claims rendered in the page. Data text is
   only ever read (from the embedded JSON) and compared; nothing is written as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("pakru-data").textContent);
  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var byId = {};
  data.claims.forEach(function (c) {
    byId[c.id] = {
      claim: c,
      text: fold([c.summary, c.quote, c.date_label, c.kind, c.topics.join(" "), c.actors.join(" "),
        c.source.author || "", c.source.title, c.source.outlet || "", c.event || ""].join(" "))
    };
  });
  var q = document.getElementById("q"), topic = document.getElementById("topic"),
    source = document.getElementById("source"), count = document.getElementById("count");
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.claim"));
  var dots = {};
  Array.prototype.forEach.call(document.querySelectorAll(".dot"), function (d) {
    dots[d.getAttribute("data-id")] = d;
  });
  function apply() {
    var words = fold(q.value).split(/\s+/).filter(Boolean), t = topic.value, s = source.value, shown = 0;
    cards.forEach(function (el) {
      var id = el.getAttribute("data-id"), entry = byId[id], c = entry.claim;
      var ok = (!t || c.topics.indexOf(t) >= 0) && (!s || c.source.id === s) &&
        words.every(function (w) { return entry.text.indexOf(w) >= 0; });
      el.hidden = !ok;
      if (dots[id]) { dots[id].classList.toggle("off", !ok); }
      if (ok) { shown += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".event, section.decade"), function (box) {
      box.hidden = !box.querySelector("article.claim:not([hidden])");
    });
    count.textContent = shown + " of " + cards.length + " claims";
  }
  q.addEventListener("input", apply);
  topic.addEventListener("change", apply);
  source.addEventListener("change", apply);
  document.getElementById("controls").addEventListener("submit", function (ev) { ev.preventDefault(); });
  apply();
}());
