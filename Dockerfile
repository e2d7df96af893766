# The ExecGap image that docker-compose.yml runs as web, worker, beat and migrate.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, in their own layer: a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Editable, so that the code runs from /app where the settings find templates/ and static/.
COPY . .
RUN pip install --no-deps -e . \
    && useradd --system --uid 10001 --no-create-home execgap \
    && mkdir -p /app/staticfiles \
    && chown execgap /app/staticfiles

USER execgap
EXPOSE 8000
# The settings of execgap/gunicorn_config.py (port 8000, gthread workers, timeouts), as docker-compose.yml.
CMD ["gunicorn", "--config=python:execgap.gunicorn_config", "execgap.wsgi:application"]
