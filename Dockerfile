# syntax=docker/dockerfile:1
# Sales Insight Bot: the Slack app (npm start = node dist/main.js) in a small, non-root image.
#
#   docker build -t sales-insight-bot .
#   docker run --rm -p 3000:3000 -v sib_data:/data \
#     -e SLACK_BOT_TOKEN=xoxb-... -e SLACK_APP_TOKEN=xapp-... \
#     -e ALLOWED_USER_IDS=... -e ALLOWED_CHANNEL_IDS=... sales-insight-bot
#
# No secret is baked in: every token comes from the environment at run time (fly secrets on Fly.io).
# scripts/smoke-production.mjs mirrors these steps without Docker (pack, production-only install,
# start, /health, /metrics, SIGTERM) and runs in CI.

ARG NODE_VERSION=24

# ---- build: compilers live here only -------------------------------------------------------------
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
# better-sqlite3 12 compiles from source when no prebuilt binary is available for this Node/libc.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# node-gyp uses the headers that ship with this Node instead of downloading them.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build's second step bundles the CLI and runs it once on the sample file for V8's code cache.
COPY scripts/bundle-cli.mjs ./scripts/
COPY sample_data ./sample_data
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund
# Only the compiled addon is needed at run time, not the SQLite sources and object files.
RUN cd node_modules/better-sqlite3 \
  && rm -rf deps src build/deps build/Release/obj build/Release/obj.target build/Release/.deps \
    build/Release/test_extension.node build/Release/sqlite3.a
# Fail the build here, not at start-up, if the native module does not load.
RUN node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"

# ---- runtime: no compilers, no dev dependencies, no sources --------------------------------------
FROM node:${NODE_VERSION}-slim AS runtime
# tini as PID 1: forwards SIGTERM to node (which drains accepted jobs, then exits 0) and reaps zombies.
# (With plain `docker run`, `--init` does the same; on Fly.io tini runs under Fly's own init.)
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  DATA_DIR=/data \
  PORT=3000
WORKDIR /app
# Application files stay owned by root (read-only for the app); only /data is writable by it.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY sample_data ./sample_data
# DATA_DIR: the SQLite state (insights.db) and the e-mail outbox (with DATABASE_URL the state is in
# PostgreSQL, and with REDIS_URL the job queue in Redis: no volume needed beyond the outbox). Owned by
# `node` so a fresh Docker volume inherits the ownership; Fly.io mounts a fresh volume with the image
# user's uid/gid.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# slim has no curl: Node's fetch. Socket Mode serves /health on port 3000 too (keep PORT=3000 there).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
