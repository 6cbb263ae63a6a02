# syntax=docker/dockerfile:1
# The `bascule` image: every role of the control plane (`bascule-server --roles ...`).
# Build: docker build -t ghcr.io/bascule/bascule:0.1.0 .

# --- build: install the workspace, compile TypeScript, and cut a production-only bundle ---
FROM node:20-bookworm-slim AS build
RUN npm install -g pnpm@10
WORKDIR /src
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc tsconfig.base.json tsconfig.build.json ./
COPY apps ./apps
COPY packages ./packages
COPY test/package.json ./test/package.json
RUN pnpm install --frozen-lockfile
RUN pnpm exec tsc -b apps/control-plane && pnpm --filter @bascule/dashboard build
# The control plane and its workspace packages with production dependencies only.
RUN pnpm --filter @bascule/control-plane deploy --prod --legacy /out

# --- runtime: Node 20 slim, no build tools, non-root, read-only friendly ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out /app
# A numeric non-root user, matching the chart's runAsUser, so runAsNonRoot can verify it.
USER 10001:10001
# gateway, api, metrics/health
EXPOSE 8080 8081 9090
# Node flags: packages/gateway/src/server/node-flags.ts (a young generation sized for the gateway)
ENTRYPOINT ["node", "--min-semi-space-size=16", "/app/dist/main.js"]
