"""Confluent's own Avro, Protobuf and JSON Schema serializers (confluent-kafka from PyPI), as an independent check of the
bytes ktools reads and writes. No Kafka here: bytes travel as base64 lines, which
`kproduce --value-format binary` writes to a topic and `kconsume --value-format binary` reads.

  confluent_serde.py encode URL TOPIC SCHEMA_FILE   JSON lines (ktools' mapping) -> base64 lines
  confluent_serde.py decode URL TOPIC               base64 lines -> JSON lines (ktools' mapping)
  confluent_serde.py encode-json URL TOPIC SCHEMA_FILE, decode-json URL TOPIC
                                                    the same with the JSON Schema serializers
  confluent_serde.py check-json URL TOPIC SCHEMA_FILE
                                                    per JSON line, "ok" or "refused": whether
                                                    the JSON Schema serializer takes it
  confluent_serde.py encode-proto URL TOPIC DESCRIPTOR_SET MESSAGE, decode-proto (the same)
                                                    the same with the Protobuf serializers, for
                                                    message MESSAGE of a `protoc
                                                    --descriptor_set_out --include_imports` file;
                                                    encode writes with the subject's latest schema

ktools' JSON mapping (ktools(7), SCHEMA REGISTRY) and the Python objects Confluent's
serializers take and give are converted into each other by walking the schema, so the values
are compared exactly, as ktools prints them.
"""
import base64
import datetime
import decimal
import json
import struct
import sys
import uuid

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, SerializationError

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
PRIMS = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def collect(schema, named, ns=""):
    """Full name -> definition, for named types referred to by name."""
    if isinstance(schema, list):
        for b in schema:
            collect(b, named, ns)
    elif isinstance(schema, dict):
        t = schema.get("type")
        if t in ("record", "enum", "fixed"):
            name = schema["name"]
            space = schema.get("namespace", ns)
            full = name if "." in name or not space else space + "." + name
            named[full] = schema
            named.setdefault(name, schema)
            if t == "record":
                inner = full.rsplit(".", 1)[0] if "." in full else ""
                for f in schema["fields"]:
                    collect(f["type"], named, inner)
        elif t in ("array", "map"):
            collect(schema["items" if t == "array" else "values"], named, ns)
        elif isinstance(t, (dict, list)):
            collect(t, named, ns)


def resolve(schema, named):
    if isinstance(schema, str) and schema not in PRIMS:
        return named[schema]
    if isinstance(schema, dict) and isinstance(schema.get("type"), (dict, list)):
        return resolve(schema["type"], named)
    return schema


def type_of(schema):
    if isinstance(schema, str):
        return schema, None
    if isinstance(schema, list):
        return "union", None
    return schema["type"], schema.get("logicalType")


def fits(schema, v, named):
    t, lt = type_of(resolve(schema, named))
    checks = {
        "null": lambda: v is None,
        "boolean": lambda: isinstance(v, bool),
        "int": lambda: (isinstance(v, int) and not isinstance(v, bool)) or isinstance(v, datetime.date),
        "long": lambda: (isinstance(v, int) and not isinstance(v, bool)) or isinstance(v, datetime.datetime),
        "float": lambda: isinstance(v, float),
        "double": lambda: isinstance(v, float),
        "string": lambda: isinstance(v, (str, uuid.UUID)),
        "enum": lambda: isinstance(v, str),
        "bytes": lambda: isinstance(v, (bytes, decimal.Decimal)),
        "fixed": lambda: isinstance(v, (bytes, decimal.Decimal)),
        "record": lambda: isinstance(v, dict) and set(v) <= {f["name"] for f in resolve(schema, named)["fields"]},
        "map": lambda: isinstance(v, dict),
        "array": lambda: isinstance(v, list),
    }
    return checks.get(t, lambda: False)()


