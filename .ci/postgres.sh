#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages (if missing), starts it, creates a user and a database for the
# storage tests, and prints the URL. Idempotent: safe to run again on a machine where it already ran.
#   source <(bash .ci/postgres.sh --export)   # sets CERTIFY_TEST_POSTGRES_URL in the calling shell
#   bash .ci/postgres.sh                      # prints the URL only
set -euo pipefail

PG_USER="${CERTIFY_PG_USER:-certify}"
PG_PASSWORD="${CERTIFY_PG_PASSWORD:-certify}"
PG_DB="${CERTIFY_PG_DB:-certify_test}"
PG_PORT="${CERTIFY_PG_PORT:-5432}"

log() { echo "[postgres.sh] $*" >&2; }

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
    log "installing postgresql from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^${VERSION} main$"; then
    log "creating cluster ${VERSION}/main"
    pg_createcluster "${VERSION}" main --port "${PG_PORT}" >&2
fi
PORT="$(pg_lsclusters -h | awk -v v="${VERSION}" '$1==v && $2=="main" {print $3}')"
if ! pg_lsclusters -h | awk -v v="${VERSION}" '$1==v && $2=="main" {print $4}' | grep -q online; then
    log "starting cluster ${VERSION}/main on port ${PORT}"
    pg_ctlcluster "${VERSION}" main start >&2
fi
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "${PORT}" && break
    sleep 1
done

as_pg() { su postgres -c "psql -p ${PORT} -v ON_ERROR_STOP=1 -qtA -c \"$1\"" ; }
if [ "$(as_pg "SELECT 1 FROM pg_roles WHERE rolname='${PG_USER}'")" != "1" ]; then
    log "creating role ${PG_USER}"
    as_pg "CREATE ROLE ${PG_USER} LOGIN PASSWORD '${PG_PASSWORD}' CREATEDB" >&2
fi
# The tests drop their databases WITH (FORCE): ending an autovacuum worker busy in a fresh copy needs this role.
as_pg "GRANT pg_signal_backend TO ${PG_USER}" >&2
if [ "$(as_pg "SELECT 1 FROM pg_database WHERE datname='${PG_DB}'")" != "1" ]; then
    log "creating database ${PG_DB}"
    as_pg "CREATE DATABASE ${PG_DB} OWNER ${PG_USER} ENCODING 'UTF8' TEMPLATE template0" >&2
fi

URL="postgresql+psycopg://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${PORT}/${PG_DB}"
if [ "${1:-}" = "--export" ]; then
    echo "export CERTIFY_TEST_POSTGRES_URL='${URL}'"
else
    echo "${URL}"
fi
