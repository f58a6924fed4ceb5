# Maillon in a container: `docker build -t maillon .` (see docs/production.md).
# Not built on the project's own machine (it has no Docker daemon nor registry); every step
# below is a command the project's scripts run.

FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source; npm 11 reads the allowScripts list of package.json.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/* \
 && npm install -g npm@11.19.1
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# Droid Sans Fallback: Chinese, Japanese and Korean names in PDFs (decision 014).
# postgresql-client: pg_dump and pg_restore for `npm run db:backup` on PostgreSQL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-droid-fallback fonts-symbola postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 maillon \
 && useradd --system --uid 10001 --gid maillon --home-dir /app --shell /usr/sbin/nologin maillon
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /app/data /app/backups && chown maillon:maillon /app/data /app/backups
ENV NODE_ENV=production PORT=3000 npm_config_cache=/tmp/.npm
USER maillon
EXPOSE 3000
# SQLite database and captured files; backups.
VOLUME ["/app/data", "/app/backups"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# What `npm start` runs, without npm in between: SIGTERM reaches the server, which stops its jobs and connections.
CMD ["node", "--import", "tsx", "server/index.ts"]
