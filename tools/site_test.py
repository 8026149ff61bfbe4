"""Open every page of the built website in headless Chromium and check that it works.

    python tools/site_test.py --html _build/html --executed --mathjax DIR --shots DIR

Serves the HTML on localhost and visits every page of ``_toc.yml`` with Debian's
Chromium (``/usr/bin/chromium``, driven by Playwright; no browser is downloaded). The
machine has no internet, so requests leaving localhost are refused, except MathJax,
which is answered from a local copy of the same major version (``--mathjax``: the
``mathjax`` npm package). Each page must:

* load with HTTP 200 and log no console error and no uncaught exception;
* load every same-site image (an ``<img>`` with a natural width > 0);
* render its math, if it has any (MathJax output elements, no raw ``$$`` or ``\\(``);
* for a chapter notebook, link to Colab exactly as
  ``https://colab.research.google.com/github/OWNER/NAME/blob/BRANCH/chapters/FILE.ipynb``;
* for the API reference (``reference/api``): show every module that the page's source names
  in an ``automodule`` directive, each with at least one documented function or class (an
  import that fails in autodoc leaves a module empty, and the page would still load);
* with ``--executed`` (the website of ``make book``), for every notebook page: show cell
  outputs, and no error output except in a cell tagged ``raises-exception`` (a lesson on an
  error); and the execution report (``reference/execution-report``) must list every
  notebook of the table of contents, each executed successfully. Without it (the markup
  build of ``make markup``), pages are not expected to have outputs.

The search page must return results for a word that occurs in the book. A screenshot of
each page goes to ``--shots`` (not committed: look at them). Exit status 1 lists every
problem found.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import pathlib
import re
import sys
import threading

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conventions import colab_url, load_config, toc_files  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SEARCH_WORD = "forget"  # occurs in many chapters
API_PAGE = "reference/api"
REPORT_PAGE = "reference/execution-report"
AUTOMODULE = re.compile(r"^\.\. automodule:: (\S+)\s*$", re.MULTILINE)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no access log on stderr
        pass


def serve(directory: pathlib.Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def api_modules(source: str) -> list[str]:
    """Module names of the ``automodule`` directives in the API page's markdown source."""
    return AUTOMODULE.findall(source)


def api_problems(modules: list[str], anchors: list[str], members: list[str]) -> list[str]:
    """Problems of a rendered API page: each of ``modules`` needs its anchor (``module-NAME``)
    in ``anchors`` and at least one documented member id (``NAME.function``) in ``members``."""
    if not modules:
        return [f"{API_PAGE}: no automodule directive found in its source"]
    problems = []
    for name in modules:
        if f"module-{name}" not in anchors:
            problems.append(f"{API_PAGE}: module {name} is not on the page")
        elif not any(member.startswith(f"{name}.") for member in members):
            problems.append(f"{API_PAGE}: module {name} shows no documented function or class")
    return problems


def report_problems(rows: list[tuple[str, str]], notebooks: list[str]) -> list[str]:
    """Problems of the execution report's table, given its (document, status) ``rows``: every
    notebook of the book must have one row, with a success status (✅)."""
    listed = dict(rows)
    problems = [f"{REPORT_PAGE}: {name} is not in the execution table"
                for name in notebooks if name not in listed]
    problems += [f"{REPORT_PAGE}: {name} did not execute successfully ({listed[name]!r})"
                 for name in notebooks if name in listed and listed[name] != "\u2705"]
    return problems


