#!/usr/bin/env bash
# Installs the Python tools the tests drive into .venv/: moto (the open-source AWS emulator), so the fidelity
# tests run the same scenarios against it and against slipway's simulator, and schemathesis, which fuzzes the
# API and the feed from their OpenAPI documents, and the AWS CLI v1, a third-party client that
# test/third-party/aws-cli.test.ts drives against both. Idempotent: a second run only checks versions.
set -euo pipefail

# Pinned so every machine tests against the same moto; moto[server] would also pull cfn-lint, docker and
# more that ECS, ELBv2, ECR, Secrets Manager and SSM never load, so only the server's web stack (flask,
# flask-cors) is added, and moto's "ssm" extra (PyYAML, which moto's SSM backend imports on load).
# Secrets Manager needs no extra.
MOTO_VERSION="5.2.5"
FLASK_VERSION="3.1.3"
FLASK_CORS_VERSION="6.0.5"
# botocore carries AWS's published API models: the service step's schema is checked against its ECS model
# (test/config/service-schema-model.test.ts), so it is pinned too — a newer model is taken on purpose.
BOTOCORE_VERSION="1.44.18"
# schemathesis shares the venv: its requirements and moto's agree (pip check), and one venv installs once.
SCHEMATHESIS_VERSION="4.32.5"
# The AWS CLI v1. No awscli release requires botocore 1.44.18: up to 1.45.x each awscli pins one botocore
# (1.45.64 pins botocore==1.43.64), so any of them would replace the pinned botocore above; from 1.46.0 awscli
# carries its own copy (awscli/botocore, which `aws --version` reports as botocore/1.43.62) and requires no
# botocore package at all. So 1.46.2 is the one that shares the venv with botocore 1.44.18 untouched (pip check
# agrees); 1.46.x releases carry the same ECS, ELBv2 and ECR models.
AWSCLI_VERSION="1.46.2"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"

say() { echo "[ensure-python-tools] $*"; }
fail() { echo "[ensure-python-tools] ERROR: $*" >&2; exit 1; }

installed_version() {
  "$venv/bin/python" - "$1" <<'PY' 2>/dev/null || true
import sys
from importlib.metadata import version, PackageNotFoundError
try:
    print(version(sys.argv[1]))
except PackageNotFoundError:
    pass
PY
}

if [[ -x "$venv/bin/moto_server" ]] &&
  [[ "$(installed_version moto)" == "$MOTO_VERSION" ]] &&
  [[ "$(installed_version botocore)" == "$BOTOCORE_VERSION" ]] &&
  [[ -n "$(installed_version pyyaml)" ]] &&
  [[ "$(installed_version flask)" == "$FLASK_VERSION" ]] &&
  [[ "$(installed_version flask-cors)" == "$FLASK_CORS_VERSION" ]] &&
  [[ "$(installed_version schemathesis)" == "$SCHEMATHESIS_VERSION" ]] &&
  [[ -x "$venv/bin/aws" ]] &&
  [[ "$(installed_version awscli)" == "$AWSCLI_VERSION" ]]; then
  say "moto $MOTO_VERSION, schemathesis $SCHEMATHESIS_VERSION and awscli $AWSCLI_VERSION already installed in .venv/"
  exit 0
fi

command -v "$python" >/dev/null 2>&1 || fail "$python not found: install Python 3 (Debian: apt-get install -y python3 python3-venv)"

if [[ ! -x "$venv/bin/python" ]]; then
  say "creating a Python virtual environment in .venv/ with $("$python" --version 2>&1)"
  "$python" -m venv "$venv" || fail "'$python -m venv' failed: on Debian install python3-venv (apt-get install -y python3-venv)"
fi

"$venv/bin/python" -m pip --version >/dev/null 2>&1 || fail ".venv/ has no pip: remove .venv/ and install python3-venv, then run this again"

say "installing moto[ssm]==$MOTO_VERSION botocore==$BOTOCORE_VERSION flask==$FLASK_VERSION flask-cors==$FLASK_CORS_VERSION schemathesis==$SCHEMATHESIS_VERSION awscli==$AWSCLI_VERSION into .venv/"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "moto[ssm]==$MOTO_VERSION" "botocore==$BOTOCORE_VERSION" "flask==$FLASK_VERSION" "flask-cors==$FLASK_CORS_VERSION" "schemathesis==$SCHEMATHESIS_VERSION" "awscli==$AWSCLI_VERSION" ||
  fail "pip could not install moto, schemathesis and awscli into .venv/"

[[ -x "$venv/bin/moto_server" ]] || fail "moto installed but .venv/bin/moto_server is missing"
[[ -x "$venv/bin/schemathesis" ]] || fail "schemathesis installed but .venv/bin/schemathesis is missing"
[[ -x "$venv/bin/aws" ]] || fail "awscli installed but .venv/bin/aws is missing"
[[ "$(installed_version botocore)" == "$BOTOCORE_VERSION" ]] || fail "botocore is $(installed_version botocore) in .venv/, not the pinned $BOTOCORE_VERSION"
say "moto $(installed_version moto) ready: $venv/bin/moto_server; schemathesis $(installed_version schemathesis): $venv/bin/schemathesis; awscli $(installed_version awscli): $venv/bin/aws"
