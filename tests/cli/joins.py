#!/usr/bin/env python3
"""Independent recomputation for kjoin's stream-stream tests.

  joins.py gen SEED N              left and right -J envelopes (two files: left.ndjson, right.ndjson)
  joins.py expect TYPE BEFORE AFTER GRACE LEFT RIGHT
                                   the join of the topics' contents (kconsume -J output files), one
                                   [key, left, right, timestamp] per line: every pair with
                                   tl - BEFORE <= tr <= tl + AFTER; for left/outer joins each record
                                   of an outer side that matched nothing, once the stream time of its
                                   partition (the largest timestamp in it, both topics) has passed
                                   its window and grace.
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
    if kind in ("left", "outer"):
        for i, l in enumerate(left):
            if i not in matched_l and l["timestamp"] + after + grace < stream_time[l["partition"]]:
                out.append([l["key"], l["value"], None, l["timestamp"]])
    if kind == "outer":
        for j, r in enumerate(right):
            if j not in matched_r and r["timestamp"] + before + grace < stream_time[r["partition"]]:
                out.append([r["key"], None, r["value"], r["timestamp"]])
    for row in out:
        print(json.dumps(row, separators=(",", ":")))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]))
    else:
        expect(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7])
