"""CSV files beyond the read limits are refused from their bytes, before parsing."""

from __future__ import annotations

from pathlib import Path

from joinedup.analysis.limits import UPLOAD_LIMITS
from joinedup.analysis.tables import parse_csv_bytes, read_csv
from joinedup.cli import main

SMALL = UPLOAD_LIMITS.with_changes(max_rows=10, max_columns=8, max_cells=60)


def problems(raw: bytes, limits=UPLOAD_LIMITS) -> list[str]:
    table = parse_csv_bytes(raw, "responses.csv", limits)
    assert table.n_rows == 0 or not table.problems
    return [str(problem) for problem in table.problems]


def lines(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def test_a_csv_of_one_enormous_line_is_refused_before_it_is_decoded() -> None:
    # Bytes that are not UTF-8 follow: a parse would have reported them instead.
    raw = b"a," * 1_500_000 + b"\n" + b"\xff\xfe not text\n"
    assert problems(raw) == [
        "responses.csv: line 1 is 3 MB long; a line may be at most 1 MB (is it a CSV file, "
        "with one row on each line?); for larger files, use the command line (joinedup analyse)"
    ]


def test_an_enormous_line_further_down_is_named_by_its_line() -> None:
    raw = lines("respondent_id,organisation", "r1,Ashby") + b"x" * 2_000_000 + b"\n"
    assert problems(raw)[0].startswith("responses.csv: line 3 is 2 MB long")


def test_twenty_thousand_columns_are_refused_from_the_header() -> None:
    raw = lines(",".join(f"column {n}" for n in range(20_000)), "1," * 19_999 + "1")
    assert problems(raw) == [
        "responses.csv row 1: has 20,000 columns in its header row; a file may have at most "
        "500 columns; for larger files, use the command line (joinedup analyse)"
    ]


def test_too_many_rows_are_refused_and_the_rows_past_the_limit_are_not_parsed() -> None:
    # Rows past the limit have the wrong number of cells: a full parse would
    # have reported each of them, not the limit.
    rows = [f"r{n},Ashby" for n in range(10)] + ["r10,Ashby,extra"] * 5
    found = problems(lines("respondent_id,organisation", *rows), SMALL)
    assert found == [
        "responses.csv: has more than 10 rows below the header, the most a file may have; "
        "for larger files, use the command line (joinedup analyse)"
    ]


def test_line_breaks_inside_quoted_cells_do_not_count_as_rows() -> None:
    rows = [f'r{n},"Ashby\nCouncil"' for n in range(10)]
    table = parse_csv_bytes(lines("respondent_id,organisation", *rows), "r.csv", SMALL)
    assert table.problems == [] and table.n_rows == 10


def test_blank_lines_do_not_count_as_rows() -> None:
    rows = [f"r{n},Ashby\n" for n in range(10)]
    table = parse_csv_bytes(lines("respondent_id,organisation", *rows), "r.csv", SMALL)
    assert table.problems == [] and table.n_rows == 10


def test_too_many_cells_are_refused_though_rows_and_columns_each_fit() -> None:
    header = ",".join(f"c{n}" for n in range(8))
    found = problems(lines(header, *["1,2,3,4,5,6,7,8"] * 9), SMALL)
    assert found[0].startswith("responses.csv: has more than 60 cells (8 columns, so at most 7")


def test_a_csv_file_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "responses.csv"
    path.write_bytes(lines("respondent_id,organisation", *["r1,Ashby"] * 400))
    table = read_csv(path, limits=UPLOAD_LIMITS.with_changes(max_bytes=2000))
    assert str(table.problems[0]).startswith("responses.csv: is 4 KB; a file may be at most 2 KB")


def test_a_file_within_the_limits_is_read_as_before() -> None:
    rows = [f"r{n},Ashby" for n in range(10)]
    table = parse_csv_bytes(lines("respondent_id,organisation", *rows), "r.csv", SMALL)
    assert table.problems == [] and table.n_rows == 10


def test_the_command_line_refuses_a_file_of_twenty_thousand_columns(tmp_path: Path, capsys):
    path = tmp_path / "responses.csv"
    path.write_bytes(lines(",".join(f"column {n}" for n in range(20_000)), "1," * 19_999 + "1"))
    saved = tmp_path / "result.json"
    assert main(["analyse", str(path), "--json", str(saved)]) == 2
    assert "responses.csv row 1: has 20,000 columns in its header row" in capsys.readouterr().err
    assert not saved.exists()
