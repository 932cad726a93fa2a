"""Review dates: the rules, "today" (SOURCE_DATE_EPOCH, any time zone), `booklet check`
and the build enforcing them, and the review lines on every edition."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from lxml import etree

from booklet.build.cache import BuildCache
from booklet.build.pipeline import build
from booklet.cli import main
from booklet.errors import BookletError
from booklet.options import BuildOptions, source_date
from booklet.render.html import Renderer
from booklet.source.loader import load_booklet
from booklet.source.review import add_months, next_change

from ..helpers import booklet_md
from ..pdfcheck import page_texts, reader

XHTML = {"x": "http://www.w3.org/1999/xhtml"}
#: 2026-03-01T12:00:00Z
MARCH_1 = 1_772_366_400


def on(day: str) -> BuildOptions:
    """Options whose build time is noon (UTC) on `day`."""
    return BuildOptions(build_time=datetime.fromisoformat(day + "T12:00:00+00:00"))


def reviewed(*lines: str) -> str:
    return booklet_md("\n".join(("title: T", *lines)))


# The rules

@pytest.mark.parametrize("start, months, due", [
    ("2023-01-10", 36, "2026-01-10"),
    ("2024-01-31", 1, "2024-02-29"),   # kept within the month
    ("2024-02-29", 12, "2025-02-28"),
    ("2025-11-30", 18, "2027-05-30"),
])
def test_months_are_added_within_the_month(start, months, due):
    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(due)


@pytest.mark.parametrize("front, due", [
    ("reviewed: 2024-05-01", "2027-05-01"),                     # three years by default
    ("review_date: 2024-05-01", "2027-05-01"),                  # the older name
    ("reviewed: 2024-05-01\nreview_every: 2y", "2026-05-01"),
    ("reviewed: 2024-05-01\nreview_every: 18m", "2025-11-01"),
    ("reviewed: 2024-05-01\nreview_every: 1y6m", "2025-11-01"),
    ("reviewed: 2024-05-01\nreview_due: 2024-12-24", "2024-12-24"),
    ("reviewed_by: Dr Ana Ruiz\nreview_due: 2024-12-24", "2024-12-24"),
])
def test_the_due_date(tmp_project, front, due):
    root = tmp_project({"content/x/booklet.md": reviewed(front)})
    review = load_booklet(root / "content/x", on("2024-06-01")).review
    assert review.due == date.fromisoformat(due)


def test_booklet_toml_sets_the_default_and_front_matter_wins(tmp_project):
    from booklet.source.config import load_config

    root = tmp_project({"booklet.toml": 'review_every = "1y"\n',
                        "content/x/booklet.md": reviewed("reviewed: 2024-05-01"),
                        "content/y/booklet.md": reviewed("reviewed: 2024-05-01",
                                                         "review_every: 2y")})
    config = load_config(root / "booklet.toml")
    dues = [load_booklet(root / "content" / name, on("2024-06-01"), config).review.due
            for name in ("x", "y")]
    assert dues == [date(2025, 5, 1), date(2026, 5, 1)]


def test_no_review_fields_no_review(tmp_project):
    root = tmp_project({"content/x/booklet.md": booklet_md()})
    assert load_booklet(root / "content/x").review is None


@pytest.mark.parametrize("front, message", [
    ("reviewed: 2024-05-01\nreview_date: 2024-05-01",
     "content/x/booklet.md:4: 'review_date' is the older name of 'reviewed': give one of them"),
    ("reviewed: 2024-05-01\nreview_every: 2y\nreview_due: 2025-01-01",
     "content/x/booklet.md:4: give 'review_every' or 'review_due', not both"),
    ("review_every: 2y",
     "content/x/booklet.md:3: 'review_every' needs 'reviewed': the day of the last review"),
    ("reviewed: 2024-05-01\nreview_every: soon",
     "content/x/booklet.md:4: 'review_every' must be a period such as '3y' or '18m', not "
     "'soon'"),
    ("reviewed: 2024-05-01\nreview_every: 0m",
     "content/x/booklet.md:4: 'review_every' must be a period such as '3y' or '18m', not "
     "'0m'"),
])
def test_review_fields_that_contradict_each_other(tmp_project, front, message):
    root = tmp_project({"content/x/booklet.md": reviewed(front)})
    with pytest.raises(BookletError) as error:
        load_booklet(root / "content/x")
    assert str(error.value) == message


def test_review_every_in_booklet_toml_is_validated(tmp_project, capsys):
    tmp_project({"booklet.toml": 'review_every = "often"\n',
                 "content/x/booklet.md": booklet_md()})
    assert main(["check"]) == 1
    assert capsys.readouterr().err == ("booklet.toml:1: 'review_every' must be a period such "
                                       "as '3y' or '18m', not 'often'\n"
                                       "failed: booklet.toml\n")


# "Today"

def test_today_is_the_utc_date_of_the_build_time():
    late_in_oregon = datetime(2026, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-8)))
    assert BuildOptions(build_time=late_in_oregon).today == date(2026, 3, 2)
    assert BuildOptions(build_time=datetime(2026, 3, 1, 23, 30)).today == date(2026, 3, 1)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Adak", "UTC"])
def test_today_follows_source_date_epoch_in_any_time_zone(monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert BuildOptions(build_time=source_date({"SOURCE_DATE_EPOCH": str(MARCH_1)}))\
            .today == date(2026, 3, 1)
        # 23:59:59 UTC on 1 March is 1 March everywhere the build runs.
        late = source_date({"SOURCE_DATE_EPOCH": str(MARCH_1 + 12 * 3600 - 1)})
        assert BuildOptions(build_time=late).today == date(2026, 3, 1)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_check_measures_against_source_date_epoch(tmp_project, capsys, monkeypatch):
    tmp_project({"content/x/booklet.md": reviewed("reviewed: 2023-03-01",
                                                  "reviewed_by: Dr Ana Ruiz")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MARCH_1))  # due that very day
    assert main(["check"]) == 0
    assert capsys.readouterr().err == ("content/x/booklet.md:3: warning: review due "
                                       "2026-03-01, today (reviewed 2023-03-01 by Dr Ana "
                                       "Ruiz)\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MARCH_1 + 86_400))
    assert main(["check"]) == 1
    assert capsys.readouterr().err == ("content/x/booklet.md:3: review overdue since "
                                       "2026-03-01 (reviewed 2023-03-01 by Dr Ana Ruiz)\n"
                                       "failed: x\n")


# booklet check

def test_check_warns_within_sixty_days(tmp_project, capsys, monkeypatch):
    tmp_project({"content/x/booklet.md": reviewed("reviewed: 2023-04-30")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MARCH_1))
    assert main(["check"]) == 0
    assert capsys.readouterr().err == ("content/x/booklet.md:3: warning: review due "
                                       "2026-04-30, in 60 days (reviewed 2023-04-30)\n")
    assert main(["check", "--strict"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/x/booklet.md:3: review due 2026-04-30, in 60 days (reviewed 2023-04-30)",
        "failed: x"]


def test_check_is_quiet_before_sixty_days(tmp_project, capsys, monkeypatch):
    tmp_project({"content/x/booklet.md": reviewed("reviewed: 2023-05-01")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MARCH_1))
    assert main(["check", "--strict"]) == 0
    assert capsys.readouterr().err == ""


def test_an_explicit_due_date_is_reported_at_its_line(tmp_project, capsys, monkeypatch):
    tmp_project({"content/x/booklet.md": reviewed("reviewed_by: Dr Ana Ruiz",
                                                  "review_due: 2026-02-01")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MARCH_1))
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/x/booklet.md:4: review overdue since 2026-02-01 (by Dr Ana Ruiz)")


def test_allow_overdue_makes_it_a_warning(tmp_project, capsys, monkeypatch):
    tmp_project({"content/x/booklet.md": reviewed("review_date: 2020-01-01")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MARCH_1))
    assert main(["check", "--allow-overdue"]) == 0
    assert capsys.readouterr().err == ("content/x/booklet.md:3: warning: review overdue "
                                       "since 2023-01-01 (reviewed 2020-01-01)\n")


# The build

def test_build_fails_an_overdue_booklet_and_builds_the_others(tmp_project, capsys,
                                                               monkeypatch):
    root = tmp_project({"content/late/booklet.md": reviewed("reviewed: 2020-01-01",
                                                            "reviewed_by: Dr Ana Ruiz"),
                        "content/fine/booklet.md": booklet_md()})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MARCH_1))
    assert main(["build", "--format", "epub", "--jobs", "1"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == ["content/late/booklet.md:3: review overdue since 2023-01-01 "
                                "(reviewed 2020-01-01 by Dr Ana Ruiz)", "failed: late"]
    assert "built fine: dist/fine.epub" in out
    assert not (root / "dist/late.epub").exists()


def test_allow_overdue_builds_it_marked_on_the_back_cover(tmp_project):
    root = tmp_project({"content/late/booklet.md": reviewed("reviewed: 2020-01-01",
                                                            "reviewed_by: Dr Ana Ruiz")})
    options = BuildOptions(out=root / "dist", formats=("pdf",), allow_overdue=True,
                           build_time=datetime.fromtimestamp(MARCH_1, tz=UTC))
    [outcome] = build([root / "content/late"], options)
    assert outcome.ok and outcome.warnings == [
        "content/late/booklet.md:3: review overdue since 2023-01-01 (reviewed 2020-01-01 by "
        "Dr Ana Ruiz)"]
    back = " ".join(page_texts(reader(outcome.written["pdf"]))[-1].split())
    assert "Review overdue: this handout was due for review on January 1, 2023. Ask for " \
        "the latest version." in back
    assert "Last reviewed January 1, 2020 by Dr Ana Ruiz. Next review due January 1, " \
        "2023." in back


def test_an_up_to_date_build_expires_when_a_review_falls_due(tmp_path):
    cache = BuildCache(tmp_path / "cache.json")
    output = tmp_path / "x.epub"
    output.write_bytes(b"epub")
    cache.record(tmp_path, "digest", {"epub": output}, {}, [], expires=date(2026, 3, 2))
    assert cache.fresh(tmp_path, "digest", ("epub",), date(2026, 3, 1)) is not None
    assert cache.fresh(tmp_path, "digest", ("epub",), date(2026, 3, 2)) is None


@pytest.mark.parametrize("today, expires", [
    ("2026-01-01", "2026-03-02"),   # before the warnings: when they begin
    ("2026-03-02", "2026-05-02"),   # warned: the day after it is due
    ("2026-05-02", None),           # overdue (built with --allow-overdue): no change ahead
])
def test_next_change(tmp_project, today, expires):
    root = tmp_project({"content/x/booklet.md": reviewed("review_due: 2026-05-01",
                                                         "reviewed_by: Dr Ana Ruiz")})
    review = load_booklet(root / "content/x", on(today)).review
    assert next_change(review) == (date.fromisoformat(expires) if expires else None)


# The review lines

@pytest.mark.parametrize("language, front, wanted", [
    ("en", "reviewed: 2026-01-10\nreviewed_by: Dr Sam Lee",
     "Last reviewed January 10, 2026 by Dr Sam Lee. Next review due January 10, 2029."),
    ("en", "reviewed: 2026-01-10\nreview_every: 2y",
     "Last reviewed January 10, 2026. Next review due January 10, 2028."),
    ("en", "reviewed_by: Dr Sam Lee\nreview_due: 2027-06-30",
     "Reviewed by Dr Sam Lee. Next review due June 30, 2027."),
    ("en", "review_due: 2027-06-30", "Next review due June 30, 2027."),
    ("en", "reviewed_by: Dr Sam Lee", "Reviewed by Dr Sam Lee."),
    ("es", "reviewed: 2026-01-10\nreviewed_by: Dra. Ana Ruiz",
     "Última revisión: 10 de enero de 2026, por Dra. Ana Ruiz. "
     "Próxima revisión: 10 de enero de 2029."),
])
def test_review_line_in_print_and_ebook(tmp_project, language, front, wanted):
    root = tmp_project({"content/x/booklet.md": reviewed(f"language: {language}", front)})
    booklet = load_booklet(root / "content/x", on("2026-02-01"))
    renderer = Renderer()
    print_html = etree.HTML(renderer.print_html(booklet, on("2026-02-01")))
    assert print_html.xpath("string(//*[@id='back-cover']//p[@class='review-line'])") == wanted
    colophon = next(d for d in renderer.ebook_documents(booklet, on("2026-02-01"))
                    if d.file_name == "colophon.xhtml")
    tree = etree.fromstring(colophon.xhtml.encode())
    assert tree.xpath("string(//x:p[@class='review-line'])", namespaces=XHTML) == wanted
    assert not tree.xpath("//x:p[@class='review-overdue']", namespaces=XHTML)


def test_overdue_notice_in_the_ebook(tmp_project):
    root = tmp_project({"content/x/booklet.md": reviewed("language: es",
                                                         "reviewed: 2020-01-10")})
    options = BuildOptions(build_time=datetime(2026, 2, 1, tzinfo=UTC), allow_overdue=True)
    colophon = next(d for d in Renderer().ebook_documents(
        load_booklet(root / "content/x", options), options) if d.file_name == "colophon.xhtml")
    tree = etree.fromstring(colophon.xhtml.encode())
    assert tree.xpath("string(//x:p[@class='review-overdue'])", namespaces=XHTML) == (
        "Revisión vencida: este folleto debía revisarse el 10 de enero de 2023. Pide la "
        "versión más reciente.")


def test_source_date_epoch_is_read_when_options_are_made(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MARCH_1))
    assert BuildOptions().today == date(2026, 3, 1)
