#include "kt/codec/avro_schema.hpp"

#include "kt/core/json_text.hpp"

namespace kt::avro {

const char* TypeName(Type t) {
  switch (t) {
    case Type::kNull:
      return "null";
    case Type::kBoolean:
      return "boolean";
    case Type::kInt:
      return "int";
    case Type::kLong:
      return "long";
    case Type::kFloat:
      return "float";
    case Type::kDouble:
      return "double";
    case Type::kBytes:
      return "bytes";
    case Type::kString:
      return "string";
    case Type::kRecord:
      return "record";
    case Type::kEnum:
      return "enum";
    case Type::kArray:
      return "array";
    case Type::kMap:
      return "map";
    case Type::kUnion:
      return "union";
    case Type::kFixed:
      return "fixed";
  }
  return "?";
}

namespace {

bool PrimitiveOf(std::string_view n, Type* t) {
  static const std::pair<const char*, Type> kPrimitives[] = {
      {"null", Type::kNull},   {"boolean", Type::kBoolean}, {"int", Type::kInt},
      {"long", Type::kLong},   {"float", Type::kFloat},     {"double", Type::kDouble},
      {"bytes", Type::kBytes}, {"string", Type::kString}};
  for (auto& [name, type] : kPrimitives)
    if (n == name) return *t = type, true;
  return false;
}

Status Bad(const std::string& what) { return Status::InvalidArgument("Avro schema: " + what); }

}  // namespace

class SchemaParser {
 public:
  explicit SchemaParser(Schema* s) : s_(s) {}

  Result<const Node*> Parse(const rapidjson::Value& v, const std::string& ns, int depth) {
    if (depth > 64) return Bad("nested more than 64 levels deep");
    if (v.IsString()) return Named(v.GetString(), ns);
    if (v.IsArray()) {
      Node* n = New(Type::kUnion);
      if (v.Empty()) return Bad("a union needs at least one branch");
      for (const auto& b : v.GetArray()) {
        auto branch = Parse(b, ns, depth + 1);
        if (!branch.ok()) return branch;
        if ((*branch)->type == Type::kUnion) return Bad("a union may not hold a union");
        // Nor two branches of one name (a type's, or a named type's full name), as Java's
        // Schema.createUnion: a value could not say which it is, in JSON or to a reader.
        auto name_of = [](const Node* b) {
          return b->name.empty() ? std::string(TypeName(b->type)) : b->name;
        };
        for (const Node* other : n->branches)
          if (name_of(other) == name_of(*branch))
            return Bad("a union may not hold " + name_of(other) + " twice");
        n->branches.push_back(*branch);
      }
      return static_cast<const Node*>(n);
    }
    if (!v.IsObject()) return Bad("expected a type name, an object or a union array");
    auto type_it = v.FindMember("type");
    if (type_it == v.MemberEnd()) return Bad("an object without \"type\"");
    const rapidjson::Value& tv = type_it->value;
    if (!tv.IsString()) {  // {"type": {...}} or {"type": [...]}: the inner type
      return Parse(tv, ns, depth + 1);
    }
    std::string_view t = tv.GetString();
    Type prim;
    if (PrimitiveOf(t, &prim)) {
      Node* n = New(prim);
      if (Status st = Logical(v, n); !st.ok()) return st;
      return static_cast<const Node*>(n);
    }
    if (t == "record" || t == "error") return Record(v, ns, depth);
    if (t == "enum") {
      auto name = Define(v, ns, Type::kEnum);
      if (!name.ok()) return name;
      Node* n = const_cast<Node*>(*name);
      auto sym = v.FindMember("symbols");
      if (sym == v.MemberEnd() || !sym->value.IsArray() || sym->value.Empty())
        return Bad("enum " + n->name + " needs \"symbols\"");
      for (const auto& s : sym->value.GetArray()) {
        if (!s.IsString()) return Bad("enum " + n->name + ": symbols must be strings");
        n->symbols.emplace_back(s.GetString(), s.GetStringLength());
      }
      if (auto d = v.FindMember("default"); d != v.MemberEnd() && d->value.IsString())
        for (size_t i = 0; i < n->symbols.size(); ++i)
          if (n->symbols[i] == d->value.GetString()) n->enum_default = static_cast<int>(i);
      return *name;
    }
    if (t == "fixed") {
      auto name = Define(v, ns, Type::kFixed);
      if (!name.ok()) return name;
      Node* n = const_cast<Node*>(*name);
      auto size = v.FindMember("size");
      if (size == v.MemberEnd() || !size->value.IsUint()) return Bad("fixed " + n->name + " needs \"size\"");
      n->size = size->value.GetUint();
      if (Status st = Logical(v, n); !st.ok()) return st;
      return *name;
    }
    if (t == "array" || t == "map") {
      Node* n = New(t == "array" ? Type::kArray : Type::kMap);
      auto inner = v.FindMember(t == "array" ? "items" : "values");
      if (inner == v.MemberEnd())
        return Bad(std::string(t) + (t == "array" ? " needs \"items\"" : " needs \"values\""));
      auto items = Parse(inner->value, ns, depth + 1);
      if (!items.ok()) return items;
      n->items = *items;
      return static_cast<const Node*>(n);
    }
    return Named(std::string(t), ns);
  }

