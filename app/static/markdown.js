/*
 * Safe text for the chat: placeholders and a small Markdown subset, built as DOM nodes.
 *
 * Design choice: no HTML strings at all. Every piece of text (model output, restored
 * originals) becomes a text node, and the only elements ever created are the ones the
 * subset names: p, br, strong, em, code, pre, h3-h6, ul/ol/li and a (http/https only,
 * rel="noopener noreferrer"). Markup in an answer is therefore shown as the characters it
 * is; there is nothing to escape and nothing to forget to escape.
 *
 * Placeholders ([PERSON_1]) are tokens of their own, so their underscores never read as
 * emphasis. A placeholder the vault knows is replaced by its original, as text; any other
 * is handed to the caller's `mark` function (which highlights it).
 *
 * Exposed as window.SpielraumText = { placeholders, appendText, renderMarkdown }.
 */
(function () {
  "use strict";

  var PLACEHOLDER_SOURCE = "\\[([A-Z][A-Z0-9_]*?)_(\\d{1,4})\\]";
  // Tokens of the inline subset, tried left to right at each position.
  var INLINE_RE = new RegExp([
    "(\\[[A-Z][A-Z0-9_]*?_\\d{1,4}\\])",                                   // 1 placeholder
    "(`+)([^`]|[^`][\\s\\S]*?[^`])\\2(?!`)",                               // 2,3 code span
    "\\*\\*(?=\\S)([\\s\\S]*?\\S)\\*\\*",                                  // 4 bold
    "(?<![A-Za-z0-9_])__(?=\\S)([\\s\\S]*?\\S)__(?![A-Za-z0-9_])",         // 5 bold
    "\\*(?=[^\\s*])([^*]*?[^\\s*]|[^\\s*])\\*",                            // 6 italic
    "(?<![A-Za-z0-9_])_(?=[^\\s_])([^_]*?[^\\s_]|[^\\s_])_(?![A-Za-z0-9_])", // 7 italic
    "\\[([^\\]\\n]+)\\]\\((https?:\\/\\/[^\\s)]+)\\)"                      // 8,9 link
  ].join("|"), "g");

  function el(tag) {
    return document.createElement(tag);
  }

  function defaultMark(placeholder) {
    var node = el("mark");
    node.textContent = placeholder;
    return node;
  }

  /* The distinct placeholders of a text, in order of first appearance. */
  function placeholders(text) {
    var seen = [];
    (String(text).match(new RegExp(PLACEHOLDER_SOURCE, "g")) || []).forEach(function (ph) {
      if (seen.indexOf(ph) === -1) { seen.push(ph); }
    });
    return seen;
  }

  /* Appends text, restoring placeholders the vault (a Map) knows, as text, and marking the rest. */
  function appendText(parent, text, vault, mark) {
    mark = mark || defaultMark;
    var re = new RegExp(PLACEHOLDER_SOURCE, "g");
    var last = 0;
    var match;
    while ((match = re.exec(text)) !== null) {
      if (match.index > last) { parent.appendChild(document.createTextNode(text.slice(last, match.index))); }
      var original = vault ? vault.get(match[0]) : undefined;
      parent.appendChild(original !== undefined ? document.createTextNode(original) : mark(match[0]));
      last = match.index + match[0].length;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
  }

  function renderInline(parent, text, vault, mark) {
    var last = 0;
    var matches = text.matchAll(INLINE_RE);
    for (var step = matches.next(); !step.done; step = matches.next()) {
      var m = step.value;
      if (m.index > last) { appendText(parent, text.slice(last, m.index), vault, mark); }
      if (m[1] !== undefined) {
        appendText(parent, m[1], vault, mark);
      } else if (m[2] !== undefined) {
        var code = el("code");
        appendText(code, m[3], vault, mark);
        parent.appendChild(code);
      } else if (m[4] !== undefined || m[5] !== undefined) {
        var strong = el("strong");
        renderInline(strong, m[4] !== undefined ? m[4] : m[5], vault, mark);
        parent.appendChild(strong);
      } else if (m[6] !== undefined || m[7] !== undefined) {
        var em = el("em");
        renderInline(em, m[6] !== undefined ? m[6] : m[7], vault, mark);
        parent.appendChild(em);
      } else if (m[8] !== undefined) {
        var link = el("a");
        link.href = m[9];               // the regex admits only http(s) URLs
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        renderInline(link, m[8], vault, mark);
        parent.appendChild(link);
      }
      last = m.index + m[0].length;
    }
    if (last < text.length) { appendText(parent, text.slice(last), vault, mark); }
  }

  function renderMarkdown(container, source, vault, mark) {
    container.replaceChildren();
    var lines = source.replace(/\r\n?/g, "\n").split("\n");
    var paragraph = null;
    var list = null;
    var i = 0;
    while (i < lines.length) {
      var line = lines[i];
      if (/^\s*```/.test(line)) {
        paragraph = null; list = null;
        var code = [];
        i += 1;
        while (i < lines.length && !/^\s*```\s*$/.test(lines[i])) { code.push(lines[i]); i += 1; }
        i += 1;
        var pre = el("pre");
        var codeNode = el("code");
        appendText(codeNode, code.join("\n"), vault, mark);
        pre.appendChild(codeNode);
        container.appendChild(pre);
        continue;
      }
      if (/^\s*$/.test(line)) { paragraph = null; list = null; i += 1; continue; }
      var heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
      if (heading) {
        paragraph = null; list = null;
        // Answer headings sit below the page's own h1/h2 in the outline.
        var h = el("h" + Math.min(6, heading[1].length + 2));
        renderInline(h, heading[2], vault, mark);
        container.appendChild(h);
        i += 1;
        continue;
      }
      var item = /^\s*([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line);
      if (item) {
        paragraph = null;
        var ordered = /\d/.test(item[1]);
        if (!list || list.ordered !== ordered) {
          list = { ordered: ordered, node: el(ordered ? "ol" : "ul") };
          var start = parseInt(item[1], 10);
          if (ordered && start !== 1) { list.node.start = start; }
          container.appendChild(list.node);
        }
        var li = el("li");
        renderInline(li, item[2], vault, mark);
        list.node.appendChild(li);
        i += 1;
        continue;
      }
      if (list && /^\s{2,}\S/.test(line)) {
        var lastItem = list.node.lastElementChild;
        lastItem.appendChild(el("br"));
        renderInline(lastItem, line.trim(), vault, mark);
        i += 1;
        continue;
      }
      list = null;
      if (!paragraph) {
        paragraph = el("p");
        container.appendChild(paragraph);
      } else {
        paragraph.appendChild(el("br"));
      }
      renderInline(paragraph, line, vault, mark);
      i += 1;
    }
  }

  window.SpielraumText = { placeholders: placeholders, appendText: appendText, renderMarkdown: renderMarkdown };
}());
