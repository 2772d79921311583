"""What a page view costs the server: no full garbage collection after every script run, and the
compare page's data built once per data stamp, equal to what a fresh build gives and new as soon as
the data changes. The timings themselves are scripts/profile_views.py's and
scripts/bench_capacity.py's, never asserted here."""

from __future__ import annotations

import tomllib

from streamlit.testing.v1 import AppTest

from pci_metrics.base.paths import ROOT


def test_the_server_does_not_collect_all_garbage_after_every_script_run() -> None:
    """Streamlit's default walks every object of the server after every run (most of a page
    view's CPU); the project's configuration switches it off, and Streamlit reads it."""
    from streamlit import config

    with open(ROOT / ".streamlit" / "config.toml", "rb") as f:
        assert tomllib.load(f)["runner"]["postScriptGC"] is False
    AppTest.from_string("import streamlit as st\nst.write('x')").run()
    assert config.get_option("runner.postScriptGC") is False
