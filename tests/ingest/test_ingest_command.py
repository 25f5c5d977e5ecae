"""The bulk `ingest` command and the quick start's `setup_demo`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ingest.management.commands.ingest import EMPTY_CATALOGUE
from ingest.models import IngestStatus, SourceDocument
from tracker.attainment.models import Evaluation
from tracker.models import Actual, Jurisdiction, ReviewState, Target

# Transactional: the extraction is queued when the submission commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_ingest_reports_facts_per_document_and_accepts_them(
    catalogue, shaoxing, tmp_path, small_report
):
    path = tmp_path / "plan.txt"
    path.write_text(small_report, encoding="utf-8")

    out, _ = _run(str(path), "--accept")

    document = SourceDocument.objects.get()
    assert document.status == IngestStatus.DONE
    assert f"document {document.pk} done, 绍兴市" in out
    assert f"{Target.objects.count()} targets" in out
    assert not Target.objects.exclude(review_state=ReviewState.ACCEPTED).exists()
    assert Actual.objects.filter(review_state=ReviewState.ACCEPTED).exists()


def test_ingest_twice_recognises_the_known_document(catalogue, shaoxing, tmp_path, small_report):
    path = tmp_path / "plan.txt"
    path.write_text(small_report, encoding="utf-8")
    _run(str(path))
    counts = Target.objects.count(), Actual.objects.count()

    out, _ = _run(str(path))

    assert "(already stored)" in out
    assert (Target.objects.count(), Actual.objects.count()) == counts
    assert SourceDocument.objects.count() == 1


def test_ingest_reports_unreadable_files_and_fails(catalogue, shaoxing, tmp_path, small_report):
    good = tmp_path / "plan.txt"
    good.write_text(small_report, encoding="utf-8")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 16)

    with pytest.raises(CommandError, match="2 of 3 documents failed"):
        _run(str(good), str(binary), str(tmp_path / "missing.txt"))

    assert SourceDocument.objects.count() == 1


def test_ingest_rejects_a_bad_published_date(tmp_path):
    with pytest.raises(CommandError, match="not a date"):
        _run(str(tmp_path / "x.txt"), "--published", "2017-13-01")


def test_setup_demo_loads_everything_and_ingests_the_seed_reports(seed_reports):
    out = StringIO()

    call_command("setup_demo", stdout=out)

    assert Jurisdiction.objects.filter(code="330600", name_zh="绍兴市").exists()
    reports = SourceDocument.objects.filter(status=IngestStatus.DONE, source_url="")
    assert reports.count() == len(seed_reports)
    assert Target.objects.filter(review_state=ReviewState.ACCEPTED).count() > 20
    assert Actual.objects.filter(review_state=ReviewState.ACCEPTED).count() > 20
    # The published outcomes, each from its page: the first page shows met and missed targets.
    assert SourceDocument.objects.exclude(source_url="").count() == 2
    statuses = set(Evaluation.objects.values_list("status", flat=True))
    assert {"met", "missed"} <= statuses
    assert "admin    token" in out.getvalue()


def test_ingest_retries_a_known_failed_document_with_the_given_jurisdiction(
    catalogue, shaoxing, tmp_path
):
    path = tmp_path / "plan.txt"
    path.write_text("2018年主要目标\n力争全社会研发经费支出达到170亿元。\n", encoding="utf-8")
    with pytest.raises(CommandError):
        _run(str(path))
    assert SourceDocument.objects.get().status == IngestStatus.FAILED

    out, _ = _run(str(path), "--jurisdiction", "330600")

    document = SourceDocument.objects.get()
    assert document.status == IngestStatus.DONE
    assert document.jurisdiction == shaoxing
    assert "(already stored) done, 绍兴市" in out


def test_ingest_reads_pdf_and_word_and_refuses_a_scan(catalogue, shaoxing, tmp_path):
    from tests.ingest.documents import docx_report, pdf_with_text, scanned_pdf

    lines = ["2017年工作总结", "2017年,绍兴市新认定高新技术企业160家。"]
    (tmp_path / "a.pdf").write_bytes(pdf_with_text([lines]))
    (tmp_path / "b.docx").write_bytes(docx_report([lines[0], "2017年,绍兴市专利授权量6000件。"]))
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf())

    with pytest.raises(CommandError, match="1 of 3 documents failed"):
        _run(
            *(str(tmp_path / n) for n in ("a.pdf", "b.docx", "scan.pdf")),
            "--jurisdiction",
            "绍兴市",
        )

    assert SourceDocument.objects.count() == 2
    assert Actual.objects.filter(indicator__code="hitech_enterprises_new", value=160).exists()
    assert Actual.objects.filter(indicator__code="patent_grants", value=6000).exists()


def test_ingest_refuses_with_an_empty_catalogue_and_names_the_fix(shaoxing, tmp_path, small_report):
    path = tmp_path / "plan.txt"
    path.write_text(small_report, encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        _run(str(path))

    assert str(refused.value) == str(EMPTY_CATALOGUE)
    assert "load_catalogue" in str(refused.value)
    assert not SourceDocument.objects.exists()