def check_page(page, url: str, entry: str, config: dict, shots: pathlib.Path,
               executed: bool = False) -> list[str]:
    """Visit one page; return its problems."""
    problems, console = [], []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
    response = page.goto(url, wait_until="networkidle")
    if response is None or response.status != 200:
        return [f"{entry}: HTTP {response.status if response else 'no response'}"]
    has_math = page.locator(".math, .MathJax, mjx-container").count() > 0
    if has_math:
        page.wait_for_function("() => window.MathJax && MathJax.startup && "
                               "MathJax.startup.promise", timeout=20000)
        page.evaluate("() => MathJax.startup.promise")
        rendered = page.locator("mjx-container").count()
        raw = page.evaluate("() => [...document.querySelectorAll('.math')]"
                            ".filter(e => !e.querySelector('mjx-container')).length")
        if rendered == 0 or raw:
            problems.append(f"{entry}: math not rendered ({rendered} rendered, {raw} raw)")
    broken = page.evaluate(
        "() => [...document.images].filter(i => i.src.startsWith(location.origin))"
        ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    problems += [f"{entry}: image does not load: {src}" for src in broken]
    # Refused external requests (badge images) log 'Failed to load resource'; they are
    # expected offline and checked by address below, so only other errors count.
    errors = [m for m in console if "net::ERR_FAILED" not in m
              and "Failed to load resource" not in m]
    problems += [f"{entry}: console error: {m[:200]}" for m in errors]
    if entry.startswith("chapters/") and (ROOT / f"{entry}.ipynb").exists():
        expected = colab_url(config, f"{entry}.ipynb")
        links = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)"
                              ".filter(h => h.includes('colab.research.google.com/github'))")
        if not links or any(link != expected for link in links):
            problems.append(f"{entry}: Colab links {sorted(set(links))}, expected {expected}")
    if executed and (ROOT / f"{entry}.ipynb").exists():
        outputs = page.locator(".cell_output").count()
        errors = page.locator(".cell:not(.tag_raises-exception) .output.traceback").count()
        if outputs == 0:
            problems.append(f"{entry}: no cell outputs (was the notebook executed?)")
        if errors:
            problems.append(f"{entry}: {errors} error outputs outside raises-exception cells")
    if executed and entry == REPORT_PAGE:
        rows = page.evaluate("() => [...document.querySelectorAll('table tbody tr')]"
                             ".map(r => [r.cells[0].innerText.trim(),"
                             " r.cells[r.cells.length - 1].innerText.trim()])")  # status last
        notebooks = [e for e in toc_files() if (ROOT / f"{e}.ipynb").exists()]
        problems += report_problems([tuple(row) for row in rows], notebooks)
    if entry == API_PAGE:
        anchors = page.evaluate("() => [...document.querySelectorAll('[id^=\"module-\"]')]"
                                ".map(e => e.id)")
        members = page.evaluate("() => [...document.querySelectorAll('dt.sig-object[id]')]"
                                ".map(e => e.id)")
        modules = api_modules((ROOT / f"{API_PAGE}.md").read_text(encoding="utf-8"))
        problems += api_problems(modules, anchors, members)
    shot = shots / f"{entry.replace('/', '__')}.png"
    page.screenshot(path=str(shot), full_page=False)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=pathlib.Path,
                        default=ROOT / "_build" / "markup" / "_build" / "html")
    parser.add_argument("--mathjax", type=pathlib.Path, required=True,
                        help="folder of the mathjax npm package (with es5/tex-mml-chtml.js)")
    parser.add_argument("--shots", type=pathlib.Path, default=ROOT / "_build" / "site-test")
    parser.add_argument("--executed", action="store_true",
                        help="the site was built with executed notebooks: check their outputs")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    if not (args.html / "index.html").is_file():
        raise SystemExit(f"{args.html} has no index.html: build the site first")
    if not (args.mathjax / "es5" / "tex-mml-chtml.js").is_file():
        raise SystemExit(f"{args.mathjax} is not the mathjax npm package (es5/tex-mml-chtml.js)")
    args.shots.mkdir(parents=True, exist_ok=True)
    config = load_config()
    entries = toc_files()
    server, base = serve(args.html)
    problems, refused = [], set()

    def route(request_route, request):
        url = request.url
        if url.startswith(base):
            return request_route.continue_()
        if url.startswith(MATHJAX_CDN):
            local = args.mathjax / url[len(MATHJAX_CDN):].split("?")[0]
            if local.is_file():
                return request_route.fulfill(path=str(local))
        refused.add(url)
        return request_route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route("**/*", route)
        for entry in entries:
            page = context.new_page()
            problems += check_page(page, f"{base}/{entry}.html", entry, config, args.shots,
                                   args.executed)
            page.close()
        page = context.new_page()
        page.goto(f"{base}/search.html?q={SEARCH_WORD}", wait_until="networkidle")
        page.wait_for_selector("#search-results ul.search li", timeout=20000)
        hits = page.locator("#search-results ul.search li").count()
        page.screenshot(path=str(args.shots / "search.png"))
        if hits == 0:
            problems.append(f"search for {SEARCH_WORD!r} returned no results")
        browser.close()
    server.shutdown()
    unexpected = sorted(u for u in refused if not u.startswith(
        ("https://colab.research.google.com/assets/", MATHJAX_CDN)))
    print(f"{len(entries)} pages checked in Chromium; search for {SEARCH_WORD!r}: {hits} "
          f"results; screenshots in {args.shots}")
    print(f"refused offline: {len(refused)} external requests "
          f"({len(refused) - len(unexpected)} Colab badge or MathJax, {len(unexpected)} other)")
    for url in unexpected:
        print(f"  other external request: {url}")
    for problem in problems:
        print(f"PROBLEM {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
