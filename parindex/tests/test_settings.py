"""Production settings: deploy checks pass, secrets come from the environment, headers are set."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_django(args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        # These runs use the default SQLite whatever database the suite itself runs on.
        if k
        not in (
            "SECRET_KEY",
            "DEBUG",
            "HTTPS",
            "STATIC_MANIFEST",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DATABASE_URL",
        )
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "parindex.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY="a" * 20 + "-production-secret-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="cchc.hanoi.gov.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_a_secret_left_at_the_example_value():
    example = (ROOT / "deploy" / "parindex.env.example").read_text()
    placeholder = next(
        line.split("=", 1)[1] for line in example.splitlines() if line.startswith("SECRET_KEY=")
    )
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY="a" * 20 + "-production-secret-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="cchc.hanoi.gov.vn",
        SURVEY_HASH_KEY=placeholder,
    )
    assert result.returncode != 0
    assert "parindex.E001" in result.stderr and "SURVEY_HASH_KEY still holds" in result.stderr
    # The example leaves the keys that outlive SECRET_KEY empty rather than at a known value.
    assert "TWO_FACTOR_KEY=\n" in example and "SURVEY_HASH_KEY=\n" in example


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    result = run_django(["check"])
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_security_headers_on_every_page(client, db):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_language_is_vietnamese_whatever_the_browser_says(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "vi"
    assert '<html lang="vi">' in page.content.decode()


def test_language_switch_is_kept_in_a_cookie(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "en"


def test_a_visitors_language_does_not_stay_on_the_thread(client, db):
    from django.utils import translation

    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    client.get("/accounts/login/")
    assert translation.get_language() == "vi"


def test_a_fresh_clone_creates_its_data_folder(tmp_path):
    data_dir = tmp_path / "not-yet-there"
    result = run_django(["migrate", "--check"], DEBUG="1", DATA_DIR=str(data_dir))
    assert data_dir.is_dir(), result.stderr
