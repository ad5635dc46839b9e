# syntax=docker/dockerfile:1
# The `tunnelvision` CLI: loadgen (the live demo's load), deploy markers, schema DDL.
# Build from the repository root: docker build -f infra/docker/cli.Dockerfile .
#   docker run --rm <image> loadgen --collector http://collector:4318 --loop
#
# The CLI depends on the collector package (for `tunnelvision schema`), so
# chdb's native library is installed here too; the CLI never loads it.

# ---- build: every dependency, then compile the CLI and the packages it uses ----
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
COPY sdk sdk
COPY collector collector
COPY infra infra
# tsc -b follows the project references: semconv, sdk, collector, then infra.
RUN npm run build --workspace=@tunnelvision/infra

# ---- prod-deps: the CLI's production dependencies only ----
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
 && npm ci --omit=dev --workspace=@tunnelvision/infra --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: what runs, owned by root, run as the unprivileged node user ----
FROM node:22.23.2-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/sdk/semconv/package.json sdk/semconv/
COPY --from=build /app/sdk/semconv/dist sdk/semconv/dist
COPY --from=build /app/sdk/package.json sdk/
COPY --from=build /app/sdk/dist sdk/dist
COPY --from=build /app/collector/package.json collector/
COPY --from=build /app/collector/dist collector/dist
COPY --from=build /app/collector/migrations collector/migrations
COPY --from=build /app/infra/package.json infra/
COPY --from=build /app/infra/bin infra/bin
COPY --from=build /app/infra/dist infra/dist
USER node
ENTRYPOINT ["node", "infra/bin/tunnelvision.js"]
CMD ["--help"]
