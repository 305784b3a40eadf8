# bench/common.bash — sourced by the bench scripts. Puts the build's tools on PATH, starts a real
# Kafka broker with scripts/kafka (unless $KT_BROKERS names one; stopped on exit), makes a scratch
# dir $out and a run id $id, and defines load_clicks and measure (best of $REPEAT runs).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-1000000}
export PATH="${KT_BUILD_DIR:-$root/build}/bin:$PATH"
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (scripts/setup)"; exit 1; }
out=$(mktemp -d)
if [ -z "${KT_BROKERS:-}" ]; then
  # A broker of its own, removed with its data at the end (run-partitions leaves ~7 GB of
  # topics); one given as KT_KAFKA_RUN is only stopped.
  mine=""
  [ -z "${KT_KAFKA_RUN:-}" ] && mine=$(mktemp -d /tmp/ktools-bench-kafka.XXXXXX)
  export KT_KAFKA_RUN=${KT_KAFKA_RUN:-$mine}
  KT_BROKERS=$("$root/scripts/kafka" start)
  trap '"$root/scripts/kafka" stop; rm -rf "$out" $mine' EXIT
else
  trap 'rm -rf "$out"' EXIT
fi
export KT_BROKERS
id=$(date +%s)

# load_clicks TOPIC: N click events into TOPIC with kgen, then one untimed copy of TOPIC by a
# consumer group (kmap). The copy warms the broker (the JVM's JIT for fetch, produce and the
# group coordinator; the page cache) before the first measured run; without it, whichever run
# comes first pays for the warm-up (seen: 4.1 s for a first kmap copy, 2.9-3.1 s for the next
# ones; a warm-up with kcat, which joins no group, left half of that).
load_clicks() {
  kgen clickevents -n "$N" -o "$1" -q
  kmap -i "$1" -o "$1-warmup" -G "$1-warmup" -e -q
}

# broker_idle: before a measured run, waits (up to 30 s) until the broker's JVM has used under
# 10% of a core in each of three half-seconds in a row, so that a run does not share the two cores
# with what the runs before it left the broker to do (deleting and flushing logs, collecting
# garbage). Seen by hand on one broker: ktable on one partition 1.28-2.23 s started right after
# the previous run's topics were deleted, 1.19-1.34 s started once the broker was idle. Only for
# the broker this script started (or $KT_KAFKA_RUN's): it needs its pid.
broker_idle() {
  local pid a b calm=0 quiet=$(($(getconf CLK_TCK) / 20)) deadline=$((SECONDS + 30))
  pid=$(cat "${KT_KAFKA_RUN:-/nonexistent}/pid" 2>/dev/null) || return 0
  [ -r "/proc/$pid/stat" ] || return 0
  while [ "$calm" -lt 3 ] && [ "$SECONDS" -lt "$deadline" ]; do
    a=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    sleep 0.5
    b=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    if [ $((b - a)) -le "$quiet" ]; then calm=$((calm + 1)); else calm=0; fi
  done
}

# measure NAME RECORDS CMD... : runs CMD $REPEAT times (default 3) under GNU time, with "@R" in
# its arguments replaced by the repetition's number (each run needs its own group, output topic
# and state directory). Prints a line for the fastest run (records/s, MB/s of input values when
# $bytes is set, elapsed) with the largest peak RSS of all runs, and leaves "elapsed_s
# peak_rss_kb cpu_s" (the fastest run's user + system CPU) in "$out/NAME" for ratios. Best of several, because the broker shares the two
# cores with the tool and the machine's own speed wanders: one run can be 25 % off.
measure() {
  local name=$1 n=$2 rep t r u s best="" rss=0 cpu=0; shift 2
  for ((rep = 1; rep <= ${REPEAT:-3}; rep++)); do
    broker_idle
    /usr/bin/time -f '%e %M %U %S' -o "$out/run" "${@//@R/$rep}"
    read -r t r u s < "$out/run"
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN {exit !(a < b)}'; then
      best=$t cpu=$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')
    fi
    [ "$r" -gt "$rss" ] && rss=$r
  done
  echo "$best $rss $cpu" > "$out/$name"
  report "$name" "$n" "$best" "$rss" "$cpu"
}

# measure_pair NAME_A CMD_A NAME_B CMD_B RECORDS : like measure, for two shell command strings
# run alternately (A, B, A, B, ...), so that the broker's and the machine's drift within a run
# weighs on both alike; for side-by-side ratios (ktools against kcat).
measure_pair() {
  local na=$1 ca=$2 nb=$3 cb=$4 n=$5 rep t r
  local -A best=() rss=()
  for ((rep = 1; rep <= ${REPEAT:-3}; rep++)); do
    for side in a b; do
      local name=$na cmd=$ca
      [ "$side" = b ] && name=$nb cmd=$cb
      broker_idle
      /usr/bin/time -f '%e %M' -o "$out/run" bash -c "${cmd//@R/$rep}"
      read -r t r < "$out/run"
      if [ -z "${best[$side]:-}" ] || awk -v a="$t" -v b="${best[$side]}" 'BEGIN {exit !(a < b)}'; then best[$side]=$t; fi
      [ "$r" -gt "${rss[$side]:-0}" ] && rss[$side]=$r
    done
  done
  echo "${best[a]} ${rss[a]}" > "$out/$na"
  echo "${best[b]} ${rss[b]}" > "$out/$nb"
  report "$na" "$n" "${best[a]}" "${rss[a]}"
  report "$nb" "$n" "${best[b]}" "${rss[b]}"
}

# measure_round NAME CMD... : one run of CMD under GNU time, "@R" in its arguments replaced by
# $round; keeps in "$out/NAME" the fastest run so far ("elapsed_s peak_rss_kb cpu_s", the peak
# RSS the largest of all). For a bench that goes round all its configurations $REPEAT times
# (run-partitions), so that the machine's and the broker's drift over minutes weighs on each
# alike instead of on whichever ran last; report_best prints the line afterwards.
measure_round() {
  local name=$1 t r u s; shift
  broker_idle
  /usr/bin/time -f '%e %M %U %S' -o "$out/run" "${@//@R/$round}"
  read -r t r u s < "$out/run"
  keep_best "$name" "$t" "$r" "$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')"
}
# keep_best NAME ELAPSED_S PEAK_RSS_KB [CPU_S]: "$out/NAME" keeps the fastest run so far (with
# its CPU) and the largest peak RSS of all.
keep_best() {
  local name=$1 t=$2 r=$3 u=${4:-} bt br bc
  if [ -f "$out/$name" ]; then
    read -r bt br bc < "$out/$name"
    awk -v a="$t" -v b="$bt" 'BEGIN {exit !(a >= b)}' && t=$bt u=$bc
    [ "$br" -gt "$r" ] && r=$br
  fi
  echo "$t $r $u" > "$out/$name"
}
report_best() {  # name, records: the line of what measure_round kept
  local t r c
  read -r t r c < "$out/$1"
  report "$1" "$2" "$t" "$r" "$c"
}

report() {  # name, records, elapsed_s, peak_rss_kb[, cpu_s]
  awk -v name="$1" -v n="$2" -v t="$3" -v r="$4" -v c="${5:-}" -v b="${bytes:-}" -v total="$N" 'BEGIN {
    line = sprintf("%-46s %10.0f rec/s", name, n / t)
    if (b != "") line = line sprintf(" %7.1f MB/s", b * (n / total) / t / 1e6)
    line = sprintf("%s %7.1f MB peak RSS %7.2f s", line, r / 1024, t)
    if (c != "") line = line sprintf(" %6.2f CPU s", c)
    print line }'
}
