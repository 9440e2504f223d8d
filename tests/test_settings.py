"""Production settings, loaded in a fresh interpreter as Lambda would load them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "PETTUBE_AWS": "aws",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-settings-tests-0123456789",
    "DJANGO_ALLOWED_HOSTS": "pettube.example.com",
    "DATABASE_URL": "sqlite:////tmp/pettube-settings-test.sqlite3",
    "GOOGLE_OAUTH2_KEY": "client-id.apps.googleusercontent.com",
    "GOOGLE_OAUTH2_SECRET": "client-secret",
}


def run_django(code: str, **overrides) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("PETTUBE_", "DJANGO_", "AWS_"))}
    environment |= {"DJANGO_SETTINGS_MODULE": "pettube.settings"} | PRODUCTION
    environment |= {key: value for key, value in overrides.items() if value is not None}
    for key in [key for key, value in overrides.items() if value is None]:
        environment.pop(key, None)
    script = f"import django; django.setup()\n{code}"
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "GOOGLE_OAUTH2_SECRET"])
def test_production_fails_fast_naming_the_missing_variable(missing):
    result = run_django("", **{missing: None})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("hosts", "url", "expected"),
    [
        ("pettube.example.com", None, "https://pettube.example.com"),  # the host the site answers on
        (".execute-api.us-east-1.amazonaws.com", None, ""),  # a wildcard names no site: emails wait
        (".execute-api.us-east-1.amazonaws.com", "https://pets.example.org/", "https://pets.example.org"),
    ],
)
def test_emails_link_to_the_site_production_serves_never_to_a_local_address(hosts, url, expected):
    result = run_django("from django.conf import settings; print(repr(settings.PETTUBE_SITE_URL))",
                        DJANGO_ALLOWED_HOSTS=hosts, PETTUBE_SITE_URL=url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(expected)


def test_production_has_no_dev_login_and_secure_cookies():
    result = run_django(
        "from django.conf import settings; from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/accounts/dev-login/'); print('dev-login exists')\n"
        "except Resolver404:\n    print('no dev-login')\n"
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,"
        " settings.SECURE_HSTS_SECONDS >= 31536000, settings.SECURE_SSL_REDIRECT, settings.DEBUG)"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["no dev-login", "True True True True True False"]


def test_deploy_checks_are_clean_under_production_settings():
    result = run_django(
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )

    assert result.returncode == 0, result.stderr


ROLE_HOST = {name: None for name in PRODUCTION}  # a host whose AWS credentials come from its role


def test_without_pettube_aws_a_host_is_production_and_fails_fast():
    result = run_django("", **ROLE_HOST)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY must be set when PETTUBE_AWS=aws (the default)" in result.stderr


def test_without_pettube_aws_but_with_the_secrets_a_host_runs_production_settings():
    result = run_django(
        "from django.conf import settings\n"
        "print(settings.PETTUBE_AWS, settings.DEBUG, settings.PETTUBE_DEV_LOGIN, settings.SESSION_COOKIE_SECURE,"
        " settings.SECURE_HSTS_SECONDS > 0)",
        PETTUBE_AWS=None,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["aws", "False", "False", "True", "True"]


def test_local_mode_is_asked_for_by_runserver_not_by_other_commands():
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("PETTUBE_", "DJANGO_", "AWS_"))}
    check = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=environment,
                           capture_output=True, text=True, timeout=60)
    runserver = subprocess.run([sys.executable, "manage.py", "runserver", "--help"], cwd=ROOT, env=environment,
                               capture_output=True, text=True, timeout=60)

    assert check.returncode != 0 and "DJANGO_SECRET_KEY must be set" in check.stderr
    assert runserver.returncode == 0, runserver.stderr  # settings loaded: local, no secret needed
    assert "Starts the development server" in runserver.stdout


@pytest.mark.parametrize("missing", ["PETTUBE_CLOUDFRONT_KEY_ID", "PETTUBE_CLOUDFRONT_PRIVATE_KEY"])
def test_a_media_domain_in_production_needs_the_cloudfront_key_pair(missing):
    key_pair = {"PETTUBE_CLOUDFRONT_KEY_ID": "K2JCJMDEHXQW5F", "PETTUBE_CLOUDFRONT_PRIVATE_KEY": "a PEM"}
    result = run_django("", PETTUBE_MEDIA_DOMAIN="media.pettube.example.com", **key_pair | {missing: None})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr
    assert run_django("", PETTUBE_MEDIA_DOMAIN="media.pettube.example.com", **key_pair).returncode == 0
    assert run_django("").returncode == 0  # no media domain: no key needed
