#!/usr/bin/env bash
# The services the tests use beside Node: PostgreSQL (the shared Store) and Redis (the job queue).
#
# Sourced by .ci/run (`. scripts/ci-services.sh`), or run by hand (`bash scripts/ci-services.sh`,
# which prints the export lines to paste). For each service:
#   - installed but not running: started (as CI starts on a fresh boot), then waited for until it answers;
#   - answering: TEST_DATABASE_URL (a throwaway database, dropped when the calling shell exits) and
#     TEST_REDIS_URL are exported for the tests;
#   - not installed: one line says so and the service's name is added to CI_SERVICES_ABSENT, which
#     tells its tests to skip even under CI=true (test/helpers/postgres.ts reads it).
# A service that is installed but cannot be started is an error: a broken CI machine, not a skip.
# TEST_DATABASE_URL / TEST_REDIS_URL already set in the environment are used as they are.

CI_SERVICES_WAIT_S=${CI_SERVICES_WAIT_S:-30}
CI_SERVICES_ABSENT=${CI_SERVICES_ABSENT:-}
CI_SERVICES_DROP_DATABASE=""

ci_services_absent() {
  echo "ci-services: $1 is not installed on this machine: its tests will be skipped."
  CI_SERVICES_ABSENT="${CI_SERVICES_ABSENT:+$CI_SERVICES_ABSENT }$1"
}

# Repeats "$@" once a second until it succeeds or CI_SERVICES_WAIT_S have passed.
ci_services_wait() {
  local what=$1
  shift
  local i
  for ((i = 0; i < CI_SERVICES_WAIT_S; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "ci-services: $what did not answer within ${CI_SERVICES_WAIT_S} s" >&2
  return 1
}

ci_services_postgres_ready() {
  psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc "SELECT 1" >/dev/null 2>&1
}

ci_services_postgres() {
  if [ -n "${TEST_DATABASE_URL:-}" ]; then
    echo "ci-services: PostgreSQL tests use the TEST_DATABASE_URL already set."
    return 0
  fi
  local versions=""
  if [ -d /etc/postgresql ]; then versions=$(ls /etc/postgresql 2>/dev/null | sort -V); fi
  if ! command -v psql >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$versions" ]; then
    ci_services_absent postgres
    return 0
  fi
  if ! ci_services_postgres_ready; then
    local version
    version=$(echo "$versions" | tail -n 1)
    echo "ci-services: starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || return 1
    ci_services_wait PostgreSQL ci_services_postgres_ready || return 1
  fi
  # A database of its own per run: parallel runs and leftovers of an earlier run never meet.
  local database="sib_ci_$$_$(date +%s)"
  psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc "CREATE DATABASE $database" >/dev/null || return 1
  CI_SERVICES_DROP_DATABASE=$database
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$database"
  echo "ci-services: PostgreSQL answers; tests use the throwaway database $database"
}

ci_services_redis_ready() {
  # Plain bash (no redis-cli needed): PING must answer +PONG.
  (
    exec 3<>/dev/tcp/127.0.0.1/6379 || exit 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 2 reply <&3 || exit 1
    [[ "$reply" == "+PONG"* ]]
  )
}

ci_services_redis() {
  if [ -n "${TEST_REDIS_URL:-}" ]; then
    echo "ci-services: Redis tests use the TEST_REDIS_URL already set."
    return 0
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    ci_services_absent redis
    return 0
  fi
  if ! ci_services_redis_ready 2>/dev/null; then
    echo "ci-services: starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || return 1
    ci_services_wait Redis ci_services_redis_ready || return 1
  fi
  export TEST_REDIS_URL="redis://127.0.0.1:6379"
  echo "ci-services: Redis answers at $TEST_REDIS_URL"
}

ci_services_cleanup() {
  if [ -n "$CI_SERVICES_DROP_DATABASE" ]; then
    psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc \
      "DROP DATABASE IF EXISTS $CI_SERVICES_DROP_DATABASE WITH (FORCE)" >/dev/null 2>&1 || true
    CI_SERVICES_DROP_DATABASE=""
  fi
}

ci_services_start() {
  ci_services_postgres || return 1
  ci_services_redis || return 1
  export CI_SERVICES_ABSENT
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # Run by hand: start what is installed and print what to export (the database is kept).
  set -euo pipefail
  ci_services_start
  echo "export TEST_DATABASE_URL=${TEST_DATABASE_URL:-} TEST_REDIS_URL=${TEST_REDIS_URL:-} CI_SERVICES_ABSENT=\"$CI_SERVICES_ABSENT\""
else
  ci_services_start || return 1
  trap ci_services_cleanup EXIT
fi
