/*
 * Safe text for the chat: placeholders, restored values and CommonMark + GFM tables,
 * built as DOM nodes.
 *
 * Design choices:
 * - Parsing is done by markdown-it (vendor/markdown-it.min.js, see tools/vendor_js.sh) with
 *   html:false, but its HTML renderer is never used: this file walks markdown-it's token
 *   stream and creates elements from a fixed list (p, br, strong, em, s, code, pre, h3-h6,
 *   ul/ol/li, blockquote, hr, table parts, a). Every piece of text becomes a text node, so
 *   markup in an answer stays the characters it is, whatever the parser decides.
 * - Links are kept only for http, https and mailto; anything else is shown as its text.
 * - Placeholders ([PERSON_1]) and masked values (****.*******@…) are swapped for inert
 *   private-use tokens before parsing, so their underscores and asterisks never read as
 *   emphasis, and swapped back while the text nodes are built: a placeholder the vault
 *   knows becomes its original (wrapped by the caller's `restored` function so the person
 *   sees what was put back), any other goes to the caller's `mark` function.
 *
 * Exposed as window.SpielraumText = { placeholders, appendText, renderMarkdown, markdownSource }.
 */
(function () {
  "use strict";

  var PLACEHOLDER_SOURCE = "\\[([A-Z][A-Z0-9_]*?)_(\\d{1,4})\\]";
  // A masked value: runs of two or more asterisks, maybe joined by . @ - + / : _ (what the
  // guard's mask leaves of an e-mail address, phone number or IBAN), standing on its own.
  var MASK_SOURCE = "(?<=^|[\\s(\"'„“+])\\*{2,}(?:[.@\\-+/:_]+\\*+)*(?=$|[\\s.,;:!?)\"'“”])";
  var TOKEN_OPEN = "\uE000";
  var TOKEN_CLOSE = "\uE001";
  var TOKEN_RE = /\uE000(\d+)\uE001/g;
  var ALLOWED_LINK = /^(https?:\/\/|mailto:)/i;
  var BLOCK_TAGS = { p: 1, ul: 1, ol: 1, li: 1, blockquote: 1, table: 1, thead: 1, tbody: 1, tr: 1, th: 1, td: 1 };

  var parser = null;

  function getParser() {
    if (parser || typeof window.markdownit !== "function") { return parser; }
    parser = window.markdownit({ html: false, linkify: false, typographer: false, breaks: true });
    parser.validateLink = function (url) { return ALLOWED_LINK.test(String(url).trim()); };
    return parser;
  }

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

  /* Appends text, restoring placeholders the vault (a Map) knows and marking the rest. */
  function appendText(parent, text, vault, mark, restored) {
    mark = mark || defaultMark;
    var re = new RegExp(PLACEHOLDER_SOURCE, "g");
    var last = 0;
    var match;
    while ((match = re.exec(text)) !== null) {
      if (match.index > last) { parent.appendChild(document.createTextNode(text.slice(last, match.index))); }
      var original = vault ? vault.get(match[0]) : undefined;
      if (original === undefined) {
        parent.appendChild(mark(match[0]));
      } else {
        parent.appendChild(restored ? restored(original, match[0]) : document.createTextNode(original));
      }
      last = match.index + match[0].length;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
  }

  /* The answer's Markdown with placeholders the vault knows put back (for "copy as Markdown"). */
  function markdownSource(text, vault) {
    return String(text).replace(new RegExp(PLACEHOLDER_SOURCE, "g"), function (ph) {
      var original = vault ? vault.get(ph) : undefined;
      return original === undefined ? ph : original;
    });
  }

  // ---- protecting placeholders and masks from the parser -----------------------------

  function protect(source) {
    var saved = [];
    function keep(value) {
      saved.push(value);
      return TOKEN_OPEN + (saved.length - 1) + TOKEN_CLOSE;
    }
    var lines = source.replace(/\r\n?/g, "\n").replace(/[\uE000\uE001]/g, "").split("\n");
    var maskRe = new RegExp(MASK_SOURCE, "g");
    var text = lines.map(function (line) {
      line = line.replace(new RegExp(PLACEHOLDER_SOURCE, "g"), keep);
      // A line of asterisks alone is a thematic break, not a masked value.
      return /^\s*(\*\s*){3,}$/.test(line) ? line : line.replace(maskRe, keep);
    }).join("\n");
    return { text: text, saved: saved };
  }

  function makeWriter(saved, vault, mark, restored) {
    return function write(parent, text) {
      var last = 0;
      var match;
      TOKEN_RE.lastIndex = 0;
      while ((match = TOKEN_RE.exec(text)) !== null) {
        if (match.index > last) { parent.appendChild(document.createTextNode(text.slice(last, match.index))); }
        var value = saved[Number(match[1])];
        if (value === undefined) {
          // not one of ours: drop it
        } else if (value.charAt(0) === "[") {
          appendText(parent, value, vault, mark, restored);
        } else {
          var masked = el("span");
          masked.className = "masked";
          masked.textContent = value;
          parent.appendChild(masked);
        }
        last = match.index + match[0].length;
      }
      if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
    };
  }

  function plainText(text, saved) {
    return text.replace(TOKEN_RE, function (_, index) { return saved[Number(index)] || ""; });
  }

  // ---- tokens to DOM -------------------------------------------------------------------

  function renderInline(parent, children, write, saved) {
    var stack = [parent];
    function top() { return stack[stack.length - 1]; }
    function open(tag) {
      var node = el(tag);
      top().appendChild(node);
      stack.push(node);
      return node;
    }
    function close() { if (stack.length > 1) { stack.pop(); } }
    (children || []).forEach(function (token) {
      switch (token.type) {
        case "text": write(top(), token.content); break;
        case "softbreak": case "hardbreak": top().appendChild(el("br")); break;
        case "code_inline": var code = el("code"); write(code, token.content); top().appendChild(code); break;
        case "strong_open": open("strong"); break;
        case "em_open": open("em"); break;
        case "s_open": open("s"); break;
        case "strong_close": case "em_close": case "s_close": close(); break;
        case "link_open":
          var href = plainText(token.attrGet("href") || "", saved);
          if (ALLOWED_LINK.test(href)) {
            var link = open("a");
            link.href = href;
            link.rel = "noopener noreferrer";
            link.target = "_blank";
          } else {
            open("span");
          }
          break;
        case "link_close": close(); break;
        case "image":
          // Images are never loaded from an answer: show their description as text.
          write(top(), token.content || "");
          break;
        default:
          if (token.content) { write(top(), token.content); }
      }
    });
  }

  function renderMarkdown(container, source, vault, mark, restored) {
    container.replaceChildren();
    var md = getParser();
    var kept = protect(String(source));
    var write = makeWriter(kept.saved, vault, mark, restored);
    if (!md) {
      // The library failed to load: plain text with line breaks is still safe and readable.
      var p = el("p");
      p.className = "plain";
      write(p, kept.text);
      container.appendChild(p);
      return;
    }
    var tokens = md.parse(kept.text, {});
    var stack = [container];
    function top() { return stack[stack.length - 1]; }
    tokens.forEach(function (token) {
      if (token.type === "inline") {
        renderInline(top(), token.children, write, kept.saved);
        return;
      }
      if (token.type === "fence" || token.type === "code_block") {
        var pre = el("pre");
        var code = el("code");
        write(code, token.content.replace(/\n$/, ""));
        pre.appendChild(code);
        top().appendChild(pre);
        return;
      }
      if (token.type === "hr") { top().appendChild(el("hr")); return; }
      if (token.type === "html_block" || token.type === "html_inline") {
        var p2 = el("p");
        write(p2, token.content);
        top().appendChild(p2);
        return;
      }
      if (token.nesting === 1) {
        var tag = token.tag;
        if (token.type === "heading_open") {
          // Answer headings sit below the page's own h1/h2 in the outline.
          tag = "h" + Math.min(6, Number(token.tag.slice(1)) + 2);
        } else if (!BLOCK_TAGS[tag]) {
          tag = "div";
        }
        var node = el(tag);
        if (tag === "ol") {
          var start = Number(token.attrGet("start"));
          if (start && start !== 1) { node.start = start; }
        }
        if (tag === "th" || tag === "td") {
          var style = token.attrGet("style") || "";
          var align = /text-align:(left|right|center)/.exec(style);
          if (align) { node.className = "align-" + align[1]; }
        }
        if (tag === "table") {
          // Wide tables scroll inside the answer instead of widening the page.
          var wrap = el("div");
          wrap.className = "table-wrap";
          top().appendChild(wrap);
          wrap.appendChild(node);
        } else {
          top().appendChild(node);
        }
        stack.push(node);
        if (token.hidden) { node.setAttribute("data-hidden", "1"); }
        return;
      }
      if (token.nesting === -1) {
        var closed = stack.pop();
        if (closed && closed.getAttribute("data-hidden") === "1") {
          // Tight list paragraphs: unwrap, so list items hold their text directly.
          closed.removeAttribute("data-hidden");
          var parent = closed.parentNode;
          while (closed.firstChild) { parent.insertBefore(closed.firstChild, closed); }
          parent.removeChild(closed);
        }
      }
    });
  }

  window.SpielraumText = {
    placeholders: placeholders, appendText: appendText, renderMarkdown: renderMarkdown,
    markdownSource: markdownSource
  };
}());
