"""The answer renderer (static/markdown.js on top of the vendored markdown-it), table-driven,
in the real browser.

Each case renders Markdown into a detached element and compares the resulting HTML, so
the table shows exactly which elements may be created (CommonMark + GFM tables and
strikethrough) and that everything else, raw HTML and unsafe links above all, stays text.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

VAULT = {"[PERSON_1]": "Anna <b>Schneider</b>", "[IBAN_CODE_1]": "DE89 3704 0044 0532 0130 00"}

CASES = [
    ("plain text", "Guten Tag.", "<p>Guten Tag.</p>"),
    ("paragraphs and line breaks", "eins\nzwei\n\ndrei", "<p>eins<br>zwei</p><p>drei</p>"),
    ("bold and italic", "**fett** und *kursiv* und __auch__ _so_",
     "<p><strong>fett</strong> und <em>kursiv</em> und <strong>auch</strong> <em>so</em></p>"),
    ("snake_case stays text", "die_variable_hier und a__b__c", "<p>die_variable_hier und a__b__c</p>"),
    ("inline code keeps markup as text", "`<b>x</b>`", "<p><code>&lt;b&gt;x&lt;/b&gt;</code></p>"),
    ("code block", "```python\nprint('<hi>')\n```", "<pre><code>print('&lt;hi&gt;')</code></pre>"),
    ("lists", "- a\n- b\n\n3. c\n4. d", '<ul><li>a</li><li>b</li></ul><ol start="3"><li>c</li><li>d</li></ol>'),
    ("headings sit below the page outline", "# Titel\n### Klein", "<h3>Titel</h3><h5>Klein</h5>"),
    ("http link", "[Hilfe](https://example.org/a?b=1)",
     '<p><a href="https://example.org/a?b=1" rel="noopener noreferrer" target="_blank">Hilfe</a></p>'),
    ("javascript link stays text", "[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("data link stays text", "[x](data:text/html,hi)", "<p>[x](data:text/html,hi)</p>"),
    ("raw HTML stays text", '<img src=x onerror="alert(1)">', "<p>&lt;img src=x onerror=\"alert(1)\"&gt;</p>"),
    ("placeholder restored as text, even with markup in it", "Frau [PERSON_1]",
     "<p>Frau Anna &lt;b&gt;Schneider&lt;/b&gt;</p>"),
    ("placeholder underscores are not emphasis", "[IBAN_CODE_1] und [PHONE_NUMBER_1] _x_",
     "<p>DE89 3704 0044 0532 0130 00 und <mark>[PHONE_NUMBER_1]</mark> <em>x</em></p>"),
    ("unknown placeholder is marked", "**[PERSON_2]**", "<p><strong><mark>[PERSON_2]</mark></strong></p>"),
    ("placeholder inside code is restored", "`[PERSON_1]`", "<p><code>Anna &lt;b&gt;Schneider&lt;/b&gt;</code></p>"),
    ("GFM table with alignment", "| Name | Betrag |\n|:--|--:|\n| [PERSON_1] | 12 € |",
     '<div class="table-wrap"><table><thead><tr><th class="align-left">Name</th>'
     '<th class="align-right">Betrag</th></tr></thead><tbody><tr><td class="align-left">'
     'Anna &lt;b&gt;Schneider&lt;/b&gt;</td><td class="align-right">12 €</td></tr></tbody></table></div>'),
    ("masked e-mail is not emphasis", "Schreiben Sie an ***.******@*******.** und **fett**.",
     '<p>Schreiben Sie an <span class="masked">***.******@*******.**</span> und <strong>fett</strong>.</p>'),
    ("two masked values on a line", "Tel. +** ** ******** und IBAN **** **** ****",
     '<p>Tel. +<span class="masked">**</span> <span class="masked">**</span> <span class="masked">********</span>'
     ' und IBAN <span class="masked">****</span> <span class="masked">****</span> <span class="masked">****</span></p>'),
    ("a line of asterisks is still a break", "oben\n\n***\n\nunten", "<p>oben</p><hr><p>unten</p>"),
    ("strikethrough and blockquote", "~~alt~~ neu\n\n> zitiert", "<p><s>alt</s> neu</p><blockquote><p>zitiert</p></blockquote>"),
    ("script block stays text", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ("javascript autolink stays text", "<javascript:alert(1)>", "<p>&lt;javascript:alert(1)&gt;</p>"),
    ("upper-case javascript link stays text", "[x](JAVASCRIPT:alert(1))", "<p>[x](JAVASCRIPT:alert(1))</p>"),
    ("reference link to javascript stays text", "[x][1]\n\n[1]: javascript:alert(1)",
     "<p>[x][1]</p><p>[1]: javascript:alert(1)</p>"),
    ("mailto link", "[Schreiben](mailto:poststelle@example.org)",
     '<p><a href="mailto:poststelle@example.org" rel="noopener noreferrer" target="_blank">Schreiben</a></p>'),
    ("images are never loaded", "![Logo](https://example.org/x.png)", "<p>Logo</p>"),
]


@pytest.fixture(scope="module")
def renderer(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/about")
    page.add_script_tag(url="/static/vendor/markdown-it.min.js")
    page.add_script_tag(url="/static/markdown.js")
    yield page
    context.close()


@pytest.mark.parametrize("source, expected", [(s, e) for _, s, e in CASES], ids=[c[0] for c in CASES])
def test_markdown_subset(renderer, source, expected):
    html = renderer.evaluate(
        """([source, vault]) => {
            const box = document.createElement("div");
            window.SpielraumText.renderMarkdown(box, source, new Map(Object.entries(vault)));
            return box.innerHTML;
        }""", [source, VAULT])
    assert html == expected


def test_restored_values_are_marked_and_unknown_placeholders_highlighted(renderer):
    html = renderer.evaluate(
        """([source, vault]) => {
            const box = document.createElement("div");
            const restored = (original, ph) => {
                const span = document.createElement("span");
                span.className = "restored";
                span.dataset.placeholder = ph;
                span.textContent = original;
                return span;
            };
            window.SpielraumText.renderMarkdown(box, source, new Map(Object.entries(vault)), null, restored);
            return box.innerHTML;
        }""", ["Frau [PERSON_1] und [PERSON_2]", VAULT])
    assert html == ('<p>Frau <span class="restored" data-placeholder="[PERSON_1]">Anna &lt;b&gt;Schneider&lt;/b&gt;'
                    '</span> und <mark>[PERSON_2]</mark></p>')
