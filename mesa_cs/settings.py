"""Mesa CS settings: one module, driven by environment variables.

Every variable is listed in README.md. Defaults suit the quick start
(`make run`); production sets DEBUG=0 and the secrets.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MESA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0")
    SECRET_KEY = "insecure-quick-start-key-only-for-make-run-never-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "csp",
    "axes",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "mesa_cs",
    "accounts",
    "billing",
    "cashiering",
    "credit",
    "alarms",
    "solidwaste",
    "staffing",
    # Outermost: the demo city builds through every app above.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mesa_cs.lib.audit.AuditContextMiddleware",
    "mesa_cs.lib.middleware.NoStoreForSignedInMiddleware",
    # Last, as django-axes asks: it turns lockouts into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "mesa_cs.urls"
WSGI_APPLICATION = "mesa_cs.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mesa_cs.lib.context_processors.navigation",
            ],
            # One way to write money, days and times on every page (docs/ui.md).
            "builtins": ["mesa_cs.templatetags.formatting"],
        },
    },
]

# Quick start: `make run` / `make test` start the embedded PostgreSQL and set
# DATABASE_URL; CI and production set it to a real server.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mesa_cs"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 9},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Phoenix"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Sessions and sign-in -------------------------------------------------
# Idle sign-out: the session lives SESSION_IDLE_MINUTES after the last request.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "15"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-axes: 10 failures for a username from one client lock that pair for
# 30 minutes (docs/security.md says why the pair and not the username alone).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Behind the proxy the client address is the first X-Forwarded-For entry.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Security headers -----------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Behind a TLS-terminating proxy (docker-compose, a load balancer).
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /health/ is probed over plain HTTP by load balancers and the compose file.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Strict Content Security Policy: no inline script or style, nothing off-site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Forms and tables -------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# --- Audit (django-pghistory) ---------------------------------------------
PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mesa Utilities <utilities@mesaaz.gov>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------
# The quick start uses Kombu's filesystem transport (no server to run);
# CI and production use Redis.
# "localhost" only quiets kombu; the filesystem transport has no server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://localhost//")
# Tasks must finish well within the broker's visibility timeout, or Redis would
# hand an unacknowledged task to a second worker while the first still runs.
# It is also how long a task lost with a killed worker waits to be redelivered,
# so tasks are short (a bill run is drained by a chain of short tasks) and the
# timeout is minutes: above the longest task and a retry's countdown (5 min).
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(15 * 60)))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", str(10 * 60)))
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Kombu's default is ./control, inside whatever directory runs Celery.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    # The transport expects its folders to exist.
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = False  # opted into per task, only where a rerun is harmless
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How often beat looks for bill runs whose workers died (docs/billing.md).
BILL_RUN_WATCHDOG_SECONDS = float(os.environ.get("BILL_RUN_WATCHDOG_SECONDS", "10"))
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "mesa_cs.tasks.heartbeat_record",
        "schedule": 60.0,
    },
    "late-fees-daily": {
        "task": "billing.tasks.late_fees_daily",
        "schedule": crontab(hour=1, minute=0),
    },
    "deposits-review-daily": {
        "task": "credit.tasks.deposits_review_daily",
        "schedule": crontab(hour=2, minute=0),
    },
    "collections-daily": {
        "task": "credit.tasks.collections_daily",
        "schedule": crontab(hour=3, minute=0),
    },
    # Before the morning's bill runs: an account no cycle reaches is never billed.
    "bill-cycles-check-daily": {
        "task": "billing.tasks.bill_cycles_check_daily",
        "schedule": crontab(hour=0, minute=45),
    },
    "final-bills-sweep": {
        "task": "billing.tasks.final_bills_sweep",
        "schedule": crontab(minute=15),
    },
    # Before the collection run, so a broken arrangement or an expired pledge
    # no longer holds the account when the ladder moves.
    # Complaints past their level's deadline go up a level (docs/complaints.md).
    "complaints-escalate-daily": {
        "task": "staffing.tasks.complaints_escalate_daily",
        "schedule": crontab(hour=0, minute=30),
    },
    "arrangements-review-daily": {
        "task": "credit.tasks.arrangements_review_daily",
        "schedule": crontab(hour=2, minute=30),
    },
    "pledges-expire-daily": {
        "task": "credit.tasks.pledges_expire_daily",
        "schedule": crontab(hour=2, minute=40),
    },
    # Sets workers on bill runs whose workers died (docs/billing.md "Bill runs").
    # A tick not run within its interval is dropped: the next one does the same.
    # The Alarm Unit's day: renewal notices, lapsed permits, past-due suspensions.
    "alarm-permits-daily": {
        "task": "alarms.tasks.alarm_permits_daily",
        "schedule": crontab(hour=4, minute=0),
    },
    "bill-runs-watchdog": {
        "task": "billing.tasks.bill_runs_watchdog",
        "schedule": BILL_RUN_WATCHDOG_SECONDS,
        "options": {"expires": BILL_RUN_WATCHDOG_SECONDS},
    },
}

# =============================================================================
# House rules by section: the City's figures and this project's own rules.
# Each line says what a setting is and the rule it encodes, with its source:
# "City" (a City of Mesa rule or figure), "AZ practice" (another Arizona
# utility's), "federal law", or "house rule" (this project's decision where no
# public rule was found). docs/pricing.md and docs/policies.md give the rules
# in full; README.md lists the environment variables that override them.
# =============================================================================

# --- Platform: file imports (docs/cashiering.md, docs/meter_reads.md) --------
# Payment and read files larger than this are refused on the form (20 MB).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# Files above this (256 kB) are imported by a Celery task behind a progress
# page, so no request runs past the web worker's timeout.
IMPORT_INLINE_MAX_BYTES = int(os.environ.get("IMPORT_INLINE_MAX_BYTES", str(256 * 1024)))
# A background import past this many seconds (12 min) is stopped and rejected
# with that reason, nothing of it saved; it stays under the broker's
# visibility timeout so a slow import is never delivered twice at once.
IMPORT_TASK_SECONDS = int(os.environ.get("IMPORT_TASK_SECONDS", str(12 * 60)))

# --- Accounts: establishing service (docs/policies.md, "Establishing service")
# Set-up fee on every new account, $11.00 (City).
ACCOUNT_SETUP_FEE = Decimal(os.environ.get("ACCOUNT_SETUP_FEE", "11.00"))
# Turn-on charge per metered utility: electric $20, gas $40, water $20 (City).
CONNECTION_FEES = {"electric": Decimal("20.00"), "gas": Decimal("40.00"), "water": Decimal("20.00")}
# Same-day or after-hours turn-on or reconnect, $55.00 (City), charged instead
# of the connection or field trip charge (house rule).
SAME_DAY_CONNECTION_FEE = Decimal(os.environ.get("SAME_DAY_CONNECTION_FEE", "55.00"))

# --- Accounts and Credit: deposits (docs/policies.md, "Deposits") -----------
# Residential deposit without 12 months of good history with the City, $50.00
# (AZ practice, Tempe; house rule).
RESIDENTIAL_DEPOSIT = Decimal(os.environ.get("RESIDENTIAL_DEPOSIT", "50.00"))
# Commercial deposit: 2.5 × the estimated highest monthly bill (City).
COMMERCIAL_DEPOSIT_MULTIPLE = Decimal(os.environ.get("COMMERCIAL_DEPOSIT_MULTIPLE", "2.5"))
# A deposit may be paid in up to 3 monthly installments (house rule).
DEPOSIT_MAX_INSTALLMENTS = int(os.environ.get("DEPOSIT_MAX_INSTALLMENTS", "3"))
# Consecutive bills paid by their due date before a deposit is credited back,
# 12 (AZ practice, Tempe; house rule).
DEPOSIT_ON_TIME_BILLS = int(os.environ.get("DEPOSIT_ON_TIME_BILLS", "12"))
# Reconnecting after a disconnection for non-payment: a deposit of 2 × the
# average of the last 12 bills (AZ practice, APS; house rule).
RECONNECT_DEPOSIT_MULTIPLE = Decimal(os.environ.get("RECONNECT_DEPOSIT_MULTIPLE", "2"))

# --- Billing: bills and bill runs (docs/billing.md) --------------------------
# Bills are due 21 days after the bill date (house rule; docs/pricing.md,
# "Due dates").
BILL_DUE_DAYS = int(os.environ.get("BILL_DUE_DAYS", "21"))
# Accounts a bill-run worker claims at a time (operations, not a City rule).
BILL_RUN_CHUNK = int(os.environ.get("BILL_RUN_CHUNK", "200"))
# A worker refreshes its claims every BILL_RUN_HEARTBEAT seconds while it
# bills; a claim without a heartbeat for BILL_RUN_CLAIM_TIMEOUT seconds (its
# worker died) is claimed again. The watchdog's interval,
# BILL_RUN_WATCHDOG_SECONDS, sits with Celery beat above.
BILL_RUN_HEARTBEAT = float(os.environ.get("BILL_RUN_HEARTBEAT", "5"))
BILL_RUN_CLAIM_TIMEOUT = int(os.environ.get("BILL_RUN_CLAIM_TIMEOUT", "30"))
# A drain task bills for this long, then hands on to a fresh task.
BILL_RUN_TASK_SECONDS = int(os.environ.get("BILL_RUN_TASK_SECONDS", "120"))
# Workers set on a run when it is started (or started again).
BILL_RUN_WORKERS = int(os.environ.get("BILL_RUN_WORKERS", "2"))

# --- Billing: late fees (docs/pricing.md, "Late fees") ----------------------
# The greater of 2 % of the past due or $5.00, plus 8.30 % sales tax, the day
# after the due date; none under $25.00 past due (City; the tax rate is the
# rate book's sales tax).
LATE_FEE_PERCENT = Decimal(os.environ.get("LATE_FEE_PERCENT", "2"))
LATE_FEE_FLOOR = Decimal(os.environ.get("LATE_FEE_FLOOR", "5.00"))
LATE_FEE_MINIMUM_PAST_DUE = Decimal(os.environ.get("LATE_FEE_MINIMUM_PAST_DUE", "25.00"))
LATE_FEE_TAX_PERCENT = Decimal(os.environ.get("LATE_FEE_TAX_PERCENT", "8.30"))

# --- Billing: adjustments and meter tests (docs/pricing.md, "Adjustments") ---
# Adjustments above $100.00 (either way) wait for a second person (house rule).
ADJUSTMENT_APPROVAL_THRESHOLD = Decimal(os.environ.get("ADJUSTMENT_APPROVAL_THRESHOLD", "100.00"))
# A tested meter more than 2 % fast is credited for the usage charges of the
# last 6 months of bills (house rule; docs/service_orders.md, "Meter tests").
METER_ERROR_TOLERANCE_PERCENT = Decimal(os.environ.get("METER_ERROR_TOLERANCE_PERCENT", "2.0"))
METER_ERROR_ADJUST_MONTHS = int(os.environ.get("METER_ERROR_ADJUST_MONTHS", "6"))

# --- Cashiering (docs/policies.md, "Payments") ------------------------------
# Returned payment (NSF) fee, $25.00 (City).
RETURNED_PAYMENT_FEE = Decimal(os.environ.get("RETURNED_PAYMENT_FEE", "25.00"))
# After a returned payment the account pays by certified funds (City) for 12
# months (house rule).
CERTIFIED_FUNDS_MONTHS = int(os.environ.get("CERTIFIED_FUNDS_MONTHS", "12"))
# A drawer over or short by more than $5.00 needs a supervisor's sign-off
# (house rule).
DRAWER_SIGN_OFF_THRESHOLD = Decimal(os.environ.get("DRAWER_SIGN_OFF_THRESHOLD", "5.00"))

# --- Credit: collections and disconnects (docs/policies.md, "Collections
# and disconnection"; docs/collections.md) ---------------------------------
# No disconnect notice, eligibility or order under $150.00 past due (City,
# raised from $50 in 2020).
DISCONNECT_MINIMUM_PAST_DUE = Decimal(os.environ.get("DISCONNECT_MINIMUM_PAST_DUE", "150.00"))
# A disconnect notice asks for payment within 10 days of the run (house rule).
NOTICE_PAY_WITHIN_DAYS = int(os.environ.get("NOTICE_PAY_WITHIN_DAYS", "10"))
# A medical certificate holds collection 12 months unless it says otherwise
# (AZ practice; house rule).
MEDICAL_HOLD_MONTHS = int(os.environ.get("MEDICAL_HOLD_MONTHS", "12"))
# Heat protection: no electric disconnection from June 1 to September 30
# (City; heat days recorded at /credit/heat/ add to it).
HEAT_SEASON_START = (6, 1)  # no electric disconnection from June 1 ...
HEAT_SEASON_END = (9, 30)  # ... to September 30
# An arrangement broken within the last 30 days puts the account straight at
# "eligible for disconnection" (City: a broken arrangement makes the account
# eligible; the 30 days are a house rule).
BROKEN_ARRANGEMENT_DAYS = int(os.environ.get("BROKEN_ARRANGEMENT_DAYS", "30"))
# Field trip charge for a reconnect, $21.00 (City).
FIELD_TRIP_CHARGE = Decimal(os.environ.get("FIELD_TRIP_CHARGE", "21.00"))
# Cleared before this hour (local, 3 p.m.), the reconnect is scheduled the
# same day, otherwise the next (house rule).
RECONNECT_SAME_DAY_CUTOFF_HOUR = int(os.environ.get("RECONNECT_SAME_DAY_CUTOFF_HOUR", "15"))

# --- Alarm permits (docs/alarms.md; the ordinance's own figures are in
# alarms/rules/fees.py) -------------------------------------------------------
# An alarm invoice (permit fee, renewal, false alarm) is due 30 days after
# it is issued (house rule).
ALARM_INVOICE_DUE_DAYS = int(os.environ.get("ALARM_INVOICE_DUE_DAYS", "30"))
# Appeal hearings are held at Police headquarters (house rule).
ALARM_HEARING_PLACE = os.environ.get(
    "ALARM_HEARING_PLACE", "Mesa Police Department, 130 N Robson, Mesa AZ 85201"
)

# --- Solid waste: route production (docs/solid_waste_production.md) --------
# Payroll overtime: hours over 8 in a day, and straight-time hours over 40 in
# a Sunday-to-Saturday week (house rule, the FLSA's week with the City's
# 8-hour day; mesa_facts.md gives no rule).
SOLIDWASTE_WORKDAY_HOURS = Decimal(os.environ.get("SOLIDWASTE_WORKDAY_HOURS", "8"))
SOLIDWASTE_WEEK_HOURS = Decimal(os.environ.get("SOLIDWASTE_WEEK_HOURS", "40"))
# Missed pickups a route should stay under, per 1,000 lifts (house rule).
SOLIDWASTE_MISSES_PER_1000_TARGET = Decimal(
    os.environ.get("SOLIDWASTE_MISSES_PER_1000_TARGET", "1.00")
)

# --- Contact center: service levels (docs/contact_center.md) ----------------
# At least 80 % of the calls offered answered within 20 seconds; an average
# speed of answer of 60 seconds at most; at most 5 % abandoned; agents busy
# about 70 % of their staffed time (within 10 points either way); at least
# 80 % of calls resolved at first contact, that is with no further contact on
# the account within 7 days (house rules: the industry's usual targets).
CONTACT_CENTER_SERVICE_LEVEL_TARGET = Decimal(
    os.environ.get("CONTACT_CENTER_SERVICE_LEVEL_TARGET", "80")
)
CONTACT_CENTER_ANSWER_SECONDS = 20  # the phone system's own threshold (its answered_in_20s)
CONTACT_CENTER_SPEED_OF_ANSWER_TARGET = Decimal(
    os.environ.get("CONTACT_CENTER_SPEED_OF_ANSWER_TARGET", "60")
)
CONTACT_CENTER_ABANDONMENT_TARGET = Decimal(
    os.environ.get("CONTACT_CENTER_ABANDONMENT_TARGET", "5")
)
CONTACT_CENTER_OCCUPANCY_TARGET = Decimal(os.environ.get("CONTACT_CENTER_OCCUPANCY_TARGET", "70"))
CONTACT_CENTER_OCCUPANCY_BAND = Decimal(os.environ.get("CONTACT_CENTER_OCCUPANCY_BAND", "10"))
CONTACT_CENTER_FIRST_CONTACT_TARGET = Decimal(
    os.environ.get("CONTACT_CENTER_FIRST_CONTACT_TARGET", "80")
)
CONTACT_CENTER_FIRST_CONTACT_DAYS = int(os.environ.get("CONTACT_CENTER_FIRST_CONTACT_DAYS", "7"))

# --- Credit: payment arrangements (docs/policies.md, "Payment arrangements";
# docs/credit_arrangements.md) ---------------------------------------------
# A down payment and 1 to 6 monthly installments (City).
ARRANGEMENT_MAX_MONTHS = int(os.environ.get("ARRANGEMENT_MAX_MONTHS", "6"))
# Refused to an account that, in the last 12 months, made 4 arrangements
# (cancelled ones not counted) or broke 2 (City).
ARRANGEMENT_LOOKBACK_MONTHS = int(os.environ.get("ARRANGEMENT_LOOKBACK_MONTHS", "12"))
ARRANGEMENT_YEARLY_LIMIT = int(os.environ.get("ARRANGEMENT_YEARLY_LIMIT", "4"))
ARRANGEMENT_BROKEN_LIMIT = int(os.environ.get("ARRANGEMENT_BROKEN_LIMIT", "2"))

# --- Credit: assistance (docs/policies.md, "Assistance") --------------------
# MesaCAN helps a household again only 90 days after its last pledge (City).
MESACAN_REAPPLY_DAYS = int(os.environ.get("MESACAN_REAPPLY_DAYS", "90"))
# The most an agency pledges: LIHEAP $1,200 regular assistance (Arizona DES),
# LIHWAP $3,000 for water.
PLEDGE_LIMITS = {"liheap": Decimal("1200.00"), "lihwap": Decimal("3000.00")}
SEA_SEASON = ((7, 1), (9, 30))  # Summer Electric Assistance: July 1 to September 30 (City)
# A Limited Income Senior Rate enrolment lasts 5 years, then the customer
# requalifies (City).
LISR_REQUALIFY_YEARS = int(os.environ.get("LISR_REQUALIFY_YEARS", "5"))

# --- Credit: the collector's calls (docs/policies.md, "Collector calls") ----
# Regulation F (12 CFR 1006) as good practice: calls from 8am to 9pm local
# time, no more than 7 attempts in 7 days per account, unless the collector
# says why.
COLLECTOR_CALL_TIMEZONE = "America/Phoenix"
COLLECTOR_CALL_EARLIEST = os.environ.get("COLLECTOR_CALL_EARLIEST", "08:00")
COLLECTOR_CALL_LATEST = os.environ.get("COLLECTOR_CALL_LATEST", "21:00")
COLLECTOR_CALL_LIMIT = int(os.environ.get("COLLECTOR_CALL_LIMIT", "7"))
COLLECTOR_CALL_WINDOW_DAYS = int(os.environ.get("COLLECTOR_CALL_WINDOW_DAYS", "7"))

# --- Credit: bankruptcy (docs/policies.md, "Bankruptcy"; docs/credit_cases.md)
# Adequate assurance (federal law, 11 USC 366): a deposit of 2 × the average
# of the last 12 bills (house rule), due within 20 days under Chapters 7 and
# 13, 30 under Chapter 11.
BANKRUPTCY_ASSURANCE_MULTIPLE = Decimal(os.environ.get("BANKRUPTCY_ASSURANCE_MULTIPLE", "2"))
BANKRUPTCY_ASSURANCE_BILLS = int(os.environ.get("BANKRUPTCY_ASSURANCE_BILLS", "12"))
BANKRUPTCY_ASSURANCE_DAYS = int(os.environ.get("BANKRUPTCY_ASSURANCE_DAYS", "20"))
BANKRUPTCY_ASSURANCE_DAYS_CHAPTER_11 = int(
    os.environ.get("BANKRUPTCY_ASSURANCE_DAYS_CHAPTER_11", "30")
)

# --- Credit: collection agency (docs/policies.md, "Collection agency") ------
# The creditor named on the agency's validation notice (federal law, 12 CFR
# 1006.34).
AGENCY_CREDITOR_NAME = os.environ.get("AGENCY_CREDITOR_NAME", "City of Mesa Utilities")

# Write-offs have no setting: the ladder's write-off step (90 days after the
# agency referral) and the second approver are data and code
# (docs/policies.md, "Write-offs").

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Password hashing: PBKDF2 in production; tests switch to a fast hasher.
if env_bool("FAST_PASSWORD_HASHER", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
