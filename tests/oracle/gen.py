#!/usr/bin/env python3
"""Seeded inputs for the differential tests against Kafka Streams (kconsume/kproduce -J envelopes).

  gen.py join SEED N     left.ndjson, right.ndjson: N records a side, 12 keys, about one record
                         every 50 ms a side, up to 400 ms out of order, a few late ones (2-6 s
                         behind), some null keys and, on both sides, some null values (tombstones
                         for a table, dropped records for a stream); values {"id":..,"email":..}
                         with a unique id, and an e-mail for --global lookups (missing in a few)
  gen.py window SEED N   in.ndjson: N records, 6 keys, values {"n":..}, up to 3 s out of order, a few
                         late ones (15-40 s behind)
"""
import json
import random
import sys


def envelope(key, value, t):
    return json.dumps({"key": key, "value": value, "timestamp": t}, separators=(",", ":"))


def join(rnd, n):
    for name, tag in (("left.ndjson", "L"), ("right.ndjson", "R")):
        with open(name, "w") as f:
            for i in range(n):
                t = 1_000_000 + i * 50 - rnd.randrange(0, 400)
                if rnd.random() < 0.03:
                    t -= rnd.randrange(2000, 6000)
                key = None if rnd.random() < 0.03 else "k%d" % rnd.randrange(12)
                value = None if rnd.random() < 0.05 else {"id": "%s%d" % (tag, i), "email": "u%d@x" % rnd.randrange(8)}
                if value and rnd.random() < 0.05:
                    del value["email"]  # a null --on lookup key
                f.write(envelope(key, value, t) + "\n")


def window(rnd, n):
    with open("in.ndjson", "w") as f:
        for i in range(n):
            t = 1_000_000 + i * 200 - rnd.randrange(0, 3000)
            if rnd.random() < 0.03:
                t -= rnd.randrange(15000, 40000)
            f.write(envelope("k%d" % rnd.randrange(6), {"n": rnd.randrange(100)}, t) + "\n")


if __name__ == "__main__":
    {"join": join, "window": window}[sys.argv[1]](random.Random(int(sys.argv[2])), int(sys.argv[3]))
