#include "schema_drafts.hpp"

#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kt/core/json.hpp"

namespace kt {

namespace {

using Value = rapidjson::Value;

// Later keywords that draft-04 has no terms for: refused, never skipped.
constexpr const char* kUntranslatable[] = {"prefixItems",           "minContains",      "maxContains",
                                           "unevaluatedProperties", "unevaluatedItems", "$dynamicRef",
                                           "$recursiveRef"};
// What a schema may say that checks nothing: annotations, and "format" (the validator checks no
// format anywhere).
constexpr const char* kAnnotations[] = {"title",    "description", "$comment",   "examples", "default",
                                        "readOnly", "writeOnly",   "deprecated", "format"};
// The longest name length propertyNames' maxLength and minLength may give: they become patterns
// that repeat "." that many times, and the validator's engine copies a state for each.
constexpr int64_t kMaxNameLength = 1000;
// The member of the document's root that holds the subschemas the new keywords refer to.
constexpr const char* kMoved = "$ktools-translated";

// Walks a schema document's schema places depth first, translating each schema object after
// the ones inside it. The new keywords refer to the user's own subschemas with local $refs
// rather than copying them (an if inside an if would otherwise double with each level). Those
// subschemas move to an array at the root (kMoved), and a $ref to the new place stays at the old
// one: RapidJSON 1.1 reads a $ref's token of digits as an array index, never as a member's name,
// and the user's subschema may sit under a property named "5" (it then leaves the referring
// schema unset, and the first value crashes it).
class Translator {
 public:
  Translator(rapidjson::Document& doc, DraftKeywords& reported)
      : a_(doc.GetAllocator()), reported_(reported) {}

