# Rapport: the SPA is built with Node, then served by the Python app.
#   docker build -t rapport .
#   docker run -p 8000:8000 -e DATABASE_URL=postgresql://user:pass@host:5432/rapport rapport

# --- stage 1: build the SPA ---------------------------------------------------------------
FROM node:20-slim AS spa
# frontend/ and openapi/ side by side, as in the repository (the client is generated from
# ../openapi/openapi.json)
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY openapi/ ../openapi/
RUN npm run build

# --- stage 2: the application -------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system rapport \
 && useradd --system --gid rapport --home-dir /srv/rapport --shell /usr/sbin/nologin rapport \
 && mkdir -p /var/lib/rapport \
 && chown rapport:rapport /var/lib/rapport

# The app expects the repository layout: app/, migrations/, alembic.ini and frontend/dist
# beside each other, with the working directory at the root.
WORKDIR /srv/rapport

# Dependencies first, in their own layer: it is rebuilt only when these two files change.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; print(*deps, sep=chr(10))" > /tmp/requirements.txt \
 && pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY README.md alembic.ini ./
COPY app/ app/
COPY migrations/ migrations/
COPY openapi/ openapi/
# Editable install: provides the `rapport` command and keeps `app` imported from /srv/rapport,
# so the paths the app derives from its package (alembic.ini, frontend/dist) resolve here.
RUN pip install --no-cache-dir --no-deps -c constraints.txt -e .

COPY --from=spa /build/frontend/dist/ frontend/dist/

ENV RAPPORT_HOST=0.0.0.0 \
    RAPPORT_PORT=8000 \
    RAPPORT_DATA_DIR=/var/lib/rapport \
    PYTHONPATH=/srv/rapport

USER rapport
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('RAPPORT_PORT', '8000'), timeout=4)"]

# migrate, then replace the shell with the server so it receives SIGTERM directly
CMD ["sh", "-c", "rapport migrate && exec rapport serve"]