def to_kt(schema, v, named):
    """A value Confluent's deserializer gave -> ktools' JSON mapping."""
    s = resolve(schema, named)
    t, lt = type_of(s)
    if t == "union":
        for b in s:
            if fits(b, v, named):
                return to_kt(b, v, named)
        raise ValueError(f"{v!r} fits no branch of {s}")
    if v is None:
        return None
    if lt == "decimal":
        return format(v, "f")
    if lt == "date":
        return v.isoformat()
    if lt in ("timestamp-millis", "timestamp-micros"):
        delta = v - EPOCH
        micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
        return micros // 1000 if lt == "timestamp-millis" else micros
    if lt in ("time-millis", "time-micros"):
        micros = ((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000 + v.microsecond
        return micros // 1000 if lt == "time-millis" else micros
    if lt == "uuid":
        return str(v)
    if t in ("bytes", "fixed"):
        return base64.b64encode(v).decode()
    if t == "float":  # ktools prints a float's shortest text, not its double's
        v = next(float(t) for t in (f"{v:.{p}g}" for p in range(1, 10)) if f32(float(t)) == v)
    if t in ("float", "double") and v.is_integer() and abs(v) < 1e15:
        return int(v)  # as ktools prints it: 100, not 100.0
    if t == "record":
        return {f["name"]: to_kt(f["type"], v[f["name"]], named) for f in s["fields"]}
    if t == "array":
        return [to_kt(s["items"], x, named) for x in v]
    if t == "map":
        return {k: to_kt(s["values"], x, named) for k, x in v.items()}
    return v


def kt_fits(schema, v, named):
    t, lt = type_of(resolve(schema, named))
    if t == "null":
        return v is None
    if t == "boolean":
        return isinstance(v, bool)
    if t in ("int", "long"):
        return (isinstance(v, int) and not isinstance(v, bool)) or (lt == "date" and isinstance(v, str))
    if t in ("float", "double"):
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if t in ("string", "enum", "bytes", "fixed"):
        return isinstance(v, str)
    if t == "record":
        return isinstance(v, dict) and set(v) <= {f["name"] for f in resolve(schema, named)["fields"]}
    if t == "map":
        return isinstance(v, dict)
    if t == "array":
        return isinstance(v, list)
    return False


def from_kt(schema, v, named):
    """ktools' JSON mapping -> the value Confluent's serializer takes."""
    s = resolve(schema, named)
    t, lt = type_of(s)
    if t == "union":
        for b in s:
            if kt_fits(b, v, named):
                return from_kt(b, v, named)
        raise ValueError(f"{v!r} fits no branch of {s}")
    if v is None:
        return None
    if lt == "decimal":
        return decimal.Decimal(str(v))
    if lt == "date":
        return datetime.date.fromisoformat(v)
    if lt == "timestamp-millis":
        return EPOCH + datetime.timedelta(milliseconds=v)
    if lt == "timestamp-micros":
        return EPOCH + datetime.timedelta(microseconds=v)
    if lt == "uuid":
        return uuid.UUID(v)
    if t in ("bytes", "fixed"):
        return base64.b64decode(v)
    if t in ("float", "double"):
        return float(v)
    if t == "record":
        return {f["name"]: from_kt(f["type"], v[f["name"]], named) for f in s["fields"] if f["name"] in v}
    if t == "array":
        return [from_kt(s["items"], x, named) for x in v]
    if t == "map":
        return {k: from_kt(s["values"], x, named) for k, x in v.items()}
    return v


def proto_class(descriptor_set, name):
    """The message class for `name`, built from protoc's output (not from ktools' parser)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    files = descriptor_pb2.FileDescriptorSet.FromString(open(descriptor_set, "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for f in files.file:
        pool.Add(f)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(name))


def proto_modes(mode, client, ctx):
    import warnings

    from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
    from google.protobuf import json_format

    warnings.filterwarnings("ignore", category=UserWarning)  # its MessageFactory use, deprecated

    cls = proto_class(sys.argv[4], sys.argv[5])
    if mode == "encode-proto":
        conf = {"use.deprecated.format": False, "auto.register.schemas": False, "use.latest.version": True}
        ser = ProtobufSerializer(cls, client, conf)
        for line in sys.stdin:
            if line.strip():
                print(base64.b64encode(ser(json_format.Parse(line, cls()), ctx)).decode())
        return
    de = ProtobufDeserializer(cls, {"use.deprecated.format": False})
    for line in sys.stdin:
        if line.strip():
            msg = de(base64.b64decode(line), ctx)
            d = json_format.MessageToDict(msg, preserving_proto_field_name=True,
                                          including_default_value_fields=True)
            print(json.dumps(ints(d), separators=(",", ":"), ensure_ascii=False))


def ints(v):
    """Integral doubles as ktools prints them (0, not 0.0)."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    if isinstance(v, dict):
        return {k: ints(x) for k, x in v.items()}
    if isinstance(v, list):
        return [ints(x) for x in v]
    return v


def main():
    mode, url, topic = sys.argv[1:4]
    client = SchemaRegistryClient({"url": url})
    ctx = SerializationContext(topic, MessageField.VALUE)
    if mode in ("encode-proto", "decode-proto"):
        proto_modes(mode, client, ctx)
        return
    if mode == "encode-json":
        text = open(sys.argv[4]).read()
        ser = JSONSerializer(text, client, lambda obj, _ctx: obj)
        for line in sys.stdin:
            if line.strip():
                print(base64.b64encode(ser(json.loads(line), ctx)).decode())
    elif mode == "check-json":
        # Confluent's serializer's verdict on each line: "ok", or "refused" when it does not
        # validate against the schema (its SerializationError).
        text = open(sys.argv[4]).read()
        ser = JSONSerializer(text, client, lambda obj, _ctx: obj)
        for line in sys.stdin:
            if line.strip():
                try:
                    ser(json.loads(line), ctx)
                    print("ok")
                except SerializationError:
                    print("refused")
    elif mode == "decode-json":
        for line in sys.stdin:
            if not line.strip():
                continue
            raw = base64.b64decode(line)
            text = client.get_schema(int.from_bytes(raw[1:5], "big")).schema_str
            de = JSONDeserializer(text, lambda obj, _ctx: obj, client)
            print(json.dumps(de(raw, ctx), separators=(",", ":"), ensure_ascii=False))
    elif mode == "encode":
        text = open(sys.argv[4]).read()
        schema = json.loads(text)
        named = {}
        collect(schema, named)
        ser = AvroSerializer(client, text, lambda obj, _ctx: obj)
        for line in sys.stdin:
            if line.strip():
                obj = from_kt(schema, json.loads(line), named)
                print(base64.b64encode(ser(obj, ctx)).decode())
    else:
        for line in sys.stdin:
            if not line.strip():
                continue
            raw = base64.b64decode(line)
            schema_id = int.from_bytes(raw[1:5], "big")
            text = client.get_schema(schema_id).schema_str
            schema = json.loads(text)
            named = {}
            collect(schema, named)
            de = AvroDeserializer(client, text)
            print(json.dumps(to_kt(schema, de(raw, ctx), named), separators=(",", ":"), ensure_ascii=False))


if __name__ == "__main__":
    main()
