#!/usr/bin/env bash
# Builds slipway's container image (the Dockerfile at the repository's root) with podman and smoke-tests it against
# the simulator: --version, its user, a mounted project, then release create, deploy and status run by the image as
# `docker run … deploy 1.2.0 --to dev` would.
#
# Usage: scripts/container-ci.sh NODE_BIN
#   NODE_BIN: a Node.js (22 or newer) linux-x64 binary, e.g. the one the npm registry's `node` package installs.
#
# No image registry is reachable here (only package registries), so node:24-bookworm-slim cannot be pulled. The
# build uses a stand-in of the same shape instead: a minimal Debian bookworm from Debian's packages (debootstrap),
# NODE_BIN at /usr/local/bin/node and npm from the npm registry, passed to the Dockerfile as NODE_IMAGE. Everything
# else (both stages, npm pack, the user, the entrypoint) is the Dockerfile as a user builds it.
set -euo pipefail

node_bin="${1:?usage: scripts/container-ci.sh NODE_BIN}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
section() { printf '\n==== %s ====\n' "$*"; }
base_image=localhost/slipway-node-base:ci
image=localhost/slipway:ci

missing=()
for tool in podman:podman runc:runc debootstrap:debootstrap; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
if ((${#missing[@]})); then
  section "apt-get install ${missing[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
fi
podman --version

# This VM's root lacks CAP_SYS_RESOURCE and mixes cgroup v1 with v2: podman's default runtime (crun) and its
# default limits (a million files and processes, above the machine's hard limits) both fail, runc with the
# machine's own limits works.
nofile="$(ulimit -Hn)"
run_opts=(--runtime runc --ulimit "nofile=$nofile:$nofile" --ulimit nproc=4096:4096)

work="$(mktemp -d /tmp/ci-container.XXXXXX)"
sim_name="slipway-ci-sim-$$"
cleanup() {
  podman rm -f "$sim_name" >/dev/null 2>&1 || true
  rm -rf "$work"
  podman rmi -f "$image" "$base_image" >/dev/null 2>&1 || true
}
trap cleanup EXIT

section "base image: Debian bookworm (debootstrap) with $("$node_bin" --version)"
rootfs="$work/rootfs"
debootstrap --variant=minbase bookworm "$rootfs" >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
# What a -slim image leaves out: the package cache and lists, documentation and translations.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/{doc,man,locale}/*
install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
npm install --global --prefix "$rootfs/usr/local" --no-audit --no-fund npm@11 </dev/null >/dev/null
# The machine's own certificate authorities, so npm in the build stage reaches the registry as npm here does.
mkdir -p "$rootfs/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
tar -C "$rootfs" -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' - "$base_image" >/dev/null
rm -rf "$rootfs"

section "podman build (the Dockerfile, NODE_IMAGE=$base_image)"
build_started=$SECONDS
podman build "${run_opts[@]}" --network host --layers=false --pull=never --build-arg "NODE_IMAGE=$base_image" -t "$image" .
echo "built in $((SECONDS - build_started))s"
for i in "$base_image" "$image"; do echo "$i: $(($(podman image inspect --format '{{.Size}}' "$i") / 1000000)) MB"; done

section "smoke test"
run() { podman run --rm "${run_opts[@]}" --network host "$@"; }
version="$(run "$image" --version)"
[[ "$version" == "$(node -p 'require("./package.json").version')" ]] || { echo "slipway --version in the image printed '$version'" >&2; exit 1; }
echo "slipway --version: $version"
user="$(run --entrypoint id "$image" -u)"
[[ "$user" != 0 ]] || { echo "the image runs as root" >&2; exit 1; }
echo "runs as uid $user"

# The simulator, from the image too, on a free port; the sample infrastructure the demo deploys to, made by this
# checkout's build (the image holds only slipway's runtime files).
port=45990
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
endpoint="http://127.0.0.1:$port"
podman run -d --name "$sim_name" "${run_opts[@]}" --network host "$image" sim start --port "$port" --speed 60 --frontend-base-port 0 >/dev/null
for _ in $(seq 100); do curl -fsS "$endpoint/_sim/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$endpoint/_sim/health" >/dev/null || { podman logs "$sim_name" >&2; exit 1; }
AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true node --input-type=module -e '
  const { createSampleInfrastructure } = await import("./dist/src/demo/sample-infrastructure.js");
  await createSampleInfrastructure(process.argv[1]);
' "$endpoint"

# The examples project in a folder the image's user owns, pointed at that simulator; the embedded store goes in
# .slipway/ beside it. The commands are the README's, with the standard AWS variables from this environment.
project="$work/project"
cp -r examples "$project"
sed -i "s#endpoint: http://127.0.0.1:[0-9]*#endpoint: $endpoint#" "$project/targets.yaml"
chown -R "$user:$user" "$project"
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIAEXAMPLEEXAMPLE00 AWS_SECRET_ACCESS_KEY=example-secret-not-used-by-the-simulator
export SHOP_DB_PASSWORD=container-smoke-test-password
project_opts=(-e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e SHOP_DB_PASSWORD -v "$project:/work" -w /work)
run "${project_opts[@]}" "$image" validate slipway.yaml
run "${project_opts[@]}" "$image" release create 1.2.0 --image web=1.2.0
run "${project_opts[@]}" "$image" deploy 1.2.0 --to dev --poll-interval 0.2
run "${project_opts[@]}" "$image" status
[[ -d "$project/.slipway" ]] || { echo "the image's deploy left no store in the mounted folder" >&2; exit 1; }
# As the README's --user "$(id -u):$(id -g)" runs it: a uid the image does not know, owning the folder.
chown -R 4242:4242 "$project"
run --user 4242:4242 "${project_opts[@]}" "$image" release create 1.1.0 --image web=1.1.0
run --user 4242:4242 "${project_opts[@]}" "$image" status
echo "container smoke test passed"
