"""Two fixes for browser console errors of the built site (found by tools/site_test.py).

1. Sphinx 7.4 includes an inline script added with ``app.add_js_file(None, body=...)``
   twice when the HTML builder is initialised after the extension added it (the registry
   stores ``None``, the builder ``''``, so the duplicate check misses it). With
   sphinx-thebe this declares ``const THEBE_JS_URL`` twice: "Identifier 'THEBE_JS_URL' has
   already been declared" on every page. Backport of sphinx-doc/sphinx#13402 (Sphinx 8.2):
   normalise ``None`` to ``''`` in the builder too.
2. On a first visit (empty ``localStorage``) the theme's head script sets the colour mode
   to ``""``, which pydata-sphinx-theme rejects with "Got invalid theme mode: . Resetting
   to auto." A small inline script, run after that head script and before the theme's
   deferred JavaScript, sets the empty mode to ``auto`` (what the theme then does anyway).
"""

from sphinx.builders.html import StandaloneHTMLBuilder

EMPTY_MODE_TO_AUTO = ('if (!document.documentElement.dataset.mode) '
                      '{ document.documentElement.dataset.mode = "auto"; }')


def _normalise_none(add_js_file):
    def add_js_file_once(self, filename, **kwargs):
        return add_js_file(self, filename or "", **kwargs)

    add_js_file_once.site_fixes = True
    return add_js_file_once


def setup(app):
    if not getattr(StandaloneHTMLBuilder.add_js_file, "site_fixes", False):
        StandaloneHTMLBuilder.add_js_file = _normalise_none(StandaloneHTMLBuilder.add_js_file)
    app.add_js_file(None, body=EMPTY_MODE_TO_AUTO, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
