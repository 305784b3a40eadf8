#!/usr/bin/python3
"""Reads a Prometheus text exposition from stdin with prometheus_client's parser (an independent
one) and prints the sum of the samples of METRIC whose labels match every LABEL=VALUE given;
"none" when there are none. Exits 1 when the text does not parse."""
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    metric, wanted = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
    total, seen = 0.0, False
    for family in text_string_to_metric_families(sys.stdin.read()):
        for sample in family.samples:
            if sample.name != metric:
                continue
            if all(sample.labels.get(k) == v for k, v in wanted.items()):
                total += sample.value
                seen = True
    if not seen:
        print("none")
    elif total == int(total):
        print(int(total))
    else:
        print(total)


if __name__ == "__main__":
    main()
