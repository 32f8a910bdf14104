#!/usr/bin/env bash
# Stop the local PostgreSQL cluster started by run.sh / test.sh (the data stays).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
stop_replica   # the streaming replica of tests/replica_check.py, when there is one
stop_postgres
say "PostgreSQL stopped; the data stays in $PGDATA"
