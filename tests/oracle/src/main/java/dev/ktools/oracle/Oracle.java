// The Kafka Streams side of ktools' differential tests: runs one join or window topology, the
// way kjoin or kwindow would run it, over topics that are already written, and exits once every
// input record has been processed and its outputs written.
//
//   Oracle BROKERS APP_ID join-stream  inner|left|outer LEFT RIGHT OUT BEFORE_MS AFTER_MS GRACE_MS
//   Oracle BROKERS APP_ID join-table   inner|left       LEFT RIGHT OUT
//   Oracle BROKERS APP_ID join-tables  inner|left|outer LEFT RIGHT OUT
//   Oracle BROKERS APP_ID join-global  inner|left       LEFT TABLE OUT FIELD
//   Oracle BROKERS APP_ID window tumbling|hopping|sliding|session IN OUT SIZE_MS STEP_MS GRACE_MS update|final
//   Oracle BROKERS APP_ID group-sum IN OUT BY_FIELD SUM_FIELD nocache|defaults [EXPECT]
//
// group-sum is bench/run-partitions' peer of `ktable --by BY --agg count --agg 'sum(SUM)'`:
// groupBy a top-level field (through a repartition topic), count and sum in a RocksDB store,
// every update written as {"count":..,"sum_SUM":..}. `nocache` runs it with the settings below
// but RocksDB stores; `defaults` with Kafka Streams' own (a 10 MB record cache), except the
// commit interval, which is ktools' 5 s instead of 30 s. With EXPECT (nocache: one update per
// input record), it exits as soon as OUT holds EXPECT records, without closing: the time the bench
// gives ktools too, every output visible at the broker (see awaitOutputs).
//
// Values are JSON text. A join writes {"left":L,"right":R} (kjoin's default output); a window
// writes kwindow's record for --agg count --agg 'sum(n)': key "<key>@<start>/<end>", value
// {"key":..,"window":{"start":..,"end":..},"count":..,"sum_n":..}, null when a session merged away.
//
// Settings that make Kafka Streams' output a function of its input: no record caches
// (statestore.cache.max.bytes=0: every update is forwarded), in-memory stores, max.task.idle.ms=0
// (as kjoin's --max-idle 0), and the outer-join spurious-results throttle off (emit interval 0), so
// held left/outer results are released by stream time only, never by the wall clock.
package dev.ktools.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.ValueJoiner;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.TimeWindowedSerializer;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.kstream.internals.WindowedStreamPartitioner;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;

public final class Oracle {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ValueJoiner<String, String, String> PAIR =
      (l, r) -> "{\"left\":" + (l == null ? "null" : l) + ",\"right\":" + (r == null ? "null" : r) + "}";

