#!/usr/bin/env python3
"""Compares ktools' output topic with the Kafka Streams oracle's (both as kconsume -J dumps).

  compare.py [--spurious] KTOOLS ORACLE

Records must be identical: keys, values (as JSON), timestamps, their order per key (a key's
records are in one partition, in the order they were produced), and the partition each key is in
(both topics have as many partitions; a window's record is in its group key's partition, by Kafka
Streams' WindowedStreamPartitioner). Null-key records, whose partition is arbitrary, are compared
as a multiset.

--spurious normalises the one documented difference of stream-stream left/outer joins
(SEMANTICS.md, "Joins"): Kafka Streams emits (l, null) at once for an out-of-order left record
whose window end is already behind stream time, even when a later right record within the grace
joins it; kjoin emits (l, null) only once the window and grace have passed, and only if nothing
joined. So with --spurious a (l, null) of the oracle is dropped when the oracle also joined that
l (the same left value, unique in the tests) with a right value, likewise (null, r) for outer
joins; and since the two emit a record's (l, null) at different points of the stream, a key's
unmatched records are compared as a set (values and timestamps still exact), its pairs in order.
"""
import json
import sys
from collections import defaultdict


def load(path):
    per_key, partitions = defaultdict(list), defaultdict(set)
    for line in open(path):
        r = json.loads(line)
        per_key[r.get("key")].append([r.get("value"), r["timestamp"]])
        partitions[r.get("key")].add(r["partition"])
    return per_key, partitions


def drop_spurious(records):
    canon = lambda v: json.dumps(v, sort_keys=True)
    joined_l = {canon(v["left"]) for v, _ in records if v and v.get("left") is not None and v.get("right") is not None}
    joined_r = {canon(v["right"]) for v, _ in records if v and v.get("left") is not None and v.get("right") is not None}
    out = []
    for v, t in records:
        if v and v.get("right") is None and v.get("left") is not None and canon(v["left"]) in joined_l:
            continue
        if v and v.get("left") is None and v.get("right") is not None and canon(v["right"]) in joined_r:
            continue
        out.append([v, t])
    return out


def main():
    args = sys.argv[1:]
    spurious = args[0] == "--spurious"
    if spurious:
        args = args[1:]
    (ours, ours_at), (theirs, theirs_at) = load(args[0]), load(args[1])
    bad = 0
    for key in sorted(set(ours) | set(theirs), key=lambda k: (k is None, k or "")):
        a, b = ours.get(key, []), theirs.get(key, [])
        if spurious:
            b = drop_spurious(b)
            alone = lambda r: r[0] is not None and (r[0].get("left") is None or r[0].get("right") is None)
            a = [r for r in a if not alone(r)] + sorted((r for r in a if alone(r)), key=json.dumps)
            b = [r for r in b if not alone(r)] + sorted((r for r in b if alone(r)), key=json.dumps)
        if key is None:
            a, b = sorted(a, key=json.dumps), sorted(b, key=json.dumps)
        elif ours_at.get(key, set()) != theirs_at.get(key, set()):
            bad += 1
            print("key %r: ktools in partitions %s, Kafka Streams in %s"
                  % (key, sorted(ours_at.get(key, set())), sorted(theirs_at.get(key, set()))))
            continue
        if a != b:
            bad += 1
            print("key %r: ktools %d records, Kafka Streams %d" % (key, len(a), len(b)))
            for i in range(max(len(a), len(b))):
                x = a[i] if i < len(a) else None
                y = b[i] if i < len(b) else None
                mark = "  " if x == y else "!="
                print("  %s ktools %s | kstreams %s" % (mark, json.dumps(x), json.dumps(y)))
    total = sum(len(v) for v in ours.values())
    if bad:
        print("%d keys differ (%d ktools records)" % (bad, total))
        sys.exit(1)
    print("identical: %d records, %d keys" % (total, len(ours)))


if __name__ == "__main__":
    main()
