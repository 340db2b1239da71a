"""Without Chromium the browser tests skip on a developer machine and fail in CI."""

from __future__ import annotations

import pytest

import browser


class _NoLaunch:
    class chromium:  # noqa: N801 - mimics playwright.chromium
        @staticmethod
        def launch(**_):
            raise AssertionError("must not launch without a browser")


def test_missing_chromium_skips_with_install_hint(monkeypatch):
    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium-headless-shell"):
        browser.launch_browser(_NoLaunch)


def test_missing_chromium_fails_under_ci(monkeypatch):
    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must install it"):
        browser.launch_browser(_NoLaunch)
