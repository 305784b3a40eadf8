#!/bin/sh
# An example container entrypoint for a ktools stage, e.g.
#   docker run -e KT_BROKERS=kafka:9092 -e STAGE='ktable -i clicks -o uri_summary -G uri_summary
#     --by uri --agg count' -p 9464:9464 IMAGE
# It serves /metrics and /health/* on :9464 (a probe: GET /health/ready), logs JSON lines, and
# takes the container's host name as its static member id (stable in a StatefulSet), so a
# rescheduled copy gets its partitions back without a rebalance. The stage runs as PID 1's
# child through exec: SIGTERM reaches it and it drains; give it 90 s
# (terminationGracePeriodSeconds) before the SIGKILL.
set -eu
: "${STAGE:?set STAGE to the ktools command line to run}"
: "${XDG_STATE_HOME:=/var/lib}"  # stateful stages keep their stores in $XDG_STATE_HOME/ktools (a volume)
export XDG_STATE_HOME
# shellcheck disable=SC2086 # STAGE is a command line: split it
exec $STAGE --instance-id "$(hostname)" --http :9464 --log-format json
