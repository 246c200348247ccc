# slipway's container image: `docker build -t slipway .`, then
#   docker run --rm -e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e AWS_SESSION_TOKEN \
#     -v "$PWD:/work" -w /work slipway deploy 1.2.0 --to dev
# Two stages: the first builds and packs slipway (dev dependencies, TypeScript), the second holds only Node, the
# packed package and its runtime dependencies, and runs as a user without privileges.
# NODE_IMAGE: any Debian-based image with Node.js 22 or newer and npm at /usr/local/bin (the official node images).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# Dependencies first, so a change to slipway's own files reuses this layer. No dependency has an install script;
# --ignore-scripts also keeps `prepare` (the build) from running before the sources are here.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# npm pack builds (prepare) and packs exactly what npm would publish; installing that tarball with --omit=dev is
# what a user's `npm install -g` gets, under /opt/slipway instead of the image's global folder.
RUN npm pack --pack-destination /tmp \
  && npm install --global --prefix /opt/slipway --omit=dev --no-audit --no-fund /tmp/slipway-*.tgz \
  && npm cache clean --force

FROM ${NODE_IMAGE}
# A user of its own (no login, no password). HOME stays /home/slipway under any --user, so a mounted ~/.aws is found
# there; slipway writes nothing in it. Run with --user "$(id -u):$(id -g)" when the mounted project folder must be
# written by you: the embedded store keeps .slipway/ beside the project.
RUN useradd --uid 10001 --user-group --create-home --home-dir /home/slipway --shell /usr/sbin/nologin slipway
COPY --from=build /opt/slipway /opt/slipway
ENV PATH=/opt/slipway/bin:$PATH \
    HOME=/home/slipway \
    NODE_ENV=production
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["slipway"]
CMD ["--help"]
