#include "kt/codec/protobuf_schema.hpp"

#include <google/protobuf/compiler/parser.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <mutex>
#include <set>

#include "kt/codec/base64.hpp"
#include "protobuf_json.hpp"

namespace kt::proto {

namespace pb = google::protobuf;

struct Schema::Impl {
  pb::DescriptorPool pool;
  const pb::FileDescriptor* file = nullptr;
  const pb::Descriptor* first = nullptr;
  mutable pb::DynamicMessageFactory factory{&pool};  // GetPrototype is thread-safe
  // The well-known types' JSON, both ways (libprotobuf's converter). Made once: its
  // MessageToJsonString and JsonStringToMessage make one per call.
  std::unique_ptr<pb::util::TypeResolver> resolver;
  std::unique_ptr<WireLayouts> layouts;  // the file's message types, for decoding from the wire
};

namespace {

// The first error the .proto parser reports, with its line and column (1-based).
class FirstParseError : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    if (text.empty())
      text = "line " + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
  }
  std::string text;
};

// The first error building descriptors reports (an unknown type, a duplicate field number, ...).
class FirstBuildError : public pb::DescriptorPool::ErrorCollector {
 public:
  void AddError(const std::string&, const std::string& element, const pb::Message*, ErrorLocation,
                const std::string& message) override {
    if (text.empty()) text = element.empty() ? message : element + ": " + message;
  }
  std::string text;
};

// Adds a well-known type's file (and what it imports) to `pool`, from the descriptors linked into
// libprotobuf. False when `name` is not one.
bool AddBuiltIn(const std::string& name, pb::DescriptorPool* pool, std::set<std::string>* added) {
  if (added->count(name)) return true;
  const pb::FileDescriptor* f = pb::DescriptorPool::generated_pool()->FindFileByName(name);
  if (!f) return false;
  for (int i = 0; i < f->dependency_count(); ++i) AddBuiltIn(f->dependency(i)->name(), pool, added);
  pb::FileDescriptorProto proto;
  f->CopyTo(&proto);
  added->insert(name);
  return pool->BuildFile(proto) != nullptr;
}

Status ParseProtoText(std::string_view text, const std::string& origin, pb::FileDescriptorProto* out) {
  pb::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  FirstParseError errors;
  pb::io::Tokenizer tokenizer(&input, &errors);
  pb::compiler::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.Parse(&tokenizer, out) || !errors.text.empty())
    return Status::InvalidArgument(
        origin + ": not a .proto schema: " + (errors.text.empty() ? "cannot parse" : errors.text));
  return Status::Ok();
}

// Confluent's Python serializer registers a schema as the base64 of a FileDescriptorProto.
bool ParseSerialized(std::string_view text, pb::FileDescriptorProto* out) {
  if (text.find_first_of("{;") != std::string_view::npos) return false;
  std::string bytes;
  if (!Base64Decode(text, &bytes).ok()) return false;
  return out->ParseFromString(bytes) && out->message_type_size() > 0;
}

// Zigzag varints, as Confluent writes the message indexes.
bool ReadZigzag(pb::io::CodedInputStream* in, int64_t* v) {
  uint64_t raw = 0;
  if (!in->ReadVarint64(&raw)) return false;
  *v = static_cast<int64_t>(raw >> 1) ^ -static_cast<int64_t>(raw & 1);
  return true;
}

}  // namespace

Schema::Schema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Schema::~Schema() = default;

