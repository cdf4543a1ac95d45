"""`ctgraph serve`: its options, and bad ones refused with exit 2 before serving."""

from __future__ import annotations

import socket

from typer.testing import CliRunner

from ctgraph.cli import app


def test_help_names_the_options() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in (
        "--host",
        "--port",
        "--store",
        "--endpoint",
        "--time-limit",
        "--cors",
    ):
        assert option in result.output
    assert "127.0.0.1" in result.output  # loopback unless told otherwise


def test_bad_limits_exit_2() -> None:
    result = CliRunner().invoke(app, ["serve", "--time-limit", "0"])
    assert result.exit_code == 2
    assert "--time-limit and --row-cap must be positive" in result.output


def test_endpoint_and_store_together_exit_2(tmp_path) -> None:  # noqa: ANN001
    result = CliRunner().invoke(
        app,
        ["serve", "--endpoint", "http://127.0.0.1:9/query", "--store", str(tmp_path)],
    )
    assert result.exit_code == 2
    assert "leave out --engine and --store" in result.output


def test_port_in_use_exits_2(built_trig) -> None:  # noqa: ANN001
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            app, ["serve", "--port", str(port), "--store", str(built_trig)]
        )
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
