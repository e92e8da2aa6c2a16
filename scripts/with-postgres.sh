#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL server: finds Debian's PostgreSQL binaries, creates a cluster in a
# temporary directory, starts it on 127.0.0.1 at a free port (its socket in that directory too, so it never meets
# a system server), creates a database, exports NEWSDESK_TEST_DATABASE_URL, runs the command, and on exit (however
# it exits) stops the server and removes the cluster. PostgreSQL refuses to run as root: as root, the cluster is
# made and run as the `postgres` user (runuser), the temporary directory being given to it.
#
#   scripts/with-postgres.sh npm test          (what `npm run test:pg` runs)
#   scripts/with-postgres.sh bash              (a shell with NEWSDESK_TEST_DATABASE_URL set)
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 <command...>   (runs the command with NEWSDESK_TEST_DATABASE_URL pointing at a throw-away PostgreSQL)" >&2
  exit 2
fi

# The newest PostgreSQL installed by Debian's packages (postgresql-NN), or one on PATH.
bindir=""
for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then bindir="$dir"; break; fi
done
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then bindir="$(dirname "$(command -v initdb)")"; fi
if [ -z "$bindir" ]; then
  echo "with-postgres: no PostgreSQL found (looked in /usr/lib/postgresql/*/bin and PATH). Install it: apt-get install postgresql" >&2
  exit 1
fi

as_owner=()
tmp="$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-pg.XXXXXX")"
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with-postgres: running as root, and there is no postgres user to run the server as (PostgreSQL refuses root)." >&2
    rm -rf "$tmp"
    exit 1
  fi
  chown postgres: "$tmp"
  as_owner=(runuser -u postgres --)
fi

cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port: bound by the kernel (port 0), released, then taken by the server a moment later.
port="$(node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"

"${as_owner[@]}" "$bindir/initdb" -D "$tmp/data" -U postgres --auth=trust --encoding=UTF8 --no-sync >"$tmp/initdb.log" 2>&1 || {
  cat "$tmp/initdb.log" >&2
  exit 1
}
# fsync off: a throw-away cluster need not survive a power cut, and tests then do not wait on the disk.
"${as_owner[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || {
  cat "$tmp/server.log" >&2
  exit 1
}
"${as_owner[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres newsdesk_test

export NEWSDESK_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/newsdesk_test"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (NEWSDESK_TEST_DATABASE_URL=$NEWSDESK_TEST_DATABASE_URL)" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
