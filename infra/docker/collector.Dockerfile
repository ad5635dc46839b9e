# syntax=docker/dockerfile:1
# The TunnelVision collector: OTLP/HTTP in, ClickHouse out, query API, alerts.
# Build from the repository root: docker build -f infra/docker/collector.Dockerfile .
#
# Size note: chdb (embedded ClickHouse, ~550 MB of native library) is a
# dependency of the collector, so it is installed here too. With
# CLICKHOUSE_URL set (as in docker-compose.yml) it is never loaded; it is
# only used when the container runs on the embedded store (no CLICKHOUSE_URL,
# data in DATA_DIR=/app/data).

# ---- build: every dependency, then compile the collector (and the conventions it uses) ----
FROM node:22.23.2-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is cached until they change.
# Every workspace's package.json is needed for npm ci to match the lockfile.
COPY package.json package-lock.json .npmrc ./
COPY sdk/semconv/package.json sdk/semconv/
COPY sdk/package.json sdk/
COPY collector/package.json collector/
COPY infra/package.json infra/
COPY infra/test-support/package.json infra/test-support/
COPY infra/e2e/package.json infra/e2e/
COPY dashboard/package.json dashboard/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.base.json ./
COPY sdk/semconv sdk/semconv
COPY collector collector
RUN npm run build --workspace=@tunnelvision/collector

# ---- prod-deps: the collector's production dependencies only ----
FROM node:22.23.2-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY sdk/semconv/package.json sdk/semconv/
COPY sdk/package.json sdk/
COPY collector/package.json collector/
COPY infra/package.json infra/
COPY infra/test-support/package.json infra/test-support/
COPY infra/e2e/package.json infra/e2e/
COPY dashboard/package.json dashboard/
# npm installs a workspace's devDependencies even with --omit=dev; dropping
# them from the manifests first keeps test tooling out of the image.
RUN npm pkg delete devDependencies --workspaces \
 && npm ci --omit=dev --workspace=@tunnelvision/collector --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: what runs, owned by root, run as the unprivileged node user ----
FROM node:22.23.2-bookworm-slim AS runtime
# A larger young generation: each request's short-lived objects die there,
# 10-17 % less CPU per event for ~130 MB (docs/operations.md#capacity).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=64 \
    COLLECTOR_HOST=0.0.0.0 \
    COLLECTOR_PORT=4318 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/sdk/semconv/package.json sdk/semconv/
COPY --from=build /app/sdk/semconv/dist sdk/semconv/dist
COPY --from=build /app/collector/package.json collector/
COPY --from=build /app/collector/bin collector/bin
COPY --from=build /app/collector/dist collector/dist
COPY --from=build /app/collector/migrations collector/migrations
COPY --from=build /app/collector/proto collector/proto
# The embedded store's directory, the only place the collector writes.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# OTLP/HTTP and the query API; OTLP/gRPC.
EXPOSE 4318 4317
# SIGTERM drains buffered rows before exit; give it the batch delay plus a few seconds.
STOPSIGNAL SIGTERM
CMD ["node", "collector/bin/tunnelvision-collector.js"]