  // `v` is at a place that takes a schema; `bool_native`: draft-04 takes true and false there
  // itself (additionalProperties, additionalItems).
  Status Schema(Value& v, bool bool_native) {
    if (v.IsBool()) {
      if (bool_native) return Status::Ok();
      bool pass = v.GetBool();
      v.SetObject();  // true: {}, which takes every value
      if (!pass) {
        v.AddMember("not", Value(rapidjson::kObjectType), a_);  // false: {"not": {}}, which takes none
        Note("not", "false");
      }
      return Status::Ok();
    }
    if (!v.IsObject()) return Status::Ok();  // not a schema: the validator skips it, as before
    for (const char* map : {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"})
      if (Value* m = FindValue(v, map); m && m->IsObject())
        for (auto& member : m->GetObject())
          if (Status s = Under(member.value, false, {map, Name(member.name)}); !s.ok()) return s;
    if (Value* m = FindValue(v, "dependencies"); m && m->IsObject())
      for (auto& member : m->GetObject())  // an array there lists required names (draft-04)
        if (!member.value.IsArray())
          if (Status s = Under(member.value, false, {"dependencies", Name(member.name)}); !s.ok()) return s;
    for (const char* one : {"additionalProperties", "additionalItems"})
      if (Value* m = FindValue(v, one))
        if (Status s = Under(*m, true, {one}); !s.ok()) return s;
    for (const char* one : {"not", "if", "then", "else", "contains", "propertyNames", "items"})
      if (Value* m = FindValue(v, one); m && !m->IsArray())
        if (Status s = Under(*m, false, {one}); !s.ok()) return s;
    for (const char* list : {"allOf", "anyOf", "oneOf", "items"})
      if (Value* m = FindValue(v, list); m && m->IsArray())
        for (rapidjson::SizeType i = 0; i < m->Size(); ++i)
          if (Status s = Under((*m)[i], false, {list, std::to_string(i)}); !s.ok()) return s;
    return Translate(v);
  }

 private:
  Status Under(Value& v, bool bool_native, std::initializer_list<std::string> tokens) {
    path_.insert(path_.end(), tokens.begin(), tokens.end());
    Status s = Schema(v, bool_native);
    path_.resize(path_.size() - tokens.size());
    return s;
  }

  Status Translate(Value& v) {
    for (const char* keyword : kUntranslatable) {
      if (!FindValue(v, keyword)) continue;
      return Status::InvalidArgument("'" + std::string(keyword) + "' at " + Here() +
                                     " is a keyword of a JSON Schema draft after draft-04 that the validator "
                                     "cannot check (it checks draft-04, and of the later drafts const, "
                                     "contains, if/then/else, exclusiveMinimum and exclusiveMaximum as "
                                     "numbers, true and false as schemas, propertyNames, "
                                     "dependentRequired and dependentSchemas)");
    }
    for (const char* name : {"if", "then", "else", "contains"})
      if (const Value* m = FindValue(v, name); m && !m->IsObject())
        return Status::InvalidArgument("'" + std::string(name) + "' at " + Here() +
                                       " is not a schema (a JSON object, or true or false)");
    // RapidJSON 1.1 leaves the value's schema unset for a name that matches a pattern when
    // additionalProperties is false, and crashes on the value (it sets it in later releases).
    // {"not": {}} takes the same values there: none, and a name a pattern matches is checked by
    // the pattern's schema alone.
    if (Value* extra = FindValue(v, "additionalProperties");
        extra && extra->IsFalse() && FindValue(v, "patternProperties")) {
      extra->SetObject().AddMember("not", Value(rapidjson::kObjectType), a_);
      path_.push_back("additionalProperties");
      Note("not", "additionalProperties");
      path_.pop_back();
    }
    if (const Value* c = FindValue(v, "const")) {
      Value values(rapidjson::kArrayType);
      values.PushBack(Value(*c, a_), a_);
      if (Status s = Put(v, "enum", std::move(values), "const"); !s.ok()) return s;
    }
    for (auto [exclusive, bound] :
         {std::pair{"exclusiveMinimum", "minimum"}, std::pair{"exclusiveMaximum", "maximum"}}) {
      Value* m = FindValue(v, exclusive);
      if (!m || !m->IsNumber()) continue;  // a boolean: draft-04's own, beside minimum
      Value number(*m, a_);
      if (!FindValue(v, bound)) {  // {"minimum": n, "exclusiveMinimum": true}, in place
        v.AddMember(Value(bound, a_), number, a_);
        m = FindValue(v, exclusive);
        m->SetBool(true);
        Note(bound, exclusive);
        continue;
      }
      Value both(rapidjson::kObjectType);  // both apply: the other bound in a part of allOf
      both.AddMember(Value(bound, a_), number, a_);
      both.AddMember(Value(exclusive, a_), Value(true), a_);
      if (Status s = AllOf(v, std::move(both), exclusive); !s.ok()) return s;
    }
    if (FindValue(v, "contains")) {  // an array with an item it takes: not (an array of none)
      Value none(rapidjson::kObjectType);
      none.AddMember("type", "array", a_);
      none.AddMember("items", NotOf(Moved(*FindValue(v, "contains"))), a_);
      if (Status s = Put(v, "not", std::move(none), "contains"); !s.ok()) return s;
    }
    if (FindValue(v, "if") && (FindValue(v, "then") || FindValue(v, "else"))) {
      Value yes(rapidjson::kArrayType), no(rapidjson::kArrayType);  // (if and then) or (not if, and else)
      yes.PushBack(Moved(*FindValue(v, "if")), a_);
      if (Value* then = FindValue(v, "then")) yes.PushBack(Moved(*then), a_);
      no.PushBack(NotOf(Moved(*FindValue(v, "if"))), a_);
      if (Value* otherwise = FindValue(v, "else")) no.PushBack(Moved(*otherwise), a_);
      Value either(rapidjson::kArrayType);
      either.PushBack(Object("allOf", std::move(yes)), a_);
      either.PushBack(Object("allOf", std::move(no)), a_);
      if (Status s = Put(v, "anyOf", std::move(either), "if/then/else"); !s.ok()) return s;
    }
    if (Status s = PropertyNames(v); !s.ok()) return s;
    if (Status s = Dependents(v); !s.ok()) return s;
    // An empty dependencies object requires nothing, and RapidJSON 1.1 then hands every object
    // value a buffer for no properties: memset(NULL, 0, 0), undefined behaviour (UBSan stops
    // there). Without it the schema takes the same values.
    if (const Value* d = FindValue(v, "dependencies"); d && d->IsObject() && d->ObjectEmpty())
      v.RemoveMember("dependencies");
    return Status::Ok();
  }

  // propertyNames S, where S says what draft-04 can say of every name of an object: each of its
  // pattern, maxLength and minLength (patterns of any character: the validator counts code
  // points, as the drafts do), enum and const (the names listed as properties) and type (a name
  // is a string) becomes a part of allOf that takes an object only when every name passes:
  // {"patternProperties": {P: {}}, "additionalProperties": {"not": {}}}. Anything else S says
  // refuses the schema.
  Status PropertyNames(Value& v) {
    const Value* names = FindValue(v, "propertyNames");
    if (!names || !names->IsObject()) return Status::Ok();  // not a schema: the guard says so
    std::vector<Value> parts;
    for (const auto& m : names->GetObject()) {
      std::string keyword = Name(m.name);
      const Value& x = m.value;
      if (keyword == "pattern" && x.IsString()) {
        parts.push_back(OnlyNamesMatching(Value(x, a_)));
      } else if ((keyword == "maxLength" || keyword == "minLength") && x.IsInt64() && x.GetInt64() >= 0) {
        if (x.GetInt64() > kMaxNameLength)
          return Status::InvalidArgument(
              "'propertyNames' at " + Here() + ": " + keyword + " " + std::to_string(x.GetInt64()) +
              " is more than the validator can check of a name (" + std::to_string(kMaxNameLength) + ")");
        std::string n = std::to_string(x.GetInt64());
        if (keyword == "minLength" && n == "0") continue;
        parts.push_back(OnlyNamesMatching(
            Value((keyword == "maxLength" ? "^.{0," + n + "}$" : "^.{" + n + ",}$").c_str(), a_)));
      } else if (keyword == "enum" && x.IsArray()) {
        parts.push_back(OnlyNames(x.GetArray().begin(), x.GetArray().end()));
      } else if (keyword == "const") {
        parts.push_back(OnlyNames(&x, &x + 1));
      } else if (keyword == "type" && (x.IsString() || x.IsArray())) {
        bool string = x.IsString() ? Name(x) == "string" : false;
        if (x.IsArray())
          for (const Value& t : x.GetArray()) string = string || (t.IsString() && Name(t) == "string");
        if (!string) parts.push_back(Object("maxProperties", Value(0)));
      } else if (keyword == "not" && x.IsObject() && x.MemberCount() == 0) {  // false
        parts.push_back(Object("maxProperties", Value(0)));
      } else if (std::find(std::begin(kAnnotations), std::end(kAnnotations), keyword) ==
                 std::end(kAnnotations)) {
        return Status::InvalidArgument("'propertyNames' at " + Here() + " says '" + keyword +
                                       "', which the validator cannot check of a name (it checks pattern, "
                                       "maxLength, minLength, enum, const and type there)");
      }
    }
    for (Value& part : parts)
      if (Status s = AllOf(v, std::move(part), "propertyNames"); !s.ok()) return s;
    return Status::Ok();
  }
  // An object whose every name matches `pattern` (a string).
  Value OnlyNamesMatching(Value pattern) {
    Value patterns(rapidjson::kObjectType);
    patterns.AddMember(pattern, Value(rapidjson::kObjectType), a_);
    Value part = Object("patternProperties", std::move(patterns));
    part.AddMember("additionalProperties", NotOf(Value(rapidjson::kObjectType)), a_);
    return part;
  }
  // An object whose every name is one of the strings in [begin, end) (none: no name at all).
  Value OnlyNames(const Value* begin, const Value* end) {
    Value listed(rapidjson::kObjectType);
    for (const Value* n = begin; n != end; ++n)
      if (n->IsString() && FindName(listed, Name(*n)) == listed.MemberEnd())
        listed.AddMember(Value(*n, a_), Value(rapidjson::kObjectType), a_);
    if (listed.ObjectEmpty()) return Object("maxProperties", Value(0));
    Value part = Object("properties", std::move(listed));
    part.AddMember("additionalProperties", NotOf(Value(rapidjson::kObjectType)), a_);
    return part;
  }

  // dependentRequired {"a": ["b"]} and dependentSchemas {"a": S} are draft-04's dependencies.
  Status CheckDependents(const Value& m, const std::string& keyword) {
    if (!m.IsObject()) return Status::InvalidArgument("'" + keyword + "' at " + Here() + " is not an object");
    if (keyword == "dependentSchemas") {
      for (const auto& d : m.GetObject())
        if (!d.value.IsObject())
          return Status::InvalidArgument("'dependentSchemas' at " + Here() + ": '" + Name(d.name) +
                                         "' is not a schema (a JSON object, or true or false)");
      return Status::Ok();
    }
    for (const auto& d : m.GetObject()) {
      bool names = d.value.IsArray();
      if (names)
        for (const Value& n : d.value.GetArray()) names = names && n.IsString();
      if (!names)
        return Status::InvalidArgument("'dependentRequired' at " + Here() + ": '" + Name(d.name) +
                                       "' is not an array of property names");
    }
    return Status::Ok();
  }
  Status Dependents(Value& v) {
    const Value* required = FindValue(v, "dependentRequired");
    Value* schemas = FindValue(v, "dependentSchemas");
    if (!required && !schemas) return Status::Ok();
    if (required)
      if (Status s = CheckDependents(*required, "dependentRequired"); !s.ok()) return s;
    if (schemas)
      if (Status s = CheckDependents(*schemas, "dependentSchemas"); !s.ok()) return s;
    if ((!required || required->ObjectEmpty()) && (!schemas || schemas->ObjectEmpty()))
      return Status::Ok();  // none: nothing depends on anything (and see Translate's end)
    Value deps(rapidjson::kObjectType);
    if (required)
      for (const auto& d : required->GetObject()) deps.AddMember(Value(d.name, a_), Value(d.value, a_), a_);
    if (schemas)
      for (auto& d : schemas->GetObject()) {
        Value ref = Moved(d.value);
        if (auto names = FindName(deps, Name(d.name)); names != deps.MemberEnd()) {  // both
          Value required_names(rapidjson::kObjectType);
          required_names.AddMember("required", names->value, a_);
          Value both(rapidjson::kArrayType);
          both.PushBack(required_names, a_);
          both.PushBack(ref, a_);
          names->value.SetObject().AddMember("allOf", both, a_);
        } else {
          deps.AddMember(Value(d.name, a_), ref, a_);
        }
      }
    std::string was = required && schemas ? "dependentRequired' or 'dependentSchemas"
                      : required          ? "dependentRequired"
                                          : "dependentSchemas";
    return Put(v, "dependencies", std::move(deps), was);
  }

  // Adds `keyword` to `v`, or, when `v` has it already, {keyword: value} to its allOf.
  Status Put(Value& v, const char* keyword, Value value, const std::string& was) {
    if (FindValue(v, keyword)) {
      Value part(rapidjson::kObjectType);
      part.AddMember(Value(keyword, a_), value, a_);
      return AllOf(v, std::move(part), was);
    }
    v.AddMember(Value(keyword, a_), value, a_);
    Note(keyword, was);
    return Status::Ok();
  }
  Status AllOf(Value& v, Value part, const std::string& was) {
    Value* all = FindValue(v, "allOf");
    std::string& note = reported_[Here()]["allOf"];
    if (!all) {
      v.AddMember("allOf", Value(rapidjson::kArrayType), a_);
      all = FindValue(v, "allOf");
    } else if (!all->IsArray()) {
      return Status::InvalidArgument("'allOf' at " + Here() + " is not an array, so '" + was +
                                     "' there cannot be checked beside it");
    } else if (note.empty()) {
      note = "allOf";
    }
    // The names the validator's 'allOf' stands for, as "a' or 'b" (quoted around when printed).
    if (("'" + note + "'").find("'" + was + "'") == std::string::npos)
      note += (note.empty() ? "" : "' or '") + was;
    all->PushBack(part, a_);
    return Status::Ok();
  }

  // {"$ref": "#/$ktools-translated/N"}, where `sub` moves to (once: a second call finds the
  // $ref left in its place).
  Value Moved(Value& sub) {
    if (auto r = sub.IsObject() && sub.MemberCount() == 1 ? sub.FindMember("$ref") : sub.MemberEnd();
        r != sub.MemberEnd() && r->value.IsString() && made_.count(Name(r->value)))
      return Object("$ref", Value(r->value, a_));
    std::string ref = Fragment({kMoved, std::to_string(moved_.Size())});
    made_.insert(ref);
    moved_.PushBack(sub, a_);  // leaves sub null
    sub.SetObject().AddMember("$ref", Value(ref, a_), a_);
    return Object("$ref", Value(ref, a_));
  }
  Value NotOf(Value schema) { return Object("not", std::move(schema)); }
  Value Object(const char* keyword, Value value) {
    Value o(rapidjson::kObjectType);
    o.AddMember(rapidjson::StringRef(keyword), value, a_);
    return o;
  }
  void Note(const char* keyword, const std::string& was) { reported_[Here()][keyword] = was; }
  std::string Here() const { return Fragment(path_); }

  // As the validator prints a schema's place: "#/properties/a%20b".
  // (The pointer is made over the tokens in one go: one Append after another copies them all
  // each time, which a schema nested a thousand deep made a billion copies.)
  static std::string Fragment(const std::vector<std::string>& tokens) {
    std::vector<rapidjson::Pointer::Token> refs;
    refs.reserve(tokens.size());
    for (const std::string& t : tokens)
      refs.push_back({t.data(), static_cast<rapidjson::SizeType>(t.size()), rapidjson::kPointerInvalidIndex});
    rapidjson::Pointer pointer(refs.data(), refs.size());
    rapidjson::StringBuffer out;
    pointer.StringifyUriFragment(out);
    return std::string(out.GetString(), out.GetSize());
  }
  static std::string Name(const Value& name) { return std::string(name.GetString(), name.GetStringLength()); }

  rapidjson::Document::AllocatorType& a_;
  DraftKeywords& reported_;
  std::vector<std::string> path_;
  std::set<std::string> made_;  // the $refs to moved subschemas

 public:
  // The subschemas moved, for the root's kMoved member once the walk is done (adding a member
  // to the root during the walk would move the members it is walking).
  Value moved_{rapidjson::kArrayType};
};

}  // namespace

Status TranslateLaterDrafts(rapidjson::Document* schema, DraftKeywords* reported) {
  if (schema->IsObject() && schema->HasMember(kMoved))
    return Status::InvalidArgument(std::string("the schema has a member '") + kMoved +
                                   "', which ktools uses itself");
  Translator t(*schema, *reported);
  if (Status s = t.Schema(*schema, false); !s.ok()) return s;
  if (!t.moved_.Empty()) schema->AddMember(rapidjson::StringRef(kMoved), t.moved_, schema->GetAllocator());
  return Status::Ok();
}

}  // namespace kt