 private:
  Node* New(Type t) {
    s_->nodes_.push_back(std::make_unique<Node>());
    s_->nodes_.back()->type = t;
    return s_->nodes_.back().get();
  }

  // A reference to a defined named type: by full name, or by name in the enclosing namespace.
  Result<const Node*> Named(const std::string& name, const std::string& ns) {
    Type prim;
    if (PrimitiveOf(name, &prim)) return static_cast<const Node*>(New(prim));
    if (name.find('.') == std::string::npos && !ns.empty()) {
      auto it = s_->named_.find(ns + "." + name);
      if (it != s_->named_.end()) return it->second;
    }
    auto it = s_->named_.find(name);
    if (it != s_->named_.end()) return it->second;
    return Bad("unknown type '" + name + "'");
  }

  Result<const Node*> Define(const rapidjson::Value& v, const std::string& ns, Type t) {
    auto nm = v.FindMember("name");
    if (nm == v.MemberEnd() || !nm->value.IsString() || nm->value.GetStringLength() == 0)
      return Bad(std::string("a ") + TypeName(t) + " needs a \"name\"");
    std::string name = nm->value.GetString();
    std::string space = ns;
    if (auto n = v.FindMember("namespace"); n != v.MemberEnd() && n->value.IsString())
      space = n->value.GetString();
    if (name.find('.') == std::string::npos && !space.empty()) name = space + "." + name;
    if (s_->named_.count(name)) return Bad("'" + name + "' is defined twice");
    Node* n = New(t);
    n->name = name;
    s_->named_[name] = n;
    return static_cast<const Node*>(n);
  }

  static std::string NamespaceOf(const std::string& full) {
    size_t dot = full.rfind('.');
    return dot == std::string::npos ? "" : full.substr(0, dot);
  }

  Result<const Node*> Record(const rapidjson::Value& v, const std::string& ns, int depth) {
    auto def = Define(v, ns, Type::kRecord);
    if (!def.ok()) return def;
    Node* n = const_cast<Node*>(*def);
    auto fields = v.FindMember("fields");
    if (fields == v.MemberEnd() || !fields->value.IsArray())
      return Bad("record " + n->name + " needs \"fields\"");
    std::string inner_ns = NamespaceOf(n->name);
    for (const auto& f : fields->value.GetArray()) {
      if (!f.IsObject() || !f.HasMember("name") || !f["name"].IsString() || !f.HasMember("type"))
        return Bad("record " + n->name + ": every field needs a \"name\" and a \"type\"");
      Field field;
      field.name = f["name"].GetString();
      for (const Field& other : n->fields)
        if (other.name == field.name)
          return Bad("record " + n->name + " has two fields '" + field.name + "'");
      auto type = Parse(f["type"], inner_ns, depth + 1);
      if (!type.ok())
        return Bad(type.status().message().substr(13) + " in field " + n->name + "." + field.name);
      field.type = *type;
      field.json_key = JsonText::PrepareKey(field.name);
      if (auto d = f.FindMember("default"); d != f.MemberEnd()) field.default_value = &d->value;
      if (auto al = f.FindMember("aliases"); al != f.MemberEnd() && al->value.IsArray())
        for (const auto& a : al->value.GetArray())
          if (a.IsString()) field.aliases.emplace_back(a.GetString(), a.GetStringLength());
      n->fields.push_back(std::move(field));
    }
    return static_cast<const Node*>(n);
  }

