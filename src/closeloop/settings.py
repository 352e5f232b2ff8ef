"""Django settings for Closeloop, read from the environment (README, Configuration).

Every variable is documented in README.md and .env.example. The demo needs none of them:
the data directory defaults to ./var, the database to SQLite inside it, and the secret key
is generated there on first start.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def data_dir() -> Path:
    """The directory that holds the SQLite database, the secret key and uploads."""
    path = Path(os.environ.get("CLOSELOOP_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """SECRET_KEY from the environment, or one generated once into the data directory."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = directory / "secret_key"
    if not key_file.exists():
        # Written with 0600 so only the service account can read it.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


DATA_DIR = data_dir()
SECRET_KEY = secret_key(DATA_DIR)
# Former keys, comma-separated, while rotating SECRET_KEY: sessions, reset links and the
# links sealed in stored messages (lib.sealed) made under them stay valid until dropped.
SECRET_KEY_FALLBACKS = [key for key in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if key]
DEBUG = env_bool("DEBUG", False)
# Set by `closeloop demo` only: shows the demo logins on the login page.
CLOSELOOP_DEMO = env_bool("CLOSELOOP_DEMO", False)

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [SITE_URL]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en-gb"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The form widgets' own templates, for the renderer below (TemplatesSetting).
    "django.forms",
    "django_htmx",
    "axes",
    # Multi-factor sign-in: TOTP apps and one-time recovery codes (accounts.mfa).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "closeloop.accounts",
    "closeloop.jobs",
    "closeloop.pipeline",
    "closeloop.intake",
    "closeloop.interviews",
    "closeloop.calendars",
    "closeloop.touchbases",
    "closeloop.comments",
    "closeloop.insights",
    "closeloop.partnership",
    "closeloop.activity",
    "closeloop.followups",
    "closeloop.notify",
    "closeloop.demo",
    "closeloop.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "closeloop.lib.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, reading the user with the session in one query.
    "closeloop.accounts.middleware.SessionUserMiddleware",
    # Admins without a second factor are sent to enrol (MFA_REQUIRED_FOR_ADMINS).
    "closeloop.accounts.middleware.MfaRequiredMiddleware",
    "closeloop.lib.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After sessions and auth, so its error pages show the signed-in person's menu.
    "closeloop.lib.middleware.FormDataMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must be last: it turns locked-out logins into a clear "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "closeloop.urls"
WSGI_APPLICATION = "closeloop.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pipeline:queue"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, taking the user the session row already brought along.
    "closeloop.accounts.backends.SessionUserBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        # Our people have a full name and an email, not Django's first/last name fields.
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "closeloop.accounts.passwords.PasswordSubstanceValidator"},
]

# Failed-login rate limiting (django-axes): lock a username+IP pair after 5 failures for 15 min.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The browser's address, also behind the TLS proxy (see accounts.http.client_address).
AXES_CLIENT_IP_CALLABLE = "closeloop.accounts.http.client_address"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "closeloop.lib.context.site",
                "closeloop.notify.context.inbox",
            ],
            "libraries": {"widgets": "closeloop.lib.widgets"},
        },
    }
]
# Forms render with the templates above, so templates/django/forms/widgets/select.html (a
# select's options written in Python, closeloop.lib.widgets) overrides Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"


