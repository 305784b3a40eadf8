#!/usr/bin/env python3
"""A static group member (group.instance.id "x") of an independent client, for http.bats and
kgroup.bats.

usage: static_member.py BROKERS GROUP TOPIC MODE LOG
MODE "die": it exits inside its first revoke callback, so it never joins for the cooperative
rebalance's second round, as a copy killed at that moment. MODE "hold": it takes the place of
the one that died (same instance id) and holds what the group stored for it. Each assignment
and revocation of partitions is appended to LOG as "assigned P..." / "revoked P...". Nothing
is committed. MODE "join": a dynamic member (no instance id) that holds what it is given.
"""
import os
import sys

from confluent_kafka import Consumer

brokers, group, topic, mode, log = sys.argv[1:6]


def note(what, parts):
    with open(log, "a") as f:
        f.write(what + " " + " ".join(str(p.partition) for p in parts) + "\n")


def on_assign(consumer, parts):
    if parts:  # a cooperative round that moved nothing here is not noted
        note("assigned", parts)


def on_revoke(consumer, parts):
    if parts:
        note("revoked", parts)
    if mode == "die" and parts:
        os._exit(0)


conf = {"bootstrap.servers": brokers, "group.id": group, "partition.assignment.strategy": "cooperative-sticky",
        "session.timeout.ms": 30000, "enable.auto.commit": False}
if mode != "join":
    conf["group.instance.id"] = "x"
c = Consumer(conf)
c.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
while True:
    c.poll(0.1)
