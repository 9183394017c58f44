"""The command line meets faults with a message and exit status 2, never a traceback."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from joinedup.cli import main
from tests.factories import org_respondents, write_csv


def test_a_damaged_saved_result_is_refused_and_nothing_is_written(tmp_path: Path, capsys) -> None:
    responses = write_csv(tmp_path / "responses.csv", org_respondents("Ashby Council", 6, 4))
    saved = tmp_path / "result.json"
    assert main(["analyse", str(responses), "--json", str(saved)]) == 0
    damaged = json.loads(saved.read_text("utf-8"))
    del damaged["partnership"]["scales"]
    saved.write_text(json.dumps(damaged), "utf-8")
    capsys.readouterr()
    code = main(["report", str(saved), "--html", str(tmp_path / "report.html")])
    assert code == 2
    assert "is not a complete joinedup.analysis/1 result" in capsys.readouterr().err
    assert not (tmp_path / "report.html").exists()


def test_serving_on_a_port_in_use_says_so(capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert f"cannot serve on 127.0.0.1:{port}" in capsys.readouterr().err
