"""A member of the public opens the open data page in a real browser and downloads the
year's catalog of major administrative decisions as XLSX: the file opens in a spreadsheet
library and holds the published items, never the one withheld by law."""
import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.i18n.public_site import (
    PUBLISHED_ITEM,
    TRAVEL_TO,
    WITHDRAWN_ITEM,
    WITHHELD_ITEM,
    YEAR,
    build_public_site,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    with time_machine.travel(TRAVEL_TO, tick=True):
        yield build_public_site()


def rows_of(path) -> list[dict]:
    sheet = load_workbook(path, read_only=True).worksheets[0]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_public_downloads_the_years_catalog_as_xlsx_from_the_open_data_page(page, live_server, site, tmp_path):
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="开放数据").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("开放数据")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"下载湖州市人民政府{YEAR}年度目录（XLSX）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    rows = rows_of(saved)
    assert {row["事项名称"]: row["状态"] for row in rows} == {PUBLISHED_ITEM: "列入目录", WITHDRAWN_ITEM: "已调出"}
    every_cell = " ".join(str(value) for row in rows for value in row.values())
    assert WITHHELD_ITEM not in every_cell and "涉及国家秘密" not in every_cell


def test_an_english_reader_finds_the_same_download_by_its_english_name(page, live_server, site, tmp_path):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/open-data/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Download the {YEAR} catalog of 湖州市人民政府 (XLSX)").click()
    saved = tmp_path / "catalog.xlsx"
    download_info.value.save_as(saved)
    # the spreadsheet speaks the reader's language; the content stays as published
    names = [row["Item name"] for row in rows_of(saved)]
    assert PUBLISHED_ITEM in names and WITHHELD_ITEM not in names
