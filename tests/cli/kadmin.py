#!/usr/bin/python3
"""Topic administration for the CLI tests, through kafka-python (an independent client).

  kadmin.py create TOPIC PARTITIONS [NAME=VALUE...]   create a topic with configs
  kadmin.py delete TOPIC                              delete a topic and wait until it is gone
  kadmin.py config TOPIC NAME                         print a topic config's value
  kadmin.py replicas TOPIC                            print the replication factor
  kadmin.py offsets GROUP                             print the group's committed offsets, one
                                                      "topic partition offset" per line, sorted
  kadmin.py groups                                    print every group id, one per line
Brokers come from $KT_BROKERS.
"""
import os
import sys
import time

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic


def main(argv):
    admin = KafkaAdminClient(bootstrap_servers=os.environ["KT_BROKERS"], client_id="kadmin")
    cmd, topic = argv[1], (argv[2] if len(argv) > 2 else None)
    if cmd == "create":
        configs = dict(kv.split("=", 1) for kv in argv[4:])
        admin.create_topics([NewTopic(topic, int(argv[3]), 1, topic_configs=configs)])
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
    elif cmd == "groups":
        for group, _ in admin.list_consumer_groups():
            print(group)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
