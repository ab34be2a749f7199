# Mesa CS production image: gunicorn web, Celery worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . /app
RUN pip install . \
 && DEBUG=0 SECRET_KEY=collectstatic-only-build-key-not-used-at-run-time-0123456789abcdef \
    python manage.py collectstatic --noinput \
 && useradd --system --home /app mesa && mkdir -p /app/var && chown -R mesa /app/var

USER mesa
EXPOSE 8000
CMD ["gunicorn", "mesa_cs.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60"]
