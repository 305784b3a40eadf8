#include "kt/codec/schema.hpp"

#include <rapidjson/schema.h>

#include "kt/core/paths.hpp"
#include "schema_drafts.hpp"
#include "schema_guard.hpp"

namespace kt {

struct SchemaValidator::Impl {
  rapidjson::Document doc;
  std::unique_ptr<rapidjson::SchemaDocument> schema;
  DraftKeywords translated;  // what a violation names instead of what the validator reports
};

SchemaValidator::~SchemaValidator() = default;

Result<std::unique_ptr<SchemaValidator>> SchemaValidator::Load(const std::string& path) {
  auto text = ReadWholeFile(path, "schema file");
  if (!text.ok()) return Status::InvalidArgument(text.status().message());
  return Parse(*text, "schema " + path);
}

Result<std::unique_ptr<SchemaValidator>> SchemaValidator::Parse(std::string_view text,
                                                                const std::string& origin) {
  std::unique_ptr<SchemaValidator> v(new SchemaValidator());
  v->impl_ = std::make_unique<Impl>();
  Status s = ParseJson(text, &v->impl_->doc);
  if (!s.ok()) return Status::InvalidArgument(origin + ": " + s.message());
  if (Status g = GuardMemberNames(v->impl_->doc); !g.ok())
    return Status::InvalidArgument(origin + ": " + g.message());
  // The later drafts' keywords first, so that the guard checks what the validator will read.
  if (Status t = TranslateLaterDrafts(&v->impl_->doc, &v->impl_->translated); !t.ok())
    return Status::InvalidArgument(origin + ": " + t.message());
  if (Status g = GuardSchema(v->impl_->doc); !g.ok())
    return Status::InvalidArgument(origin + ": " + g.message());
  v->impl_->schema = std::make_unique<rapidjson::SchemaDocument>(v->impl_->doc);
  return v;
}

Status SchemaValidator::Validate(const rapidjson::Value& value) const {
  rapidjson::SchemaValidator validator(*impl_->schema);
  if (value.Accept(validator)) return Status::Ok();
  rapidjson::StringBuffer doc_ptr, schema_ptr;
  validator.GetInvalidDocumentPointer().StringifyUriFragment(doc_ptr);
  validator.GetInvalidSchemaPointer().StringifyUriFragment(schema_ptr);
  std::string where = doc_ptr.GetString();
  if (where == "#") where = "# (the value)";
  std::string keyword = validator.GetInvalidSchemaKeyword();
  if (auto at = impl_->translated.find(schema_ptr.GetString()); at != impl_->translated.end())
    if (auto was = at->second.find(keyword); was != at->second.end()) keyword = was->second;
  return Status::DataError("schema violation: '" + keyword + "' failed at " + where + " (schema " +
                           schema_ptr.GetString() + ")");
}

}  // namespace kt
