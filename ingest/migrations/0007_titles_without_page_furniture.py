"""Documents stored with page furniture as their title ("今天是:", "索引号: | …") get the
report's own title line, as documents received from now on do."""

from django.db import migrations

HEAD_LINES = 14


def retitle(apps, schema_editor):
    from ingest.extraction import infer_title, is_page_furniture

    SourceDocument = apps.get_model("ingest", "SourceDocument")
    for document in SourceDocument.objects.only("id", "title", "text").iterator(chunk_size=200):
        head = [line.strip(" \t\r\u3000") for line in document.text.splitlines()[:HEAD_LINES]]
        # Only a title that was taken from the text: a title someone gave is theirs.
        if document.title and document.title in head and is_page_furniture(document.title):
            title = infer_title(document.text)[:300]
            if title and title != document.title:
                SourceDocument.objects.filter(pk=document.pk).update(title=title)


class Migration(migrations.Migration):
    dependencies = [("ingest", "0006_document_progress")]

    operations = [migrations.RunPython(retitle, migrations.RunPython.noop, elidable=False)]
