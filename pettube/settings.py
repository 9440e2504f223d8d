"""PetTube settings: one module, driven by environment variables (all listed in README.md).

PETTUBE_AWS chooses the world the app lives in:
- ``aws`` (the default): real AWS (or any endpoint in AWS_ENDPOINT_URL); production settings
  fail fast. Whatever the host, nothing falls back to development settings by itself.
- ``local``: the embedded AWS (moto) started by ``runserver``; SQLite; dev login. Only when
  asked for: ``manage.py runserver`` and the test suite set it, or the variable itself.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from pettube.csp import MEDIA_ORIGIN

BASE_DIR = Path(__file__).resolve().parent.parent
env = os.environ.get


def _flag(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PETTUBE_AWS = env("PETTUBE_AWS") or "aws"
if PETTUBE_AWS not in {"local", "aws"}:
    raise ImproperlyConfigured(f"PETTUBE_AWS must be 'local' or 'aws', not {PETTUBE_AWS!r}")
LOCAL_AWS = PETTUBE_AWS == "local"

DEBUG = _flag("DJANGO_DEBUG", default=LOCAL_AWS)
PRODUCTION = not LOCAL_AWS and not DEBUG


def _required(name: str) -> str:
    value = env(name, "")
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when PETTUBE_AWS=aws (the default) and DJANGO_DEBUG is off; "
            "for local development, use `make run` or set PETTUBE_AWS=local"
        )
    return value


def _setting(name: str, local_default: str) -> str:
    """A variable production requires (failing fast, naming it) and local development defaults."""
    return _required(name) if PRODUCTION else env(name) or local_default


SECRET_KEY = _setting("DJANGO_SECRET_KEY", "django-insecure-local-development-only-key-4f1c9a7e2b")
ALLOWED_HOSTS = _setting("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "pettube",  # before staticfiles: its runserver starts the embedded AWS
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "accounts.social.SocialAuthConfig",  # social_django, its strategy made on first use
    "accounts",
    "videos",
    "community",
    "notifications",
    "pets",
    "search",
    "sharing",
    "follows",
    "shorts",
    "playlists",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pettube.csp.ContentSecurityPolicyMiddleware",
    "social_django.middleware.SocialAuthExceptionMiddleware",
]

ROOT_URLCONF = "pettube.urls"
WSGI_APPLICATION = "pettube.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "pettube.context_processors.site",
                "notifications.context_processors.unseen",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        _setting("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, its driver loaded by the first request that runs SQL (pettube/postgresql).
    DATABASES["default"]["ENGINE"] = "pettube.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# --- AWS resources -------------------------------------------------------------------------
AWS_REGION = env("AWS_REGION") or env("AWS_DEFAULT_REGION") or "us-east-1"
PETTUBE_BUCKET = env("PETTUBE_BUCKET") or "pettube-media"
PETTUBE_TABLE = env("PETTUBE_TABLE") or "pettube-videos"
# The site's own origin, allowed by the bucket's CORS rule for browser uploads.
PETTUBE_SITE_ORIGINS = (env("PETTUBE_SITE_ORIGINS") or "http://127.0.0.1:8000,http://localhost:8000").split(",")

# --- Delivery through CloudFront (docs/DEPLOY.md, "Media through CloudFront") ---------------
# Empty (locally, and until `bootstrap_aws` made the distribution): viewers get presigned S3 URLs.
PETTUBE_MEDIA_DOMAIN = (env("PETTUBE_MEDIA_DOMAIN") or "").strip().lower().removeprefix("https://").rstrip("/")
if PETTUBE_MEDIA_DOMAIN and PRODUCTION:
    # A private video's owner plays it through signed cookies: the key pair is needed from the start.
    PETTUBE_CLOUDFRONT_KEY_ID = _required("PETTUBE_CLOUDFRONT_KEY_ID")
    PETTUBE_CLOUDFRONT_PRIVATE_KEY = _required("PETTUBE_CLOUDFRONT_PRIVATE_KEY")
else:
    PETTUBE_CLOUDFRONT_KEY_ID = env("PETTUBE_CLOUDFRONT_KEY_ID") or ""
    PETTUBE_CLOUDFRONT_PRIVATE_KEY = env("PETTUBE_CLOUDFRONT_PRIVATE_KEY") or ""
# For `bootstrap_aws` only: an ACM certificate (us-east-1) for PETTUBE_MEDIA_DOMAIN as the distribution's alias.
PETTUBE_MEDIA_CERTIFICATE_ARN = env("PETTUBE_MEDIA_CERTIFICATE_ARN") or ""

# --- Video limits --------------------------------------------------------------------------
PETTUBE_MAX_UPLOAD_BYTES = int(env("PETTUBE_MAX_UPLOAD_BYTES") or 2 * 1024**3)
PETTUBE_MAX_DURATION_SECONDS = int(env("PETTUBE_MAX_DURATION_SECONDS") or 15 * 60)
PETTUBE_MAX_SOURCE_PIXELS = int(env("PETTUBE_MAX_SOURCE_PIXELS") or 4096 * 2304)
PETTUBE_PROCESSING_TIMEOUT_SECONDS = int(env("PETTUBE_PROCESSING_TIMEOUT_SECONDS") or 20 * 60)
PETTUBE_UPLOAD_EXPIRY_HOURS = 24
# AV1 renditions added after a video is ready (videos/av1.py); "0" turns them off.
PETTUBE_AV1_RENDITIONS = (env("PETTUBE_AV1_RENDITIONS") or "1") != "0"
PETTUBE_UPLOADS_PER_HOUR = int(env("PETTUBE_UPLOADS_PER_HOUR") or 30)

# --- Community and notifications -----------------------------------------------------------
PETTUBE_COMMENTS_PER_HOUR = int(env("PETTUBE_COMMENTS_PER_HOUR") or 30)
PETTUBE_VIEW_SECONDS = float(env("PETTUBE_VIEW_SECONDS") or 5)
PETTUBE_REPORTS_TO_HIDE = int(env("PETTUBE_REPORTS_TO_HIDE") or 3)
PETTUBE_REPORTS_PER_HOUR = int(env("PETTUBE_REPORTS_PER_HOUR") or 20)
PETTUBE_VIEWS_PER_HOUR = int(env("PETTUBE_VIEWS_PER_HOUR") or 120)
PETTUBE_REPORTER_MIN_AGE_HOURS = float(env("PETTUBE_REPORTER_MIN_AGE_HOURS") or 24)
# An account with this many followers is famous: its videos are merged into its followers'
# Following feeds when they read them, not copied into each one's inbox (docs/FOLLOWING.md).
PETTUBE_FOLLOW_FAMOUS_AT = int(env("PETTUBE_FOLLOW_FAMOUS_AT") or 1000)
PETTUBE_EMAIL_FROM = env("PETTUBE_EMAIL_FROM") or "PetTube <notifications@pettube.example.com>"


def _site_url() -> str:
    """Where the links in emails point (the worker sends them, away from any request): the
    variable; locally the first site origin; in production https:// and the first host
    ALLOWED_HOSTS names exactly. "" when production names none (a wildcard only): emails then
    wait in the outbox rather than link to the wrong site."""
    if url := env("PETTUBE_SITE_URL"):
        return url.rstrip("/")
    if not PRODUCTION:
        return PETTUBE_SITE_ORIGINS[0].rstrip("/")
    named = [host for host in ALLOWED_HOSTS if host and not host.startswith(".") and host != "*"]
    return f"https://{named[0]}" if named else ""


PETTUBE_SITE_URL = _site_url()

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# --- Sign in -------------------------------------------------------------------------------
SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = _setting("GOOGLE_OAUTH2_KEY", "")
SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = _setting("GOOGLE_OAUTH2_SECRET", "")
SOCIAL_AUTH_JSONFIELD_ENABLED = True
SOCIAL_AUTH_URL_NAMESPACE = "social"
SOCIAL_AUTH_LOGIN_REDIRECT_URL = "/"
SOCIAL_AUTH_REDIRECT_IS_HTTPS = PRODUCTION
AUTHENTICATION_BACKENDS = [
    "social_core.backends.google.GoogleOAuth2",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# A newcomer on the embedded AWS signs in with a username; never on AWS (see accounts/checks.py).
PETTUBE_DEV_LOGIN = LOCAL_AWS and not SOCIAL_AUTH_GOOGLE_OAUTH2_KEY

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host and not host.startswith(".")]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, MEDIA_ORIGIN],
    "media-src": [CSP.SELF, MEDIA_ORIGIN, "blob:"],  # blob: hls.js plays through Media Source Extensions
    "connect-src": [CSP.SELF, MEDIA_ORIGIN],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF, "https://accounts.google.com"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "pettube.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {"pettube": {"handlers": ["console"], "level": env("PETTUBE_LOG_LEVEL") or "INFO"}},
}
CSRF_FAILURE_VIEW = "pettube.api.csrf_failure"

# --- On AWS (PETTUBE_AWS=aws): static files -----------------------------------------------
# `collectstatic` uploads static files under hashed names (cache-busting) to their own bucket
# (public read, created by `manage.py bootstrap_aws`) and writes the manifest of those names
# next to manage.py, where the Lambda package picks it up; pages link straight to the bucket,
# so no static byte goes through Lambda. The media bucket stays private. Locally, runserver
# serves static/.
if not LOCAL_AWS:
    from urllib.parse import urlsplit

    PETTUBE_STATIC_BUCKET = env("PETTUBE_STATIC_BUCKET") or f"{PETTUBE_BUCKET}-static"
    if _endpoint := env("AWS_ENDPOINT_URL"):  # an emulated AWS: path-style URLs on its host
        _scheme, _netloc = urlsplit(_endpoint)[:2]
        _static_host = f"{_netloc}/{PETTUBE_STATIC_BUCKET}"
    else:
        _scheme, _netloc = "https", f"{PETTUBE_STATIC_BUCKET}.s3.{AWS_REGION}.amazonaws.com"
        _static_host = _netloc
    STATIC_URL = f"{_scheme}://{_static_host}/"
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "pettube.static_storage.StaticStorage",
            "OPTIONS": {
                "bucket_name": PETTUBE_STATIC_BUCKET,
                "region_name": AWS_REGION,
                # A custom domain lets url() build links without an S3 client.
                "custom_domain": _static_host,
                "url_protocol": f"{_scheme}:",
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
    }
    for _directive in ("script-src", "style-src", "img-src"):
        SECURE_CSP[_directive] = [*SECURE_CSP[_directive], f"{_scheme}://{_netloc}"]
