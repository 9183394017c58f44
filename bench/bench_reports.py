"""Benchmark: rendering the report of a 40-organisation partnership.

Targets: the HTML report in under 1 second and the PDF in under 5 seconds,
for a synthetic partnership of 40 organisations (issue "Reports people act
on"); and the PDF no slower than headless Chromium printing the same HTML
report (issue 11: ratio at most 1.0).

The ratio compares like with like: from the report's HTML (one string, made
once) to the PDF's bytes, each PDF tagged and with its outline (bookmarks).
WeasyPrint runs as in the web app's worker: from this process, already
imported, with its two helper processes (`reports/pdf_halves.py`: a long
report is printed in two halves at once, on the machine's two cores, and
joined here) started by the warm-up run; Chromium (Debian's, through
Playwright) is launched once, as a server would keep it running, and each
run opens a fresh page, loads the HTML, prints it with
`page.pdf(tagged=True, outline=True)` and closes the page. So neither side
counts starting up, and both count everything from the HTML on. Chromium
without the outline (as this benchmark printed until session 13) is timed
too and printed for comparison.
The "PDF report" line is the whole of `render_pdf` (the HTML made first).
Every job has one warm-up run, each run waits half a second for the machine
to settle, the order of the jobs turns round and reverses from run to run, and the best
of five counts (three until
session 13: the machine's noise alone moved the ratio by a tenth); the two printers
take turns, run by run, so that a busy machine slows both alike. Prints the
figures, the ratio and PASS or MISS; exits 0 either way, because benchmarks
report and do not fail builds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from joinedup.analysis import Settings, analyse, read_files
from joinedup.analysis.synth import SynthSpec, generate, write
from joinedup.reports.pdf import html_to_pdf
from joinedup.reports.report import ReportOptions, render_html, render_pdf

CHROMIUM = "/usr/bin/chromium"

DATA = Path(__file__).resolve().parent / "data" / "reports-40"
HTML_TARGET = 1.0
PDF_TARGET = 5.0
RATIO_TARGET = 1.0
SETTLE_SECONDS = 0.5


def prepare() -> tuple[dict, ReportOptions]:
    if not (DATA / "responses.csv").exists():
        spec = SynthSpec(organisations=40, respondents=2000, ratings_per_respondent=6, rounds=2)
        write(generate(spec), DATA)
    dataset, _ = read_files(
        DATA / "responses.csv", DATA / "relationships.csv", DATA / "organisations.csv"
    )
    result = analyse(dataset, Settings())
    frame = dataset.organisations
    sectors = {n: s for n, s in zip(frame["name"], frame["sector"], strict=True) if s}
    return result, ReportOptions(partnership="Benchmark partnership", sectors=sectors)


def best(runs: int, job) -> float:  # type: ignore[no-untyped-def]
    job()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def printing_seconds(html: str, runs: int) -> dict[str, float]:
    """Best times for WeasyPrint and for headless Chromium to turn the HTML into a PDF.

    Keys "weasyprint", "chromium" (tagged, with the outline) and "chromium
    without outline"; only "weasyprint" when Chromium or Playwright is missing.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"weasyprint": best(runs, lambda: html_to_pdf(html))}
    if not Path(CHROMIUM).exists():
        return {"weasyprint": best(runs, lambda: html_to_pdf(html))}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )

        def chromium_pdf(outline: bool = True) -> bytes:
            page = browser.new_page()
            page.set_content(html, wait_until="load")
            pdf = page.pdf(format="A4", print_background=True, tagged=True, outline=outline)
            page.close()
            return pdf

        jobs = {
            "weasyprint": lambda: html_to_pdf(html),
            "chromium": chromium_pdf,
            "chromium without outline": lambda: chromium_pdf(outline=False),
        }
        times: dict[str, list[float]] = {name: [] for name in jobs}
        for job in jobs.values():
            job()  # warm-up
        names = list(jobs)
        for run in range(runs):
            # The order turns round and reverses from run to run, so that no
            # job always follows the same one (a job finishing in the
            # background slows the next).
            order = names[run % len(names) :] + names[: run % len(names)]
            for name in order if run % 2 == 0 else order[::-1]:
                job = jobs[name]
                # Each run starts on a settled machine: Chromium closes a
                # page's renderer, and the PDF helpers collect their garbage,
                # after their call has returned, on the cores the next run
                # uses.
                time.sleep(SETTLE_SECONDS)
                start = time.perf_counter()
                job()
                times[name].append(time.perf_counter() - start)
        browser.close()
    return {name: min(taken) for name, taken in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    result, options = prepare()
    html_seconds = best(args.runs, lambda: render_html(result, options))
    pdf_seconds = best(args.runs, lambda: render_pdf(result, options))
    printing = printing_seconds(render_html(result, options), args.runs)
    weasyprint_seconds = printing["weasyprint"]
    chrome_seconds = printing.get("chromium")
    pages = render_pdf(result, options).count(b"/Type /Page\n") or None
    print("-" * 70)
    print(f"Report benchmark: 40 organisations, {result['respondents']} respondents")
    print("-" * 70)
    verdict = {True: "PASS", False: "MISS"}
    print(
        f"HTML report   {html_seconds:6.2f} s   target < {HTML_TARGET:.0f} s   "
        f"{verdict[html_seconds < HTML_TARGET]}"
    )
    print(
        f"PDF report    {pdf_seconds:6.2f} s   target < {PDF_TARGET:.0f} s   "
        f"{verdict[pdf_seconds < PDF_TARGET]}" + (f"   ({pages} pages)" if pages else "")
    )
    if chrome_seconds is None:
        print(f"Chromium      not found at {CHROMIUM} (or Playwright missing): no ratio")
    else:
        ratio = weasyprint_seconds / chrome_seconds
        print(f"HTML to PDF   {weasyprint_seconds:6.2f} s   (WeasyPrint, from the report's HTML)")
        print(f"Chromium PDF  {chrome_seconds:6.2f} s   (the same HTML printed headless, outlined)")
        print(
            f"PDF/Chromium  {ratio:6.2f}     target <= {RATIO_TARGET:.1f}     "
            f"{verdict[ratio <= RATIO_TARGET]}"
        )
        plain = printing["chromium without outline"]
        print(
            f"  (Chromium with no outline: {plain:.2f} s, ratio {weasyprint_seconds / plain:.2f})"
        )
    print("-" * 70)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
