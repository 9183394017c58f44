"""Benchmark: rendering the report of a 40-organisation partnership.

Targets (issue "Reports people act on"): the HTML report in under 1 second and
the PDF in under 5 seconds, for a synthetic partnership of 40 organisations.
Each is timed in-process (after one warm-up render, so imports and template
compilation are not counted), best of three runs. Prints the figures and
PASS or MISS; exits 0 either way, because benchmarks report and do not fail
builds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from joinedup.analysis import Settings, analyse, read_files
from joinedup.analysis.synth import SynthSpec, generate, write
from joinedup.reports.report import ReportOptions, render_html, render_pdf

DATA = Path(__file__).resolve().parent / "data" / "reports-40"
HTML_TARGET = 1.0
PDF_TARGET = 5.0


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    result, options = prepare()
    html_seconds = best(args.runs, lambda: render_html(result, options))
    pdf_seconds = best(args.runs, lambda: render_pdf(result, options))
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
    print("-" * 70)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
