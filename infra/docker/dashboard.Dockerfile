# syntax=docker/dockerfile:1
# The TunnelVision dashboard (Next.js), reading the collector's query API at COLLECTOR_URL.
# Build from the repository root: docker build -f infra/docker/dashboard.Dockerfile .

# ---- build: every dependency, the collector's API types, then next build ----
FROM node:22.23.2-bookworm-slim AS build
ENV NEXT_TELEMETRY_DISABLED=1
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
COPY dashboard dashboard
# The dashboard imports the collector's API types (types only, nothing at run time).
RUN npm run build --workspace=@tunnelvision/collector \
 && npm run build --workspace=@tunnelvision/dashboard \
 && rm -rf dashboard/.next/cache

# ---- prod-deps: next, react, recharts and what they need ----
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
# npm installs a workspace's devDependencies even with --omit=dev (here the
# collector, for its API types, and with it chdb's 550 MB); dropping them
# from the manifests first keeps them out of the image.
RUN npm pkg delete devDependencies --workspaces \
 && npm ci --omit=dev --workspace=@tunnelvision/dashboard --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: the built app, owned by root, run as the unprivileged node user ----
FROM node:22.23.2-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    DASHBOARD_HOST=0.0.0.0 \
    DASHBOARD_PORT=3000
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/dashboard/package.json /app/dashboard/next.config.ts dashboard/
COPY --from=build /app/dashboard/.next dashboard/.next
# Next.js may cache rendered data under .next/cache: the one writable place.
RUN mkdir -p dashboard/.next/cache && chown node:node dashboard/.next/cache
USER node
WORKDIR /app/dashboard
EXPOSE 3000
# As `npm run start -w dashboard`, without npm in between (signals reach next directly).
CMD ["sh", "-c", "exec node /app/node_modules/next/dist/bin/next start -p \"$DASHBOARD_PORT\" -H \"$DASHBOARD_HOST\""]
