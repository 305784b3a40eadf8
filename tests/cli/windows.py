#!/usr/bin/env python3
"""Independent recomputation for kwindow's tests: clicks (NDJSON on stdin) per URI per
tumbling window of argv[1] ms by the `timestamp` field, as kwindow renders them."""
import calendar
import datetime
import json
import sys

size = int(sys.argv[1])
windows = {}
for line in sys.stdin:
    r = json.loads(line)
    dt = datetime.datetime.strptime(r["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ")
    ms = calendar.timegm(dt.timetuple()) * 1000 + dt.microsecond // 1000
    start = ms // size * size
    w = windows.setdefault((r["uri"], start), [0, 0])
    w[0] += 1
    w[1] += r["number"]
for (uri, start), (count, total) in windows.items():
    print(json.dumps({"key": uri, "window": {"start": start, "end": start + size},
                      "count": count, "sum_number": total}, separators=(",", ":")))
