"""The `attainment` management command prints the endpoint's rows."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.tracker import attainment_seed_data as seeds
from tests.tracker.attainment_support import evaluate


@pytest.fixture
def shaoxing_2017(catalogue, shaoxing):
    return seeds.enter_seed(seeds.SHAOXING)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("attainment", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_endpoint_rows(shaoxing_2017):
    body = json.loads(_run("--format", "json", "--as-of", "2017-03-01"))
    assert body["as_of"] == "2017-03-01"
    assert body["count"] == 17
    by_id = {row["target"]["id"]: row for row in body["results"]}
    for row in evaluate("2017-03-01"):
        assert json.loads(json.dumps(by_id[row["target"]["id"]], ensure_ascii=False)) == (
            json.loads(json.dumps(row, ensure_ascii=False, default=str))
        )


def test_filters(shaoxing_2017, wuhan):
    body = json.loads(
        _run("--format", "json", "--jurisdiction", "绍兴市", "--indicator", "rd_personnel")
    )
    assert {r["target"]["measure"] for r in body["results"]} == {"level", "yoy_growth"}
    assert json.loads(_run("--format", "json", "--year", "2016"))["count"] == 0
    assert json.loads(_run("--format", "json", "--jurisdiction", "420100"))["count"] == 0
    body = json.loads(_run("--format", "json", "--as-of", "2018-01-01", "--status", "no_data"))
    assert body["count"] == 17


def test_table_for_people(shaoxing_2017):
    text = _run("--as-of", "2017-03-01", "--indicator", "rd_personnel")
    lines = text.splitlines()
    assert lines[0].split()[:4] == ["id", "jurisdiction", "indicator", "measure"]
    assert any("绍兴市" in line and "≥38600" in line and "5.75" in line for line in lines)
    assert "inconsistent_growth_target" in text
    assert lines[-1] == "2 targets evaluated as of 2017-03-01."


def test_bad_filter_is_an_error(db):
    with pytest.raises(CommandError):
        _run("--indicator", "x" * 300, "--status", "great")
