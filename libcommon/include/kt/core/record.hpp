// Records as tools see them: views valid only while the Runner processes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kt/core/json.hpp"
#include "kt/core/status.hpp"

namespace kt {

struct Header {
  std::string_view name;
  std::optional<std::string_view> value;  // nullopt: a header with a null value
};
using Headers = std::vector<Header>;

struct Origin;  // core/origin.hpp

// Makes the text of a value whose Source built only its document (Record::value_text_from).
class ValueTextMaker {
 public:
  virtual ~ValueTextMaker() = default;
  // wire -> the text the Source would have made; *text views `wire` or *scratch.
  virtual Status Text(std::string_view wire, std::string* scratch, std::string_view* text) const = 0;
};

// One input record. All views point into memory owned by the Source and are valid only until
// the Source's next Next() call; a Transform that keeps anything copies it.
struct Record {
  // "Text" forms, as the key/value codecs present them (JSON text for `json`, the bytes for
  // `raw`, base64 for `binary`). nullopt = null key / tombstone.
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
  // The bytes exactly as they were on Kafka (or on the input line): what a dead letter carries.
  std::optional<std::string_view> wire_key;
  std::optional<std::string_view> wire_value;
  // The wire value's whole size when `wire_value` holds only its first bytes (a line longer
  // than the input reader keeps); -1 when it is whole. A dead letter's kt.truncated gives it.
  int64_t wire_value_size = -1;
  int64_t timestamp = -1;            // ms since epoch; -1 unknown
  const Headers* headers = nullptr;  // never null once produced by a Source
  std::string_view topic;            // source topic ("" when unknown, e.g. bare stdin lines)
  int input = 0;                     // which of the tool's inputs (kjoin: 0 left, 1 right)
  int32_t partition = -1;
  int64_t offset = -1;
  // One of several records packed into the Kafka message at `offset` (core/record_pack.hpp),
  // not its last: the offset is not done when this record is; once it is, `packed_index` + 1
  // records of the message are (TopicPartitionOffset::packed_done).
  bool more_at_offset = false;
  int32_t packed_index = 0;        // its place among the message's records
  int64_t line = 0;                // input line number when read from a file or stdin, else 0
  const Origin* origin = nullptr;  // set for records of a repartition topic (core/origin.hpp)
  // The Source also built `value`'s document, into the target it was given
  // (Source::BuildValueDocuments): the Runner does not parse the text again.
  bool value_document = false;
  // Non-null: the Source built only `value`'s document and left its text unmade (`value` is
  // an empty view into `wire_value`); this makes it from `wire_value`. Set only when the Runner
  // asked for it: its Transform reads values as documents and passes them on unchanged
  // (Transform::PassesValuesThrough), to a Sink that makes their text when it needs it.
  const ValueTextMaker* value_text_from = nullptr;

  // Where the record came from, for error messages: "line 17" or
  // "topic clicks partition 0 offset 1234".
  std::string Where() const;
};

// What a Transform emits. Views must stay valid until Emitter::Emit returns.
struct OutRecord {
  enum class ValueKind { kNull, kText, kJson };

  std::optional<std::string_view> key;  // text form for the output key codec
  ValueKind value_kind = ValueKind::kNull;
  std::string_view value_text;                   // kText: text form for the value codec
  const rapidjson::Value* value_json = nullptr;  // kJson
  const RawNumbers* raw_numbers = nullptr;       // kJson: exact texts of its numbers (the Runner sets it)
  int64_t timestamp = -1;                        // -1: let the broker/sink choose
  const Headers* headers = nullptr;              // may be null
  std::string_view topic;                        // empty: the tool's output (-o)
  int32_t partition = -1;                        // -1: partitioner decides
  // With partition -1: the key whose partition of the tool's output (-o) the record goes to, when
  // not its own key's. A window's record goes to its group key's partition, as Kafka Streams'
  // WindowedStreamPartitioner puts it: every window of a key in the key's partition. Encoded with
  // the output's key codec, then murmur2 like a key; other topics and stdout ignore it.
  std::optional<std::string_view> partition_key;
  // key/value_text are bytes to send as they are, bypassing codecs (dead letters).
  bool wire = false;
  // A record of the tool's own bookkeeping (changelog, repartition topic): always goes to Kafka,
  // even when the tool's output is stdout.
  bool internal = false;
  // Provenance, printed in -J envelopes when known.
  std::string_view source_topic;
  int32_t source_partition = -1;
  int64_t source_offset = -1;

  // From only: the input's value as it was on the wire, and the text it was decoded to. While
  // value_text still views that text, a sink may send those bytes instead of encoding the text
  // again (a registry codec, when the writer schema is the one the bytes name).
  std::optional<std::string_view> input_wire_value;
  std::string_view input_value_text;
  const ValueTextMaker* input_value_text_from = nullptr;  // Record::value_text_from
  bool ValueIsInputs() const {
    return input_wire_value && value_kind == ValueKind::kText &&
           value_text.data() == input_value_text.data() && value_text.size() == input_value_text.size();
  }

  // value_text (kText), made first from input_wire_value when the Source left it unmade
  // (input_value_text_from). *text views value_text, the input's bytes or *scratch.
  Status Text(std::string* scratch, std::string_view* text) const;
  // The input record passed through unchanged (same key, value text, timestamp, headers); a
  // record of a repartition topic gets its original key back (Origin).
  static OutRecord From(const Record& in);
};

}  // namespace kt
