# reelscale as a long-running service: `reelscale run` on a schedule (README: "The way to
# production"). Build from a clone:  docker build -t reelscale .
# Settings come from the environment (RADARR_URL, RADARR_API_KEY, ANTHROPIC_API_KEY, ...; see
# deploy/reelscale.env.example), the collections from /config/reelscale.toml, the database
# lives in /data. `docker stop` sends SIGTERM: the requests in flight finish and are saved.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY core ./core
COPY synthetic ./synthetic
COPY benchmarks ./benchmarks
RUN pip install . && rm -rf /src

RUN useradd --system --uid 1000 --create-home --home-dir /home/reelscale reelscale \
    && mkdir -p /config /data \
    && chown reelscale /data
USER reelscale
WORKDIR /data

ENV REELSCALE_CONFIG=/config/reelscale.toml \
    REELSCALE_DB=/data/reelscale.db \
    SCHEDULE_INTERVAL=1d \
    SCHEDULE_START_TIME=03:00
VOLUME ["/config", "/data"]

ENTRYPOINT ["reelscale"]
CMD ["run"]