def database_config() -> dj_database_url.DBConfig:
    """DATABASE_URL, or SQLite in the data directory; persistent connections either way."""
    default = f"sqlite:///{DATA_DIR / 'closeloop.sqlite3'}"
    config = dj_database_url.parse(
        os.environ.get("DATABASE_URL", default),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids the
        # "database is locked" upgrade deadlock between two writers.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: our queries are short, and PostgreSQL's JIT compiles any whose estimate
        # passes jit_above_cost (a page's subqueries over 1,000 jobs do): 140 ms of compiling
        # for 25 ms of work, measured on the jobs list by bench/pages.py.
        # No parallel workers either: a page's query that reads a few thousand rows is
        # planned with one, and starting it (a process) took longer than the work: a count
        # of 800 asks in 4 ms of work answered in 13. Pages are served many at a time; the
        # cores are better spent on the other requests.
        options = config.setdefault("OPTIONS", {})
        extra = "-c jit=off -c max_parallel_workers_per_gather=0"
        options["options"] = f"{options.get('options', '')} {extra}".strip()
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root on every start
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploaded résumés: never under STATIC, never served directly; only the authorised view reads them.
MEDIA_ROOT = DATA_DIR / "uploads"
RESUME_MAX_BYTES = int(os.environ.get("RESUME_MAX_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = RESUME_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = RESUME_MAX_BYTES + 1024 * 1024

_email = dj_email_url.parse(os.environ.get("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Closeloop <closeloop@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Database sessions that carry their user's id: a request reads both in one query.
SESSION_ENGINE = "closeloop.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Forwarded-For is believed (the login limiter's client address): only
# behind the TLS proxy, and only from these addresses (the proxy on the same machine).
TRUSTED_PROXIES = (
    [
        address.strip()
        for address in os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
        if address.strip()
    ]
    if env_bool("BEHIND_HTTPS_PROXY")
    else []
)
# Served over HTTPS (an https:// SITE_URL behind the TLS proxy): plain HTTP is redirected and
# browsers are told to use HTTPS only (HSTS), a year by default. The probes a service manager
# sends to the process itself over plain HTTP stay unredirected.
_HTTPS_ONLY = SITE_URL.startswith("https://") and env_bool("BEHIND_HTTPS_PROXY")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS_ONLY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000" if _HTTPS_ONLY else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# HSTS for every subdomain, and the browsers' preload list, bind the organisation's whole
# domain (an intranet host on plain HTTP would stop working): its choice, through the two
# settings above, not a default that `check --deploy` should nag about.
# The asks' covering index lists columns for PostgreSQL to read from the index alone
# (INCLUDE); SQLite builds the same index without them, which is all it can do, and
# `closeloop migrate` on the default database should not warn about it (models.W040).
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021", "models.W040"]

# Single sign-on with OpenID Connect (accounts.sso, README "Single sign-on"): on when a client
# id and either an issuer (discovery) or the endpoints are set. The redirect URI to register
# at the provider is SITE_URL + /accounts/sso/callback/.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_URI", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "single sign-on")
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso-callback"
# People are matched by email only when the provider says it verified the address
# (`email_verified`). Turn off only for a provider that never sends the claim and only
# issues addresses it owns (e.g. Microsoft Entra ID with your own domain).
OIDC_REQUIRE_VERIFIED_EMAIL = env_bool("OIDC_REQUIRE_VERIFIED_EMAIL", True)
# Unknown people who sign in through the provider get an account with this role
# ("interviewer", "hiring_manager", "recruiter" or "none"), or the roles of their pending
# invitation; off, only people who already have an account (or an invitation) get in.
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", False)
OIDC_DEFAULT_ROLE = os.environ.get("OIDC_DEFAULT_ROLE", "interviewer")
if OIDC_DEFAULT_ROLE not in {"interviewer", "hiring_manager", "recruiter", "none"}:
    # Never "admin": a typo must not hand everyone who can sign in at the provider the keys.
    raise ImproperlyConfigured(
        "OIDC_DEFAULT_ROLE must be interviewer, hiring_manager, recruiter or none."
    )
# The provider normally does its own MFA; on, SSO sign-ins also pass Closeloop's TOTP step.
OIDC_REQUIRE_MFA = env_bool("OIDC_REQUIRE_MFA", False)
# Off: only superusers may sign in with a password (the break-glass account); everyone else
# uses single sign-on, and password reset and change are refused.
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)

# Multi-factor authentication (accounts.mfa): admins must enrol a TOTP app before they use
# the app; on by default when served over HTTPS in production.
MFA_REQUIRED_FOR_ADMINS = env_bool("MFA_REQUIRED_FOR_ADMINS", _HTTPS_ONLY)
OTP_TOTP_ISSUER = os.environ.get("MFA_ISSUER", "Closeloop")
# The Django admin never shows anyone's TOTP secret or recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Wrong codes allowed at the second step before the sign-in starts over (each also counts
# as a failed login for the login limiter).
MFA_MAX_ATTEMPTS = 5

# How long a card may sit in one stage before the board flags it as stale.
STALE_AFTER_DAYS = int(os.environ.get("STALE_AFTER_DAYS", "7"))
# How long the organisation-wide insights (waits, jobs side by side, responsiveness by
# person) keep figures once counted, in seconds; 0 counts them on every request (README
# "Insights").
INSIGHTS_KEPT_SECONDS = int(os.environ.get("CLOSELOOP_INSIGHTS_KEPT_SECONDS", "300"))
# How many of a job's first submissions make its calibration round (README "Calibration").
CALIBRATION_ROUND_SIZE = int(os.environ.get("CALIBRATION_ROUND_SIZE", "5"))
# How long the link in an invitation email works (README "People").
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
# Candidate retention (README "Candidate privacy"): candidates whose every application closed
# (rejected or withdrawn) are anonymised after this many days without activity; the admins
# hear 14 days before. 0 switches retention off.
CANDIDATE_RETENTION_DAYS = int(os.environ.get("CANDIDATE_RETENTION_DAYS", "730"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact_tokens": {"()": "closeloop.lib.logging.RedactTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Replace Django's own handlers so every request log passes the token filter.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the package's static folders, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Reminders and notices wait for the recipient's working hours. `closeloop demo` switches this
# off (unless set) so the engine is visible whenever someone tries the demo.
QUIET_HOURS = env_bool("CLOSELOOP_QUIET_HOURS", True)

# Without EMAIL_URL, email deliveries are kept in the app's Outbox page instead of being sent
# (the demo); with it, the worker sends them over SMTP.
EMAIL_ENABLED = bool(os.environ.get("EMAIL_URL"))
# How long a worker's claim on a delivery lasts before another worker may take it over (a
# worker that died mid-send). Longer than one send can take; shorter means faster recovery.
DELIVERY_LEASE_SECONDS = int(os.environ.get("CLOSELOOP_DELIVERY_LEASE_SECONDS", "120"))
