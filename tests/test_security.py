"""Who may do what on every endpoint, token revocation, throttling, and hostile input."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from ingest.models import SourceDocument
from tests.factories import ActualFactory, SourceDocumentFactory, TargetFactory, rd_expenditure
from tracker.api.serializers import BAD_CREDENTIALS
from tracker.models import Level
from tracker.rest.permissions import NO_ROLE, ROLE_TOO_LOW
from tracker.services import jurisdiction_create
from tracker.webhooks.services import webhook_subscription_create

API = "/api/v1"
ROLES = ["anonymous", "nobody", "reader", "editor", "admin"]
RANK = {"anonymous": 0, "nobody": 0, "reader": 1, "editor": 2, "admin": 3}
WRITE_METHODS = ("post", "put", "patch", "delete")

# Every named route under /api/v1/: who may read it and who may write it (a role name),
# or "everyone". A route missing here fails the matrix test, so a new endpoint gets a rule.
ROUTE_RULES: dict[str, tuple[str, str | None]] = {
    "health": ("everyone", None),
    "schema": ("everyone", None),
    "swagger-ui": ("everyone", None),
    "redoc": ("everyone", None),
    "auth-token": ("everyone", "everyone"),  # see the token tests for what each answers
    "api-root": ("reader", None),
    "jurisdiction-list": ("reader", "admin"),
    "jurisdiction-detail": ("reader", "admin"),
    "indicator-list": ("reader", "admin"),
    "indicator-detail": ("reader", "admin"),
    "target-list": ("reader", "editor"),
    "target-detail": ("reader", "editor"),
    "target-history": ("reader", None),
    "actual-list": ("reader", "editor"),
    "actual-detail": ("reader", "editor"),
    "actual-history": ("reader", None),
    "document-list": ("reader", "editor"),
    "document-detail": ("reader", None),
    "document-reextract": (None, "editor"),
    "attainment-list": ("reader", None),
    "attainment-summary": ("reader", None),
    "attainment-export-csv": ("reader", None),
    "attainment-export-xlsx": ("reader", None),
    "growth-gap-list": ("reader", None),
    "attainment-compare": ("reader", None),
    "attainment-trajectory": ("reader", None),
    "attainment-rollups": ("reader", None),
    # Subscriptions name other systems' URLs: admins only, to read as to write.
    "webhook-list": ("admin", "admin"),
    "webhook-detail": ("admin", "admin"),
    "webhook-deliveries": ("admin", None),
}


def _api_routes() -> list[tuple[str, list[str], list[str]]]:
    """(name, path kwargs, HTTP methods) of every named URL pattern under /api/v1/."""
    api = next(
        p for p in get_resolver().url_patterns if str(getattr(p, "pattern", "")) == "api/v1/"
    )
    routes: dict[str, tuple[list[str], list[str]]] = {}

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
                continue
            assert isinstance(pattern, URLPattern)
            kwargs = list(pattern.pattern.regex.groupindex)
            if "format" in kwargs or pattern.name is None:
                continue  # the router's ".json" twins of the same views
            callback = pattern.callback
            if getattr(callback, "actions", None):
                methods = [m for m in callback.actions if m in ("get", *WRITE_METHODS)]
            else:
                view = callback.view_class
                methods = [m for m in ("get", *WRITE_METHODS) if hasattr(view, m)]
            routes[pattern.name] = (kwargs, methods)

    walk(api.url_patterns)
    return sorted((name, kwargs, methods) for name, (kwargs, methods) in routes.items())


@pytest.fixture
def objects(catalogue, shaoxing):
    """One object of every kind, so every detail route resolves."""
    document = SourceDocumentFactory(jurisdiction=shaoxing)
    target = TargetFactory(jurisdiction=shaoxing, indicator=rd_expenditure())
    actual = ActualFactory(jurisdiction=shaoxing, indicator=rd_expenditure())
    return {
        "jurisdiction": shaoxing.pk,
        "indicator": "rd_expenditure",
        "target": target.pk,
        "actual": actual.pk,
        "document": document.pk,
        "webhook": webhook_subscription_create(
            url="http://127.0.0.1:1/hook", secret="s" * 16, events=["document.done"]
        ).pk,
    }


# The parameters an endpoint needs to answer at all.
QUERIES = {
    "attainment-compare": "?indicator=rd_expenditure&year=2017",
    "attainment-trajectory": "?jurisdiction=330600&indicator=rd_expenditure",
    "attainment-rollups": "?jurisdiction=330000",
}


def _url(name: str, kwargs: list[str], objects: dict) -> str:
    prefix = name.rsplit("-", 1)[0]
    if prefix == "growth-gap":
        prefix = "growth"
    values = {k: objects.get(prefix, objects.get(prefix.split("-")[0])) for k in kwargs}
    return reverse(name, kwargs=values) + QUERIES.get(name, "")


def _expected_refusal(role: str, needed: str | None) -> int | None:
    """The status a role gets where `needed` is required, or None when it is let through."""
    if needed == "everyone":
        return None
    if needed is None:
        return 405 if RANK[role] >= 1 else (401 if role == "anonymous" else 403)
    if RANK[role] >= RANK[needed]:
        return None
    return 401 if role == "anonymous" else 403


def test_every_api_route_has_a_rule():
    names = {name for name, _, _ in _api_routes()}
    assert names - set(ROUTE_RULES) == set(), "add the new endpoints to ROUTE_RULES"
    assert set(ROUTE_RULES) - names == set(), "ROUTE_RULES names endpoints that are gone"


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_every_api_route_and_method(role_clients, objects, role):
    client = role_clients[role]
    problems = []
    calls = [
        (name, kwargs, method)
        for name, kwargs, methods in _api_routes()
        for method in methods
        if name != "auth-token"
    ]
    # Deletes last, so the reads and writes before them find their objects.
    calls.sort(key=lambda call: call[2] == "delete")
    for name, kwargs, method in calls:
        url = _url(name, kwargs, objects)
        read_role, write_role = ROUTE_RULES[name]
        needed = read_role if method == "get" else write_role
        refusal = _expected_refusal(role, needed)
        response = getattr(client, method)(url, {} if method != "get" else None)
        status = response.status_code
        if refusal is not None:
            if status != refusal:
                problems.append(f"{method.upper()} {url}: {status}, expected {refusal}")
            elif refusal in (401, 403):
                expected_code = "not_authenticated" if refusal == 401 else "permission_denied"
                body = response.json() if response["Content-Type"] == "application/json" else {}
                if body.get("code") != expected_code:
                    problems.append(f"{method.upper()} {url}: {response.content[:80]!r}")
        elif method == "get" and status != 200:
            problems.append(f"GET {url}: {status}, expected 200")
        elif status in (401, 403) or status >= 500:
            problems.append(f"{method.upper()} {url}: {status}, expected to be let through")
    assert problems == []


@pytest.mark.parametrize("role", ROLES)
def test_html_pages_need_a_login_and_a_role(client, objects, shaoxing, role, request):
    users = {"nobody": "nobody", "reader": "reader", "editor": "editor", "admin": "admin_user"}
    if role != "anonymous":
        client.force_login(request.getfixturevalue(users[role]))
    pages = [
        "/reports/",
        f"/reports/{shaoxing.code}/2017/",
        f"/reports/quote/target/{objects['target']}/",
        f"/reports/quote/actual/{objects['actual']}/",
    ]
    for page in pages:
        response = client.get(page)
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith("/api-auth/login/")
        else:
            assert response.status_code == (403 if role == "nobody" else 200), page

    admin = client.get("/admin/")
    if role == "admin":
        assert admin.status_code == 200
    else:  # only staff may use admin; everyone else is sent to its login page
        assert admin.status_code == 302
        assert admin["Location"].startswith("/admin/login/")


# --- tokens ---------------------------------------------------------------------------------


def _token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_password_is_exchanged_for_a_working_token(reader, anon_client):
    response = anon_client.post(
        f"{API}/auth/token/", {"username": "auditor", "password": "pw-auditor"}
    )

    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=reader).key == key
    assert _token_client(key).get(f"{API}/jurisdictions/").status_code == 200
    again = anon_client.post(
        f"{API}/auth/token/", {"username": "auditor", "password": "pw-auditor"}
    )
    assert again.json()["token"] == key


@pytest.mark.parametrize(
    ("username", "password"), [("auditor", "wrong"), ("nosuchuser", "pw-auditor")]
)
def test_bad_credentials_get_no_token(reader, anon_client, username, password):
    response = anon_client.post(f"{API}/auth/token/", {"username": username, "password": password})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["message"] == BAD_CREDENTIALS
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(reader, anon_client):
    reader.is_active = False
    reader.save()

    response = anon_client.post(
        f"{API}/auth/token/", {"username": "auditor", "password": "pw-auditor"}
    )

    assert response.status_code == 400
    assert not Token.objects.exists()


def test_a_token_revoked_through_the_api_is_refused_next_time(reader_client, reader):
    assert reader_client.get(f"{API}/targets/").status_code == 200

    assert reader_client.delete(f"{API}/auth/token/").status_code == 204

    response = reader_client.get(f"{API}/targets/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert not Token.objects.filter(user=reader).exists()


def test_a_role_given_or_taken_counts_from_the_next_request_with_the_same_token(
    reader_client, reader, catalogue, shaoxing
):
    body = {
        "jurisdiction": shaoxing.pk, "indicator": "rd_expenditure", "value": "12700000000",
        "period_start": "2017-01", "period_end": "2017-12",
    }  # fmt: skip
    assert reader_client.post(f"{API}/targets/", body, format="json").status_code == 403
    editors = Group.objects.get_or_create(name="editor")[0]
    reader.groups.add(editors)  # in both groups: the higher role counts
    assert reader_client.post(f"{API}/targets/", body, format="json").status_code == 201
    reader.groups.clear()
    assert reader_client.get(f"{API}/targets/").status_code == 403


def test_an_auditors_refusal_names_the_role_needed_and_the_role_held(reader_client, shaoxing):
    response = reader_client.post(
        f"{API}/documents/", {"text": "报告"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 403
    detail = response.json()["message"]
    assert detail == str(ROLE_TOO_LOW).format(needed="editor", role="reader")
    assert "This action needs the editor role" in detail
    assert "no role" not in detail


def test_an_editors_refusal_to_change_the_catalogue_names_the_admin_role(editor_client):
    response = editor_client.post(
        f"{API}/indicators/", {"code": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 403
    assert response.json()["message"] == str(ROLE_TOO_LOW).format(needed="admin", role="editor")


def test_a_user_without_a_role_is_told_how_to_get_one(role_clients):
    response = role_clients["nobody"].get(f"{API}/targets/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json()["message"] == str(NO_ROLE).format(needed="reader")


def test_a_token_and_its_role_are_read_in_one_query(reader_client):
    with CaptureQueriesContext(connection) as queries:
        assert reader_client.get(f"{API}/indicators/?page_size=1").status_code == 200
    tables = [q["sql"] for q in queries.captured_queries]
    assert sum("authtoken_token" in sql for sql in tables) == 1
    assert not any("auth_user_groups" in sql and "authtoken_token" not in sql for sql in tables)


def test_an_unknown_token_is_refused(anon_client, reader):
    anon_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = anon_client.get(f"{API}/targets/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_the_token_of_a_deactivated_user_is_refused(reader, reader_client):
    assert reader_client.get(f"{API}/targets/").status_code == 200
    User.objects.filter(pk=reader.pk).update(is_active=False)

    response = reader_client.get(f"{API}/targets/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_each_token_gives_its_own_user_and_role(
    reader_client, editor_client, editor, catalogue, shaoxing
):
    # The token lookup is compiled once and run with each request's key.
    body = {
        "jurisdiction": shaoxing.pk, "indicator": "rd_expenditure", "value": "12700000000",
        "period_start": "2017-01", "period_end": "2017-12",
    }  # fmt: skip
    assert reader_client.post(f"{API}/targets/", body, format="json").status_code == 403
    response = editor_client.post(f"{API}/targets/", body, format="json")
    assert response.status_code == 201
    assert response.json()["provenance"]["entered_by"] == editor.username
    assert reader_client.post(f"{API}/targets/", body, format="json").status_code == 403


def test_revoking_needs_a_token(anon_client):
    response = anon_client.delete(f"{API}/auth/token/")
    assert response.status_code == 401


def test_a_token_deleted_in_admin_is_refused_next_time(client, admin_user, reader, reader_client):
    assert reader_client.get(f"{API}/targets/").status_code == 200
    client.force_login(admin_user)

    # The admin lists tokens by their user (DRF's TokenProxy).
    response = client.post(f"/admin/authtoken/tokenproxy/{reader.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Token.objects.filter(user=reader).exists()
    assert reader_client.get(f"{API}/targets/").status_code == 401


def test_a_replaced_token_stops_working(reader, reader_client):
    old_key = Token.objects.get(user=reader).key
    Token.objects.filter(user=reader).delete()
    new = Token.objects.create(user=reader)

    assert _token_client(old_key).get(f"{API}/targets/").status_code == 401
    assert _token_client(new.key).get(f"{API}/targets/").status_code == 200


# --- throttling -----------------------------------------------------------------------------


def test_password_guessing_is_throttled_with_429_and_retry_after(reader, anon_client, monkeypatch):
    # DRF copies the rates onto the class when imported; monkeypatch puts the class back.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min"})
    guesses = [
        anon_client.post(f"{API}/auth/token/", {"username": "auditor", "password": f"guess{n}"})
        for n in range(3)
    ]

    right = anon_client.post(
        f"{API}/auth/token/", {"username": "auditor", "password": "pw-auditor"}
    )

    assert [g.status_code for g in guesses] == [400, 400, 400]
    assert right.status_code == 429  # even the right password waits
    body = right.json()
    assert body["code"] == "throttled"
    assert "throttled" in body["message"].lower()
    assert body["fields"] == {}
    assert 0 < int(right["Retry-After"]) <= 60
    assert not Token.objects.exists()


# --- uploads --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "raw", "message"),
    [
        ("setup.exe", "application/x-msdownload", b"MZ\x90\x00\x03" + bytes(500), "Unsupported"),
        (
            # PDFs are read (their text layer); a truncated one says so.
            "scan.pdf",
            "application/pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(300),
            "PDF file cannot be read",
        ),
        (
            "renamed.txt",
            "text/plain",
            b"%PDF-1.7\n\x00\x01\x02" + bytes(range(256)) * 4,
            "not text",
        ),
    ],
    ids=["exe", "pdf", "pdf-renamed-txt"],
)
def test_binary_uploads_are_refused_with_a_clear_400(
    editor_client, shaoxing, name, content_type, raw, message
):
    upload = SimpleUploadedFile(name, raw, content_type)

    response = editor_client.post(f"{API}/documents/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert message.lower() in response.json()["message"].lower()
    assert not SourceDocument.objects.exists()


def test_a_text_over_the_size_limit_is_refused(editor_client, shaoxing, settings):
    settings.INGEST_MAX_UPLOAD_BYTES = 1000

    response = editor_client.post(f"{API}/documents/", {"text": "研发经费" * 200}, format="json")

    assert response.status_code == 400
    assert "the limit is 1,000 bytes" in response.json()["message"]
    assert not SourceDocument.objects.exists()


# --- hostile text on every output surface ---------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
QUOTE = f'=HYPERLINK("http://x","y") {SCRIPT}'
TITLE = "@SUM(A1) <img src=x onerror=alert(2)>"
NAME_EN = "-1+1 <b>bold</b>"
NAME_ZH = "+cmd|' /C calc'!A0 市"
TEXT = "\t=1+2\r=3+4 2017年全社会研发经费支出127亿元。"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MARKERS = ("HYPERLINK", "SUM(A1)", "-1+1", "+cmd", "=1+2")
RAW_MARKUP = (SCRIPT, "<img src=x", "<b>bold</b>")


@pytest.fixture
def hostile(catalogue, zhejiang):
    """A target whose quote, document title, text and jurisdiction names are hostile."""
    place = jurisdiction_create(
        name_zh=NAME_ZH, name_en=NAME_EN, code="330699", level=Level.PREFECTURE, parent=zhejiang
    )
    document = SourceDocumentFactory(jurisdiction=place, title=TITLE, text=TEXT)
    target = TargetFactory(
        jurisdiction=place, indicator=rd_expenditure(), source_document=document, quote=QUOTE
    )
    return target


def _assert_escaped(html: str, where: str) -> None:
    for markup in RAW_MARKUP:
        assert markup not in html, f"{where} shows {markup!r} unescaped"


def test_exports_neutralise_formulas(reader_client, hostile):
    csv_text = b"".join(
        reader_client.get(f"{API}/attainment/export.csv?as_of=2018-06-01").streaming_content
    ).decode("utf-8-sig")
    csv_cells = [cell for row in csv.reader(io.StringIO(csv_text)) for cell in row]
    workbook = load_workbook(
        io.BytesIO(reader_client.get(f"{API}/attainment/export.xlsx?as_of=2018-06-01").getvalue())
    )
    xlsx_cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]

    for name, cells in (("CSV", csv_cells), ("XLSX", [c.value for c in xlsx_cells])):
        hostile_cells = [c for c in cells if isinstance(c, str) and any(m in c for m in MARKERS)]
        assert len(hostile_cells) >= 3, f"{name} lost the hostile texts: {hostile_cells}"
        for cell in hostile_cells:
            assert not cell.startswith(FORMULA_STARTS), f"{name} cell {cell!r} is a formula"
    assert all(cell.data_type != "f" for cell in xlsx_cells)


def test_html_surfaces_escape_hostile_text(client, admin_user, hostile):
    client.force_login(admin_user)  # staff, so admin and every page are open
    pages = {
        "auditor page": "/reports/330699/2017/?as_of=2018-06-01",
        "quote page": f"/reports/quote/target/{hostile.pk}/",
        "admin target list": "/admin/tracker/target/",
        "admin target form": f"/admin/tracker/target/{hostile.pk}/change/",
        "admin document form": f"/admin/ingest/sourcedocument/{hostile.source_document_id}/change/",
        "admin jurisdiction list": "/admin/tracker/jurisdiction/",
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        _assert_escaped(response.content.decode(), where)

    quote_page = client.get(pages["quote page"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in quote_page


@pytest.mark.parametrize(
    "path", ["targets/{pk}/", "targets/", "attainment/", "documents/{doc}/", "jurisdictions/"]
)
def test_browsable_api_escapes_hostile_text(client, admin_user, hostile, path):
    client.force_login(admin_user)
    url = f"{API}/" + path.format(pk=hostile.pk, doc=hostile.source_document_id)

    response = client.get(url, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    _assert_escaped(html, url)


def test_json_api_returns_hostile_text_verbatim_as_data(reader_client, hostile):
    # JSON is data, not markup: the client decides how to show it; nothing is altered.
    body = reader_client.get(f"{API}/targets/{hostile.pk}/").json()
    assert body["provenance"]["quote"] == QUOTE
    assert body["jurisdiction"]["name_en"] == NAME_EN


def test_an_html_report_keeps_no_script_in_text_or_pages(editor_client, client, reader, shaoxing):
    markup = (
        "<html><head><script>alert('x')</script><style>p{}</style></head><body>"
        f"<p>绍兴市2017年科技工作总结</p><p>{SCRIPT.replace('<', '&lt;')}</p>"
        "<p>2017年全社会研发经费支出127亿元。</p></body></html>"
    )
    upload = SimpleUploadedFile("report.html", markup.encode(), "text/html")

    response = editor_client.post(
        f"{API}/documents/", {"file": upload, "jurisdiction": "330600"}, format="multipart"
    )

    assert response.status_code == 202
    document = SourceDocument.objects.get()
    assert "alert('x')" not in document.text and "p{}" not in document.text
    client.force_login(reader)
    for fact in [*document.targets.all(), *document.actuals.all()]:
        kind = fact._meta.model_name
        _assert_escaped(client.get(f"/reports/quote/{kind}/{fact.pk}/").content.decode(), kind)