  public static void main(String[] args) throws Exception {
    if (args.length < 4) throw new IllegalArgumentException("usage: see Oracle.java");
    String brokers = args[0], app = args[1], kind = args[2];
    StreamsBuilder b = new StreamsBuilder();
    Set<String> inputs = new HashSet<>();
    String expectTopic = null;
    long expect = 0;
    switch (kind) {
      case "join-stream" -> {
        String type = args[3], left = args[4], right = args[5], out = args[6];
        long before = Long.parseLong(args[7]), after = Long.parseLong(args[8]), grace = Long.parseLong(args[9]);
        JoinWindows w = JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(before), Duration.ofMillis(grace))
            .before(Duration.ofMillis(before)).after(Duration.ofMillis(after));
        KStream<String, String> l = b.stream(left), r = b.stream(right);
        StreamJoined<String, String, String> sj = StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String());
        KStream<String, String> j = switch (type) {
          case "inner" -> l.join(r, PAIR, w, sj);
          case "left" -> l.leftJoin(r, PAIR, w, sj);
          default -> l.outerJoin(r, PAIR, w, sj);
        };
        j.to(out);
        inputs.add(left);
        inputs.add(right);
      }
      case "join-table" -> {
        String type = args[3], left = args[4], right = args[5], out = args[6];
        KStream<String, String> l = b.stream(left);
        KTable<String, String> t = b.table(right);
        (type.equals("inner") ? l.join(t, PAIR) : l.leftJoin(t, PAIR)).to(out);
        inputs.add(left);
        inputs.add(right);
      }
      case "join-tables" -> {
        String type = args[3], left = args[4], right = args[5], out = args[6];
        KTable<String, String> l = b.table(left), r = b.table(right);
        KTable<String, String> j = switch (type) {
          case "inner" -> l.join(r, PAIR);
          case "left" -> l.leftJoin(r, PAIR);
          default -> l.outerJoin(r, PAIR);
        };
        j.toStream().to(out);
        inputs.add(left);
        inputs.add(right);
      }
      case "join-global" -> {
        String type = args[3], left = args[4], table = args[5], out = args[6], field = args[7];
        KStream<String, String> l = b.stream(left);
        GlobalKTable<String, String> g = b.globalTable(table);
        (type.equals("inner") ? l.join(g, (k, v) -> field(v, field), PAIR)
                              : l.leftJoin(g, (k, v) -> field(v, field), PAIR)).to(out);
        inputs.add(left);
      }
      case "window" -> {
        String type = args[3], in = args[4], out = args[5];
        long size = Long.parseLong(args[6]), step = Long.parseLong(args[7]), grace = Long.parseLong(args[8]);
        boolean fin = args[9].equals("final");
        window(b, type, in, out, Duration.ofMillis(size), Duration.ofMillis(step), Duration.ofMillis(grace), fin);
        inputs.add(in);
      }
      case "group-sum" -> {
        String in = args[3], out = args[4], by = args[5], sum = args[6];
        if (args.length > 8) {
          expectTopic = out;
          expect = Long.parseLong(args[8]);
        }
        b.<String, String>stream(in)
            .groupBy((k, v) -> field(v, by))
            .aggregate(() -> "0,0", (k, v, agg) -> addField(v, sum, agg),
                       Materialized.with(Serdes.String(), Serdes.String()))
            .toStream()
            .mapValues(agg -> {
              String[] a = agg.split(",");
              return "{\"count\":" + a[0] + ",\"sum_" + sum + "\":" + a[1] + "}";
            })
            .to(out, Produced.with(Serdes.String(), Serdes.String()));
        inputs.add(in);
      }
      default -> throw new IllegalArgumentException("unknown topology " + kind);
    }
    boolean bench = kind.equals("group-sum"), defaults = bench && args[7].equals("defaults");

    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    if (!defaults) p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, bench ? 5000 : 100);
    if (!bench) {
      p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0);
      p.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
    }
    Path stateDir = Files.createTempDirectory("ktools-oracle");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put("__emit.interval.ms.kstreams.outer.join.spurious.results.fix__", 0L);
    p.put("auto.offset.reset", "earliest");
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);

    try (KafkaStreams streams = new KafkaStreams(b.build(), p); Admin admin = Admin.create(adminProps(brokers))) {
      streams.setUncaughtExceptionHandler(e -> {
        e.printStackTrace();
        System.exit(1);
        return null;
      });
      streams.start();
      if (expect > 0) {
        awaitOutputs(admin, expectTopic, expect);
        deleteTree(stateDir);
        Runtime.getRuntime().halt(0);
      }
      awaitProcessed(admin, app, inputs);
      streams.close(Duration.ofSeconds(30));
    }
    deleteTree(stateDir);
  }

  // A run's state directory goes with it: Kafka Streams keeps it for a restart, which no oracle
  // run makes (tests and bench would leave one in /tmp a run).
  static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      System.err.println("oracle: cannot remove " + dir + ": " + e.getMessage());
    }
  }

  private static Properties adminProps(String brokers) {
    Properties p = new Properties();
    p.put("bootstrap.servers", brokers);
    return p;
  }

  // The top-level string field `name` of a JSON value, as kjoin --on NAME reads it; null otherwise.
  static String field(String value, String name) {
    try {
      JsonNode n = JSON.readTree(value).get(name);
      return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    } catch (Exception e) {
      return null;
    }
  }

  private static void window(StreamsBuilder b, String type, String in, String out, Duration size, Duration step,
                             Duration grace, boolean fin) {
    KGroupedStream<String, String> g = b.<String, String>stream(in).groupByKey();
    KTable<Windowed<String>, String> t = switch (type) {
      case "tumbling" -> g.windowedBy(TimeWindows.ofSizeAndGrace(size, grace)).aggregate(() -> "0,0", Oracle::add, windows());
      case "hopping" -> g.windowedBy(TimeWindows.ofSizeAndGrace(size, grace).advanceBy(step))
          .aggregate(() -> "0,0", Oracle::add, windows());
      case "sliding" -> g.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(size, grace))
          .aggregate(() -> "0,0", Oracle::add, windows());
      case "session" -> g.windowedBy(SessionWindows.ofInactivityGapAndGrace(size, grace))
          .aggregate(() -> "0,0", Oracle::add, (k, a1, a2) -> merge(a1, a2),
                     Materialized.<String, String, SessionStore<Bytes, byte[]>>with(Serdes.String(), Serdes.String()));
      default -> throw new IllegalArgumentException("unknown window " + type);
    };
    if (fin) t = t.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()));
    // Each window's record in its group key's partition, by Kafka Streams' own partitioner for
    // windowed keys (what .to() uses for one); the key is rendered as "key@start/end" before.
    WindowedStreamPartitioner<String, String> byGroupKey =
        new WindowedStreamPartitioner<>(new TimeWindowedSerializer<>(Serdes.String().serializer()));
    t.toStream()
        .map((wk, agg) -> KeyValue.pair(wk.key() + "@" + wk.window().start() + "/" + wk.window().end(),
                                        agg == null ? null : render(wk, agg)))
        .to(out, Produced.with(Serdes.String(), Serdes.String()).withStreamPartitioner(
            (topic, key, value, n) -> byGroupKey.partition(
                topic, new Windowed<>(key.substring(0, key.lastIndexOf('@')), new TimeWindow(0, 1)), value, n)));
  }

  // String keys and aggregates, so that suppress() can buffer the windowed keys.
  private static Materialized<String, String, WindowStore<Bytes, byte[]>> windows() {
    return Materialized.<String, String, WindowStore<Bytes, byte[]>>with(Serdes.String(), Serdes.String());
  }

  // An aggregate "count,sum" with one more record of value {"n":..}.
  static String add(String key, String value, String agg) {
    String[] a = agg.split(",");
    long n = 0;
    try {
      JsonNode v = JSON.readTree(value).get("n");
      if (v != null && v.isNumber()) n = v.asLong();
    } catch (Exception e) {
      // not JSON: counted, adds nothing (the tests write JSON only)
    }
    return (Long.parseLong(a[0]) + 1) + "," + (Long.parseLong(a[1]) + n);
  }

  // An aggregate "count,sum" with one more record, adding its top-level number field `name`.
  static String addField(String value, String name, String agg) {
    String[] a = agg.split(",");
    long n = 0;
    try {
      JsonNode v = JSON.readTree(value).get(name);
      if (v != null && v.isNumber()) n = v.asLong();
    } catch (Exception e) {
      // not JSON: counted, adds nothing
    }
    return (Long.parseLong(a[0]) + 1) + "," + (Long.parseLong(a[1]) + n);
  }

  static String merge(String a1, String a2) {
    String[] a = a1.split(","), c = a2.split(",");
    return (Long.parseLong(a[0]) + Long.parseLong(c[0])) + "," + (Long.parseLong(a[1]) + Long.parseLong(c[1]));
  }

  static String render(Windowed<String> wk, String agg) {
    String[] a = agg.split(",");
    return "{\"key\":" + JSON.valueToTree(wk.key()).toString() + ",\"window\":{\"start\":" + wk.window().start()
        + ",\"end\":" + wk.window().end() + "},\"count\":" + a[0] + ",\"sum_n\":" + a[1] + "}";
  }

  // Returns once `topic` holds `expect` records (its partitions' end offsets add up to that),
  // polled every 20 ms. awaitProcessed waits for committed offsets instead, so its end falls on a
  // commit: with the bench's 5 s commit interval, the same run took 11.7 s or 16.7 s.
  private static void awaitOutputs(Admin admin, String topic, long expect) throws Exception {
    long deadline = System.currentTimeMillis() + 300_000;
    while (true) {
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("the oracle did not finish in 5 min");
      try {
        int n = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (int i = 0; i < n; ++i) ask.put(new TopicPartition(topic, i), OffsetSpec.latest());
        long total = 0;
        for (ListOffsetsResult.ListOffsetsResultInfo end : admin.listOffsets(ask).all().get().values())
          total += end.offset();
        if (total >= expect) return;
      } catch (ExecutionException e) {
        // the output topic is not made yet (its first record makes it)
      }
      Thread.sleep(20);
    }
  }

  // Returns once the application's committed offsets have reached the end of every partition it
  // reads (its inputs, and its own repartition topics), twice in a row: Kafka Streams commits an
  // offset only after the outputs of the records before it are acknowledged.
  private static void awaitProcessed(Admin admin, String app, Set<String> inputs) throws Exception {
    int stable = 0;
    long deadline = System.currentTimeMillis() + 300_000;
    while (stable < 2) {
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("the oracle did not finish in 5 min");
      Thread.sleep(300);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(app).partitionsToOffsetAndMetadata().get();
      Set<String> read = committed.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
      if (!read.containsAll(inputs)) {
        stable = 0;
        continue;
      }
      Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
      for (String topic : read) {
        int n = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
        for (int i = 0; i < n; ++i) ask.put(new TopicPartition(topic, i), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(ask).all().get();
      boolean done = true;
      for (var e : ends.entrySet()) {
        if (e.getValue().offset() == 0) continue;
        OffsetAndMetadata c = committed.get(e.getKey());
        if (c == null || c.offset() < e.getValue().offset()) done = false;
      }
      stable = done ? stable + 1 : 0;
    }
  }
}
