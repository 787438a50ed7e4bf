"""``python -m mirror``: serve until SIGTERM, print the manifest."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request

from mirror import catalog


def test_serve_writes_the_port_answers_and_stops_on_sigterm(tmp_path):
    port_file = tmp_path / "port"
    proc = subprocess.Popen([sys.executable, "-m", "mirror", "serve", "--port-file", str(port_file),
                             "--fault", "^/ru/feed/=503-burst:1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith(":" + port_file.read_text().strip())
        with urllib.request.urlopen(url + "/__mirror__/health", timeout=5) as resp:
            health = json.load(resp)
        assert health["faults"] == {"^/ru/feed/": "503-burst:1"}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_manifest_command_prints_the_catalog():
    out = subprocess.run([sys.executable, "-m", "mirror", "manifest"], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == json.loads(catalog.manifest_json())
