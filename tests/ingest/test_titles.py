"""Documents are titled by the report's own title line, not by the page around it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ingest.extraction import infer_title

REPORT = "绍兴市科技局2017年工作要点\n2017年,全市研发经费支出达到127亿元。\n"


@pytest.mark.parametrize(
    "furniture",
    [
        "今天是:",
        "今天是:2014年12月5日 星期五",
        "索引号: | 113306000025770653/2017-18407 | 公开方式: | 主动公开 |",
        "【字体：大 中 小】",
        "作者：办公室",
        "点击数：1234",
        "阅读次数：99",
        "责任编辑：张三",
        "主办单位：绍兴市科学技术局",
        "繁體",
        "无障碍",
    ],
)
def test_the_title_is_the_reports_own_line_below_the_page_furniture(furniture):
    assert infer_title(f"{furniture}\n{REPORT}") == "绍兴市科技局2017年工作要点"


def test_a_title_with_a_colon_inside_is_kept():
    title = "关于印发《绍兴市科技创新“十三五”规划》的通知：2016年"

    assert infer_title(f"{title}\n正文。\n") == title


BEFORE = [("ingest", "0006_document_progress")]
AFTER = [("ingest", "0007_titles_without_page_furniture")]


@pytest.fixture
def migrations_back_to_the_latest(transactional_db):
    """Whatever a test migrated to, the rest of the suite runs on the latest schema."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _model_at(executor: MigrationExecutor, state):
    return executor.loader.project_state(state).apps.get_model("ingest", "SourceDocument")


def test_migrating_retitles_documents_stored_with_page_furniture_as_their_title(
    migrations_back_to_the_latest,
):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = _model_at(executor, BEFORE)
    text = f"今天是:\n{REPORT}"
    furnished = old.objects.create(title="今天是:", text=text, sha256="a" * 64)
    given = old.objects.create(title="作者：办公室", text="另一篇。\n" + REPORT, sha256="b" * 64)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    new = _model_at(executor, AFTER)
    assert new.objects.get(pk=furnished.pk).title == "绍兴市科技局2017年工作要点"
    # Not a line of its text: a title someone gave, left as it is.
    assert new.objects.get(pk=given.pk).title == "作者：办公室"
