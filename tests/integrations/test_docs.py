"""/docs and /redoc work offline: every script and style they load is served here."""

from __future__ import annotations

import re

import pytest

URL = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_reference_pages_load_only_local_assets(anon, page: str) -> None:
    r = await anon.get(page)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "/api/v1/openapi.json" in html
    assert "http://" not in html, "no CDN or remote URL"
    assert "https://" not in html, "no CDN or remote URL"
    urls = URL.findall(html)
    assert any(u.endswith(".js") for u in urls)
    for url in urls:
        assert url.startswith("/"), url
        asset = await anon.get(url)
        assert asset.status_code == 200, url
        # the file itself, not the SPA's index.html fallback
        kind = asset.headers["content-type"]
        expected = {".js": "javascript", ".css": "text/css", ".png": "image/", ".svg": "image/"}
        assert expected[url[url.rindex(".") :]] in kind, (url, kind)
        assert len(asset.content) > 10_000 or not url.endswith(".js"), url
    assert (await anon.get("/api/v1/openapi.json")).status_code == 200
