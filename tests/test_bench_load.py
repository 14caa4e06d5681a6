"""bench/load.py's viewer: a Streamlit websocket client that sees the map page drawn (or says
why not), its figures, and the seeded operation it opens."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from geo.operation import load_operation
from geo.plans import Plans
from tests.app_process import free_port
from tests.conftest import ROOT


def _bench_load():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = _bench_load()


def _run(coroutine):
    """Run a coroutine to its end in a thread of its own (Playwright's fixtures may hold
    this thread's event loop when the browser tests ran first)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def small_app(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Path, tuple[str, str]]]:
    """The app on loopback with local sign-in, over a small operation of the benchmark's
    shape (GeoPackage), and the viewer's name and password."""
    folder = tmp_path_factory.mktemp("load")
    workspace = folder / "workspace"
    operation = load.write_operation(workspace / load.OPERATION, tps=300, posts=20)
    env = {**os.environ, "POSKO_WORKSPACE": str(workspace), "POSKO_SIGN_IN": "local"}
    env.pop("POSKO_DATABASE_URL", None)
    credentials = load.add_viewer(env)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POSKO_WORKSPACE", str(workspace))
        patch.delenv("POSKO_DATABASE_URL", raising=False)
        load.seed_store(operation)
    server = load.start_server(env, folder / "app.log")
    try:
        yield server, operation, credentials
    finally:
        load.stop_server(server)


def test_seeded_operation_has_the_sites_and_a_current_plan(small_app) -> None:
    _, folder, _ = small_app
    operation = load_operation(folder)
    kinds = operation.sites["kind"].value_counts()
    assert kinds["polling_station"] == 300
    assert kinds["police_post"] == 20
    current = Plans.for_operation(operation).current()
    assert current is not None and current.name == "Rencana A"
    assert operation.plan is not None and operation.plan.plan_id == current.plan_id


def test_the_app_is_started_as_posko_serve_starts_it(small_app) -> None:
    server, _, _ = small_app
    command = Path(f"/proc/{server.process.pid}/cmdline").read_bytes().split(b"\0")
    assert command[1:4] == [b"-m", b"posko_launch", b"run"]
    assert b"--runner.postScriptGC" in command  # posko serve's options


def test_signed_in_viewer_sees_the_map_drawn(small_app) -> None:
    server, _, credentials = small_app
    visit = _run(load.open_map(server.url, credentials=credentials))
    assert visit.error == ""
    assert visit.sign_in_s is not None
    assert visit.seconds is not None and visit.seconds > 0
    # the accepted sign-in comes after the submission and before the drawn map
    assert visit.after_sign_in_s is not None and 0 < visit.after_sign_in_s < visit.seconds
    assert visit.messages > 10 and visit.received_bytes > 10_000


def test_viewer_with_a_wrong_password_sees_no_map(small_app) -> None:
    server, _, (name, _) = small_app
    visit = _run(load.open_map(server.url, credentials=(name, "wrong-password-123"), timeout_s=60))
    assert visit.seconds is None and visit.after_sign_in_s is None  # refused: no rerun
    assert visit.error


def _element_msg(**fill) -> load.ForwardMsg:
    msg = load.ForwardMsg()
    element = msg.delta.new_element
    for path, value in fill.items():
        target = element
        *parents, leaf = path.split("__")
        for name in parents:
            target = getattr(target, name)
        setattr(target, leaf, value)
    return msg


def test_run_notes_the_map_errors_and_the_end() -> None:
    run = load._Run()
    load._take(_element_msg(component_instance__component_name="streamlit_folium.st_folium"), run)
    load._take(
        _element_msg(component_instance__id="x", component_instance__component_name="other"), run
    )
    assert run.map_id == "" and run.map_args == ""
    mapped = _element_msg(
        component_instance__component_name="streamlit_folium.st_folium",
        component_instance__id="map-1",
    )
    load._take(mapped, run)
    assert run.map_id == "map-1"
    load._take(_element_msg(alert__body="Galat: boom", alert__format=1), run)
    load._take(_element_msg(alert__body="just a note", alert__format=3), run)
    load._take(_element_msg(exception__type="KeyError", exception__message="k"), run)
    assert run.errors == ["error: Galat: boom", "exception: KeyError: k"]
    assert run.status == ""
    finished = load.ForwardMsg()
    finished.script_finished = load.ForwardMsg.FINISHED_SUCCESSFULLY
    load._take(finished, run)
    assert run.status == "FINISHED_SUCCESSFULLY"


def test_viewer_fails_on_a_closed_port() -> None:
    visit = _run(load.open_map(f"http://127.0.0.1:{free_port()}", timeout_s=5))
    assert visit.seconds is None
    assert visit.error


def test_percentile_and_summary() -> None:
    assert load._percentile([], 0.95) is None
    values = [float(v) for v in range(1, 21)]
    assert load._percentile(values, 0.5) == 10.0
    assert load._percentile(values, 0.95) == 19.0
    visits = [load.Visit(process=0, seconds=s, after_sign_in_s=s - 0.5) for s in (1.0, 2.0, 3.0)]
    visits.append(load.Visit(process=1, error="error: boom"))
    figures = load.summary(visits, processes=2, wall_s=4.0, rss_per_session=3 * 2**20)
    assert figures["sessions"] == 4
    assert figures["errors"] == 1
    assert figures["first_errors"] == ["error: boom"]
    assert figures["p50_s"] == 2.0
    assert (figures["after_sign_in_p50_s"], figures["after_sign_in_max_s"]) == (1.5, 2.5)
    assert figures["rss_per_session_mib"] == 3.0
    assert figures["visits_per_s"] == 0.75


def test_argon2_figures_name_both_parameter_sets(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POSKO_SETTINGS", str(tmp_path / "posko.toml"))
    (tmp_path / "posko.toml").write_text("[sign_in]\nargon2_memory_kib = 8192\n", "utf-8")
    figures = load.argon2_figures(repeats=1)
    assert figures["params"] == {"m_kib": 8192, "t": 2, "p": 1}
    assert figures["default_params"] == {"m_kib": 65536, "t": 3, "p": 4}
    for name in ("verify_ms", "default_verify_ms", "verify_cpu_ms", "default_verify_cpu_ms"):
        assert figures[name] > 0
