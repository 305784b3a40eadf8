#!/usr/bin/python3
"""Topic administration for the CLI tests, through kafka-python (an independent client).

  kadmin.py create TOPIC PARTITIONS [NAME=VALUE...]   create a topic with configs
  kadmin.py delete TOPIC                              delete a topic and wait until it is gone
  kadmin.py config TOPIC NAME                         print a topic config's value
  kadmin.py replicas TOPIC                            print the replication factor
  kadmin.py offsets GROUP                             print the group's committed offsets, one
                                                      "topic partition offset" per line, sorted
  kadmin.py metadata GROUP                            the same, each with its commit's metadata:
                                                      "topic partition offset metadata" (- for none)
  kadmin.py groups                                    print every group id, one per line
  kadmin.py topics                                    print every topic, one per line
  kadmin.py cluster                                   print "cluster_id controller_id", then
                                                      "node_id host port" per broker, by id
  kadmin.py allow USER PREFIX                         allow USER everything on topics, groups and
                                                      transactional ids whose names start with PREFIX
  kadmin.py marks TOPIC                               print "partition low high" per partition
  kadmin.py scan TOPIC                                read it whole; print per partition
                                                      "partition first_ts last_ts" (- when empty),
                                                      then "records tombstones distinct_keys
                                                      min_ts max_ts"
Brokers come from $KT_BROKERS.
"""
import os
import sys
import time

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic


def create_topic(admin, topic, partitions, configs=None):
    """Creates `topic` and returns once the broker's metadata shows all its partitions led.
    CreateTopics answers when the controller has the topic; a fresh broker's metadata cache may
    not show it yet, and a tool started then says the topic does not exist (seen in crash.bats on
    a broker started a moment before)."""
    admin.create_topics([NewTopic(topic, partitions, 1, topic_configs=configs or {})])
    for _ in range(300):
        md = admin.describe_topics([topic])[0]
        if md["error_code"] == 0 and len(md["partitions"]) == partitions and \
                all(p["leader"] >= 0 for p in md["partitions"]):
            return
        time.sleep(0.05)
    raise RuntimeError("topic %s: not in the broker's metadata 15 s after its creation" % topic)


def main(argv):
    admin = KafkaAdminClient(bootstrap_servers=os.environ["KT_BROKERS"], client_id="kadmin")
    cmd, topic = argv[1], (argv[2] if len(argv) > 2 else None)
    if cmd == "create":
        configs = dict(kv.split("=", 1) for kv in argv[4:])
        create_topic(admin, topic, int(argv[3]), configs)
    elif cmd == "delete":
        admin.delete_topics([topic])
        for _ in range(100):
            if topic not in admin.list_topics():
                return 0
            time.sleep(0.1)
        print("topic still listed after deletion", file=sys.stderr)
        return 1
    elif cmd == "config":
        res = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        for name, value, *_ in res[0].resources[0][4]:
            if name == argv[3]:
                print(value)
    elif cmd == "replicas":
        md = admin.describe_topics([topic])
        print(len(md[0]["partitions"][0]["replicas"]))
    elif cmd == "offsets":
        offsets = admin.list_consumer_group_offsets(topic)
        for tp in sorted(offsets, key=lambda tp: (tp.topic, tp.partition)):
            print(tp.topic, tp.partition, offsets[tp].offset)
    elif cmd == "metadata":
        offsets = admin.list_consumer_group_offsets(topic)
        for tp in sorted(offsets, key=lambda tp: (tp.topic, tp.partition)):
            print(tp.topic, tp.partition, offsets[tp].offset, offsets[tp].metadata or "-")
    elif cmd == "groups":
        for group, _ in admin.list_consumer_groups():
            print(group)
    elif cmd == "allow":
        from kafka.admin import (ACL, ACLOperation, ACLPermissionType, ACLResourcePatternType,
                                 ResourcePattern, ResourceType)
        user, prefix = argv[2], argv[3]
        acls = [ACL("User:" + user, "*", ACLOperation.ALL, ACLPermissionType.ALLOW,
                    ResourcePattern(kind, prefix, ACLResourcePatternType.PREFIXED))
                for kind in (ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)]
        result = admin.create_acls(acls)
        if result["failed"]:
            print(result["failed"], file=sys.stderr)
            return 1
    elif cmd == "cluster":
        c = admin.describe_cluster()
        print(c["cluster_id"], c["controller_id"])
        for b in sorted(c["brokers"], key=lambda b: b["node_id"]):
            print(b["node_id"], b["host"], b["port"])
    elif cmd == "topics":
        for t in sorted(admin.list_topics()):
            print(t)
    elif cmd in ("marks", "scan"):
        consumer = KafkaConsumer(bootstrap_servers=os.environ["KT_BROKERS"], client_id="kadmin",
                                 enable_auto_commit=False)
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic))]
        low, high = consumer.beginning_offsets(parts), consumer.end_offsets(parts)
        if cmd == "marks":
            for tp in parts:
                print(tp.partition, low[tp], high[tp])
            return 0
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        seen = {tp: [] for tp in parts}
        while any(consumer.position(tp) < high[tp] for tp in parts):
            for tp, msgs in consumer.poll(timeout_ms=1000).items():
                seen[tp].extend(msgs)
        everything = [m for tp in parts for m in seen[tp]]
        for tp in parts:
            ts = [m.timestamp for m in seen[tp]]
            print(tp.partition, ts[0] if ts else "-", ts[-1] if ts else "-")
        print(len(everything), sum(m.value is None for m in everything),
              len({m.key for m in everything if m.key is not None}),
              min(m.timestamp for m in everything), max(m.timestamp for m in everything))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
