#!/usr/bin/env bash
# Installs what the test suite needs beyond cargo: moto_server (PyPI `moto[server]`) for the
# live-AWS tests, the AWS CLI + boto3 used to build test accounts in it, and Debian's `chromium`
# for the browser tests of the HTML report (tests/html_report.rs), and Python's `duckdb` and
# `sqlglot` for the Athena SQL tests (tests/athena_sql.rs). Idempotent.
set -euo pipefail
need=()
command -v moto_server >/dev/null 2>&1 || need+=("moto[server]")
python3 -c 'import boto3' >/dev/null 2>&1 || need+=("boto3")
command -v aws >/dev/null 2>&1 || need+=("awscli")
python3 -c 'import duckdb' >/dev/null 2>&1 || need+=("duckdb")
python3 -c 'import sqlglot' >/dev/null 2>&1 || need+=("sqlglot")
if ((${#need[@]})); then
    echo "installing: ${need[*]}"
    python3 -m pip install --quiet --disable-pip-version-check "${need[@]}"
    # pyenv shims must see new console scripts
    command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
fi
moto_server --help >/dev/null
echo "moto_server: $(command -v moto_server)"
python3 -c 'import duckdb, sqlglot; print("duckdb", duckdb.__version__, "sqlglot", sqlglot.__version__)'
if ! command -v chromium >/dev/null 2>&1; then
    echo "installing: chromium (apt-get)"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium
fi
echo "chromium: $(command -v chromium) ($(chromium --version 2>/dev/null || echo 'version unknown'))"
