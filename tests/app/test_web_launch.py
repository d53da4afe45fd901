"""`app.launch` with a login, and `python app.py` starting a real server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from gradio_client import Client

from tests.app.conftest import REPO, free_port
from tests.app.corpus import QUESTION_EN

pytestmark = pytest.mark.slow


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_login_required_when_auth_is_set(web_bot, tmp_path):
    import app

    users = tmp_path / "users.txt"
    users.write_text("ana:open-sesame\n")
    demo = app.build_app(web_bot)
    port = free_port()
    app.launch(demo, "127.0.0.1", port, auth=str(users), block=False)
    url = f"http://127.0.0.1:{port}/"
    try:
        assert get(url + "config") == 401
        with pytest.raises(Exception):  # noqa: B017  (gradio_client raises different errors per version)
            Client(url, verbose=False)
        c = Client(url, auth=("ana", "open-sesame"), verbose=False)
        _, chat, _ = c.predict(QUESTION_EN, "auto", [], [], "", "", "extractive", api_name="/ask")
        assert "src-t1-1" in str(chat)
    finally:
        demo.close()


def test_python_app_py_serves(web_bot, tmp_path):
    port = free_port()
    env = {**os.environ, "NEWSBOT_AUTH": ""}
    store = str(web_bot.settings.store_dir)
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port), "--store", store],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"app.py exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                if get(f"http://127.0.0.1:{port}/") == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("app.py did not start within 90 s")
        _, _, sources = Client(f"http://127.0.0.1:{port}/", verbose=False).predict(
            QUESTION_EN, "auto", [], [], "", "", "extractive", api_name="/ask"
        )
        assert "almendro" in sources
    finally:
        proc.terminate()
        proc.wait(timeout=30)
