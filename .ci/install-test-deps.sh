#!/usr/bin/env bash
# Installs what the test suite needs beyond cargo: moto_server (PyPI `moto[server]`) for the
# live-AWS tests, and the AWS CLI + boto3 used to build test accounts in it. Idempotent.
set -euo pipefail
need=()
command -v moto_server >/dev/null 2>&1 || need+=("moto[server]")
python3 -c 'import boto3' >/dev/null 2>&1 || need+=("boto3")
command -v aws >/dev/null 2>&1 || need+=("awscli")
if ((${#need[@]})); then
    echo "installing: ${need[*]}"
    python3 -m pip install --quiet --disable-pip-version-check "${need[@]}"
    # pyenv shims must see new console scripts
    command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
fi
moto_server --help >/dev/null
echo "moto_server: $(command -v moto_server)"