  static Status Logical(const rapidjson::Value& v, Node* n) {
    auto lt = v.FindMember("logicalType");
    if (lt == v.MemberEnd() || !lt->value.IsString()) return Status::Ok();
    std::string_view l = lt->value.GetString();
    Type t = n->type;
    if (l == "decimal" && (t == Type::kBytes || t == Type::kFixed)) {
      n->logical = Logical::kDecimal;
      if (auto s = v.FindMember("scale"); s != v.MemberEnd() && s->value.IsInt())
        n->scale = s->value.GetInt();
      if (n->scale < 0 || n->scale > 64)
        return Bad("decimal scale " + std::to_string(n->scale) + " out of range");
    } else if (l == "uuid" && t == Type::kString) {
      n->logical = Logical::kUuid;
    } else if (l == "date" && t == Type::kInt) {
      n->logical = Logical::kDate;
    } else if (l == "time-millis" && t == Type::kInt) {
      n->logical = Logical::kTimeMillis;
    } else if (l == "time-micros" && t == Type::kLong) {
      n->logical = Logical::kTimeMicros;
    } else if ((l == "timestamp-millis" || l == "local-timestamp-millis") && t == Type::kLong) {
      n->logical = Logical::kTimestampMillis;
    } else if ((l == "timestamp-micros" || l == "local-timestamp-micros") && t == Type::kLong) {
      n->logical = Logical::kTimestampMicros;
    }
    return Status::Ok();
  }

  Schema* s_;
};

namespace {

// The type of `v` (without the null branch), as a JSON value; records named under `name`.
void InferType(const rapidjson::Value& v, const std::string& name, rapidjson::Value* out,
               rapidjson::Document::AllocatorType& a) {
  auto str = [&](const char* t) { out->SetString(t, a); };
  switch (v.GetType()) {
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return str("boolean");
    case rapidjson::kNumberType:
      if (v.IsInt64() || v.IsUint64()) {
        out->SetArray();
        out->PushBack("long", a).PushBack("double", a);
        return;
      }
      return str("double");
    case rapidjson::kObjectType: {
      out->SetObject();
      out->AddMember("type", "record", a);
      out->AddMember("name", rapidjson::Value(name.c_str(), a), a);
      rapidjson::Value fields(rapidjson::kArrayType);
      for (const auto& m : v.GetObject()) {
        std::string field(m.name.GetString(), m.name.GetStringLength());
        rapidjson::Value f(rapidjson::kObjectType), t, u(rapidjson::kArrayType);
        InferType(m.value, name + "_" + field, &t, a);
        u.PushBack("null", a);
        if (t.IsArray()) {  // long|double: one union
          for (auto& b : t.GetArray()) u.PushBack(rapidjson::Value(b, a), a);
        } else if (!(t.IsString() && std::string_view(t.GetString()) == "null")) {
          u.PushBack(t, a);
        } else {
          u.PushBack("string", a);
        }
        f.AddMember("name", rapidjson::Value(field.c_str(), a), a);
        f.AddMember("type", u, a);
        f.AddMember("default", rapidjson::Value(), a);
        fields.PushBack(f, a);
      }
      out->AddMember("fields", fields, a);
      return;
    }
    case rapidjson::kArrayType: {
      rapidjson::Value items;
      if (v.Empty())
        items.SetString("string", a);
      else
        InferType(v[0], name + "_item", &items, a);
      rapidjson::Value u(rapidjson::kArrayType);
      u.PushBack("null", a);
      if (items.IsArray()) {
        for (auto& b : items.GetArray()) u.PushBack(rapidjson::Value(b, a), a);
      } else if (!(items.IsString() && std::string_view(items.GetString()) == "null")) {
        u.PushBack(items, a);
      }
      out->SetObject();
      out->AddMember("type", "array", a);
      out->AddMember("items", u, a);
      return;
    }
    default:
      return str(v.IsString() ? "string" : "null");
  }
}

}  // namespace

Result<std::string> InferSchema(const rapidjson::Value& object, const std::string& name) {
  if (!object.IsObject())
    return Status::InvalidArgument("cannot infer an Avro schema from a value that is not a JSON object");
  rapidjson::Document d;
  InferType(object, name, &d, d.GetAllocator());
  d.AddMember("namespace", "ktools.inferred", d.GetAllocator());
  return ToJson(d);
}

Result<std::shared_ptr<const Schema>> Schema::Parse(std::string_view json_text) {
  std::shared_ptr<Schema> s(new Schema());
  s->text_ = std::string(json_text);
  if (!ParseJson(s->text_, &s->doc_).ok()) return Bad("not JSON");
  SchemaParser p(s.get());
  auto root = p.Parse(s->doc_, "", 0);
  if (!root.ok()) return root.status();
  s->root_ = *root;
  return std::shared_ptr<const Schema>(std::move(s));
}

}  // namespace kt::avro