Result<std::shared_ptr<const Schema>> Schema::Parse(std::string_view text, const std::string& origin) {
  // libprotobuf logs to stderr (e.g. a string field with bad UTF-8); ktools reports errors itself.
  static std::once_flag quiet;
  std::call_once(quiet, [] { pb::SetLogHandler(nullptr); });
  pb::FileDescriptorProto file;
  if (!ParseSerialized(text, &file))
    if (Status s = ParseProtoText(text, origin, &file); !s.ok()) return s;
  if (file.name().empty()) file.set_name("schema.proto");
  auto impl = std::make_unique<Impl>();
  std::set<std::string> added;
  for (const std::string& dep : file.dependency())
    if (!AddBuiltIn(dep, &impl->pool, &added))
      return Status::InvalidArgument(origin + ": imports \"" + dep +
                                     "\": only the well-known types (google/protobuf/*.proto) can be "
                                     "imported; schema references are not supported");
  FirstBuildError errors;
  impl->file = impl->pool.BuildFileCollectingErrors(file, &errors);
  if (!impl->file) return Status::InvalidArgument(origin + ": " + errors.text);
  if (impl->file->message_type_count() == 0)
    return Status::InvalidArgument(origin + ": the schema defines no message");
  impl->first = impl->file->message_type(0);
  impl->resolver.reset(pb::util::NewTypeResolverForDescriptorPool(kTypeUrlPrefix, &impl->pool));
  impl->layouts = std::make_unique<WireLayouts>(impl->file);
  return std::shared_ptr<const Schema>(new Schema(std::move(impl)));
}

const std::string& Schema::full_name() const { return impl_->first->full_name(); }

Status Schema::Decode(std::string_view payload, std::string* text, const Schema* as, bool from_wire,
                      DocumentTarget* also) const {
  if (also) also->filled = also->text_skipped = false;
  pb::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(payload.data()),
                              static_cast<int>(payload.size()));
  int64_t count = 0;
  if (!ReadZigzag(&in, &count)) return Status::DataError("no message indexes");
  if (count < 0 || count > 64) return Status::DataError("bad message index count " + std::to_string(count));
  const pb::Descriptor* d = nullptr;
  if (count == 0) d = impl_->first;
  for (int64_t i = 0; i < count; ++i) {
    int64_t index = 0;
    if (!ReadZigzag(&in, &index)) return Status::DataError("message indexes cut short");
    int n = d ? d->nested_type_count() : impl_->file->message_type_count();
    if (index < 0 || index >= n)
      return Status::DataError("message index " + std::to_string(index) + " names no message in " +
                               (d ? d->full_name() : "the schema's file"));
    d = d ? d->nested_type(static_cast<int>(index)) : impl_->file->message_type(static_cast<int>(index));
  }
  const Impl& use = as ? *as->impl_ : *impl_;
  if (as) d = as->impl_->first;
  int offset = in.CurrentPosition();
  // Straight from the bytes (protobuf_json.hpp: kconsume 1.0 against 1.6 CPU s per million click
  // events);
  // what that does not decode is parsed (nested messages, lengths, UTF-8 of proto3 strings
  // checked) and printed from the message's reflection, which also words any error.
  std::string_view message = payload.substr(static_cast<size_t>(offset));
  if (from_wire &&
      (also ? AppendWireJson(*use.layouts, d, message, &use.factory, use.resolver.get(), text, also)
            : AppendWireJson(*use.layouts, d, message, &use.factory, use.resolver.get(), text))
          .ok())
    return Status::Ok();
  std::unique_ptr<pb::Message> msg(use.factory.GetPrototype(d)->New());
  if (!msg->ParseFromArray(payload.data() + offset, static_cast<int>(payload.size()) - offset))
    return Status::DataError("not a " + d->full_name() + " message");
  return AppendMessageJson(*msg, use.resolver.get(), text);
}

Status Schema::EncodeFromJson(const rapidjson::Value& value, std::string* wire) const {
  const pb::Descriptor* d = impl_->first;
  std::unique_ptr<pb::Message> msg(impl_->factory.GetPrototype(d)->New());
  if (Status s = MessageFromJson(value, msg.get(), impl_->resolver.get()); !s.ok())
    return Status::DataError(d->full_name() + ": " + s.message());
  wire->push_back(0);  // message indexes [0]: the first message
  msg->AppendToString(wire);
  return Status::Ok();
}

}  // namespace kt::proto
