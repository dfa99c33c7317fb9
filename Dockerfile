# Regioportal: one image for the web server (gunicorn), the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango and HarfBuzz; DejaVu is the fallback font; gettext compiles the
# English translation below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The runtime dependencies of pyproject.toml (not the test tools), at the versions of
# requirements.lock.
COPY pyproject.toml requirements.lock ./
RUN pip install --constraint requirements.lock .

COPY . .

# Static files and translations are part of the image. The settings need a SECRET_KEY and
# ALLOWED_HOSTS with DEBUG off; these build-time values are not kept in the image.
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build STATIC_ROOT=/app/staticfiles \
        python manage.py collectstatic --no-input -v0 \
    && DEBUG=true python manage.py compilemessages --ignore=var -v0 \
    && useradd --uid 1000 --create-home regioportal \
    && mkdir -p /data/private /app/var \
    && chown -R regioportal:regioportal /data/private /app/var

USER regioportal
ENV DEBUG=false \
    STATIC_ROOT=/app/staticfiles \
    PRIVATE_MEDIA_ROOT=/data/private
EXPOSE 8000
CMD ["gunicorn", "regioportal.wsgi", "--bind=0.0.0.0:8000", "--workers=3", "--access-logfile=-"]
