#!/usr/bin/env python3
"""Independent recomputation for kjoin's stream-stream tests.

  joins.py gen SEED N              left and right -J envelopes (two files: left.ndjson, right.ndjson)
  joins.py check TYPE BEFORE AFTER GRACE LEFT RIGHT OUT
                                   checks OUT (kjoin's output) against the join of the topics'
                                   contents (kconsume -J output files): every pair with
                                   tl - BEFORE <= tr <= tl + AFTER, exactly; for left/outer joins
                                   each record of an outer side that matched nothing, with null for
                                   the other side, once the stream time of its partition (the
                                   largest timestamp in it, both topics) has passed its window and
                                   grace, never before. Kafka Streams (and so kjoin) emits those
                                   lazily, in passes that run when a record moves stream time; a
                                   record whose window closed within 2 x (BEFORE + AFTER + GRACE)
                                   of the end may still be waiting, so it may be missing.
"""
import json
import random
import sys


def gen(seed, n):
    rnd = random.Random(seed)
    for name, tag in (("left.ndjson", "L"), ("right.ndjson", "R")):
        with open(name, "w") as f:
            for i in range(n):
                # About one record every 50 ms per side, up to 400 ms out of order.
                t = 1_000_000 + i * 50 - rnd.randrange(0, 400)
                f.write(json.dumps({"key": "k%d" % rnd.randrange(40), "value": {"id": "%s%d" % (tag, i)},
                                    "timestamp": t}) + "\n")


def load(path):
    return [json.loads(line) for line in open(path)]


def expect(kind, before, after, grace, left_path, right_path):
    left, right = load(left_path), load(right_path)
    stream_time = {}
    for r in left + right:
        stream_time[r["partition"]] = max(stream_time.get(r["partition"], r["timestamp"]), r["timestamp"])
    out = []
    matched_l, matched_r = set(), set()
    for i, l in enumerate(left):
        for j, r in enumerate(right):
            if l["key"] == r["key"] and l["timestamp"] - before <= r["timestamp"] <= l["timestamp"] + after:
                out.append([l["key"], l["value"], r["value"], max(l["timestamp"], r["timestamp"])])
                matched_l.add(i)
                matched_r.add(j)
    optional = []
    tail = 2 * (before + after + grace)
    def alone(close, end, row):
        if close < end:
            (optional if close >= end - tail else out).append(row)
    if kind in ("left", "outer"):
        for i, l in enumerate(left):
            if i not in matched_l:
                alone(l["timestamp"] + after + grace, stream_time[l["partition"]], [l["key"], l["value"], None, l["timestamp"]])
    if kind == "outer":
        for j, r in enumerate(right):
            if j not in matched_r:
                alone(r["timestamp"] + before + grace, stream_time[r["partition"]], [r["key"], None, r["value"], r["timestamp"]])
    return out, optional


def check(kind, before, after, grace, left_path, right_path, out_path):
    required, optional = expect(kind, before, after, grace, left_path, right_path)
    canon = lambda row: json.dumps(row, sort_keys=True)
    got = {}
    for r in load(out_path):
        row = canon([r["key"], r["value"]["left"], r["value"]["right"], r["timestamp"]])
        got[row] = got.get(row, 0) + 1
    bad = 0
    for row in map(canon, required):
        if got.get(row, 0) == 0:
            print("missing: " + row)
            bad += 1
        else:
            got[row] -= 1
    for row in map(canon, optional):
        if got.get(row, 0) > 0:
            got[row] -= 1
    for row, n in got.items():
        for _ in range(n):
            print("unexpected: " + row)
            bad += 1
    print("%d required, %d optional, %d wrong" % (len(required), len(optional), bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]))
    else:
        check(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7], sys.argv[8])
