#include "schema_guard.hpp"

#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>  // its regex engine, configured as the validator uses it
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kt {

namespace {

// "/" and a member's name as a JSON pointer's token, escaped as RFC 6901 says ('~' as "~0", '/' as
// "~1"), for the places messages name: "#/properties/a~1b" is the property "a/b", not "b" in "a".
std::string Step(const rapidjson::Value& name) {
  const rapidjson::Pointer::Token token{name.GetString(), name.GetStringLength(),
                                        rapidjson::kPointerInvalidIndex};
  rapidjson::StringBuffer out;
  rapidjson::Pointer(&token, 1).Stringify(out);
  return std::string(out.GetString(), out.GetSize());
}

// A schema that applies itself to the same value again without going down into the value
// ({"anyOf": [{"type": "null"}, {"$ref": "#"}]}, or definitions whose $refs lead round to each
// other through allOf/anyOf/oneOf/not) sends RapidJSON's validator round in circles until the
// stack overflows, on the first value; $refs that lead round to each other alone ({"$ref":
// "#/definitions/a"} at #/definitions/a) do so already while it reads the schema, wherever they
// are, as it resolves the $refs of every object. Such a loop is found when the schema is read:
// the subschemas a subschema applies to the same value are a graph, and a loop there has a $ref.
// Every object is a start (a loop under "properties" is as deadly as one at the root). Only
// local references ("#...") are followed, as they are the only ones the validator resolves.
class SameValueLoop {
 public:
  explicit SameValueLoop(const rapidjson::Value& root) : root_(root) {}
  // The $ref that closes a loop, or "" when there is none.
  std::string Find() { return FromEvery(root_) ? closing_ref_ : ""; }

 private:
  bool FromEvery(const rapidjson::Value& v) {
    if (v.IsArray()) {
      for (const rapidjson::Value& item : v.GetArray())
        if (FromEvery(item)) return true;
    } else if (v.IsObject()) {
      if (Visit(v)) return true;
      for (const auto& member : v.GetObject())
        if (FromEvery(member.value)) return true;
    }
    return false;
  }
  enum State { kOnPath, kDone };
  bool Visit(const rapidjson::Value& schema) {
    if (!schema.IsObject()) return false;
    auto [it, fresh] = state_.emplace(&schema, kOnPath);
    if (!fresh) return it->second == kOnPath;
    for (const char* combine : {"allOf", "anyOf", "oneOf"}) {
      auto m = schema.FindMember(combine);
      if (m != schema.MemberEnd() && m->value.IsArray())
        for (const rapidjson::Value& sub : m->value.GetArray())
          if (Visit(sub)) return true;
    }
    if (auto m = schema.FindMember("not"); m != schema.MemberEnd() && Visit(m->value)) return true;
    if (auto m = schema.FindMember("dependencies"); m != schema.MemberEnd() && m->value.IsObject())
      for (const auto& dep : m->value.GetObject())
        if (Visit(dep.value)) return true;
    if (auto m = schema.FindMember("$ref"); m != schema.MemberEnd() && m->value.IsString() &&
                                            m->value.GetStringLength() > 0 &&
                                            m->value.GetString()[0] == '#') {
      rapidjson::Pointer pointer(m->value.GetString(), m->value.GetStringLength());
      const rapidjson::Value* target = pointer.IsValid() ? pointer.Get(root_) : nullptr;
      if (target && Visit(*target)) {
        if (closing_ref_.empty()) closing_ref_.assign(m->value.GetString(), m->value.GetStringLength());
        return true;
      }
    }
    state_[&schema] = kDone;
    return false;
  }

  const rapidjson::Value& root_;
  std::map<const rapidjson::Value*, State> state_;
  std::string closing_ref_;
};

// RapidJSON makes a schema of every object in the document, so what it reads while it makes one
// is checked on every object: its "pattern" and the names of its "patternProperties", compiled by
// RapidJSON's own small regex engine (internal/regex.h: linear time, no recursion on the value),
// which drops a pattern it cannot read, so that the schema checks nothing there ("^\\d+$" let
// "abc" through), and asserts on some it does not refuse; and the shapes it reads unchecked
// (BuiltUnchecked). Each pattern is compiled here first; one that does not compile makes the
// schema an error, naming the pattern and where it is.
class EveryObjectCheck {
 public:
  explicit EveryObjectCheck(const rapidjson::Value& root) : root_(root) {}

  // InvalidArgument for the first thing in `v` (at JSON pointer `where`) the validator cannot take.
  Status Check(const rapidjson::Value& v, const std::string& where) {
    if (v.IsArray()) {
      for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
        if (Status s = Check(v[i], where + "/" + std::to_string(i)); !s.ok()) return s;
      return Status::Ok();
    }
    if (!v.IsObject()) return Status::Ok();
    if (Status s = BuiltUnchecked(v, where); !s.ok()) return s;
    if (auto m = v.FindMember("pattern"); m != v.MemberEnd() && m->value.IsString())
      if (Status s = One(m->value.GetString(), where + "/pattern"); !s.ok()) return s;
    if (auto m = v.FindMember("patternProperties"); m != v.MemberEnd())
      for (const auto& p : m->value.GetObject())  // an object: BuiltUnchecked said so
        if (Status s = One(p.name.GetString(), where + "/patternProperties"); !s.ok()) return s;
    for (const auto& member : v.GetObject())
      if (Status s = Check(member.value, where + Step(member.name)); !s.ok()) return s;
    return Status::Ok();
  }

 private:
  // What RapidJSON reads unchecked while it makes a schema of an object, which it does for every
  // object in the document: "patternProperties" as an object, the items of a "dependencies"
  // array as strings (property names; another value crashed the tool as the schema was made),
  // and a local $ref's target as an object (a target that is missing leaves the referring slot
  // empty).
  Status BuiltUnchecked(const rapidjson::Value& v, const std::string& where) {
    if (auto m = v.FindMember("patternProperties"); m != v.MemberEnd() && !m->value.IsObject())
      return Status::InvalidArgument(where +
                                     "/patternProperties is not an object (of patterns and their schemas)");
    if (auto m = v.FindMember("dependencies"); m != v.MemberEnd() && m->value.IsObject())
      for (const auto& d : m->value.GetObject())
        if (d.value.IsArray())
          for (const rapidjson::Value& name : d.value.GetArray())
            if (!name.IsString())
              return Status::InvalidArgument(where + "/dependencies" + Step(d.name) +
                                             " is not an array of property names (strings)");
    if (auto m = v.FindMember("$ref"); m != v.MemberEnd() && m->value.IsString() &&
                                       m->value.GetStringLength() > 0 && m->value.GetString()[0] == '#') {
      rapidjson::Pointer pointer(m->value.GetString(), m->value.GetStringLength());
      const rapidjson::Value* target = pointer.IsValid() ? pointer.Get(root_) : nullptr;
      std::string ref(m->value.GetString(), m->value.GetStringLength());
      if (std::string name = NumberedMember(pointer); !name.empty())
        return Status::InvalidArgument("the $ref '" + ref + "' at " + where +
                                       " goes through the member named '" + name +
                                       "', which the validator reads as an array index and cannot follow "
                                       "(it crashed on the first value): give that member a name that is "
                                       "not a number");
      if (!target)
        return Status::InvalidArgument("the $ref '" + ref + "' at " + where +
                                       " points at nothing in the schema");
      if (!target->IsObject())
        return Status::InvalidArgument("the $ref '" + ref + "' at " + where +
                                       " points at a value that is not a schema (a JSON object)");
    }
    return Status::Ok();
  }

  // RapidJSON 1.1 reads a $ref's token of digits ("5") as an array index, and by it finds no
  // schema for a member named "5": it leaves the referring schema unset. The first such name the
  // pointer goes through, or "".
  std::string NumberedMember(const rapidjson::Pointer& pointer) const {
    if (!pointer.IsValid()) return "";
    const rapidjson::Value* at = &root_;
    for (size_t i = 0; i < pointer.GetTokenCount(); ++i) {
      const rapidjson::Pointer::Token& t = pointer.GetTokens()[i];
      if (at->IsObject()) {
        if (t.index != rapidjson::kPointerInvalidIndex) return std::string(t.name, t.length);
        at = FindValue(*at, std::string_view(t.name, t.length));
        if (!at) return "";
      } else if (at->IsArray() && t.index < at->Size()) {
        at = &(*at)[t.index];
      } else {
        return "";
      }
    }
    return "";
  }

  // As RapidJSON reads it: a C string (it stops at a NUL).
  static Status One(const char* pattern, const std::string& where) {
    if (!*pattern) return Status::Ok();  // matches every string; the engine drops it, to the same effect
    if (const char* problem = GroupProblem(pattern))
      return Status::InvalidArgument("the pattern '" + std::string(pattern) + "' at " + where + " " +
                                     problem);
    rapidjson::internal::GenericRegex<rapidjson::UTF8<>> regex(pattern);
    if (!regex.IsValid())
      return Status::InvalidArgument(
          "the pattern '" + std::string(pattern) + "' at " + where +
          " is not one the validator can check: it knows literals, '.', [...] classes, groups, '|', '?', "
          "'*', '+', "
          "{m,n}, '^', '$' and the escapes \\f \\n \\r \\t \\v and \\ before those signs; no \\d, \\w or "
          "\\s (write [0-9], [A-Za-z0-9_], [ \\t\\n])");
    return Status::Ok();
  }
  // What RapidJSON's engine does not refuse but cannot take: a '(' never closed, and a group with
  // nothing in it to match ("()", "(^)"), which it counts as an operand it does not have (it
  // asserts; built without assertions it reads and writes outside its stack); and repeats that
  // copy a part of the pattern too many times ("(a{1000}){1000}": it copies the states of a
  // repeated part m or n times, so memory grows with their product); and a quantifier with no
  // atom before it ("{2}a", "(*a)"), or an alternative with nothing in it ("(|a)"), for which
  // it takes an operand it may not have; and a part that can match nothing repeated without end
  // ("(a*)*", "a?+"), on which its matcher loops. Null when none of these.
  static const char* GroupProblem(const char* p) {
    // Well past any pattern a schema needs; the engine's matcher recurses once per state in a
    // row of optional ones, so this also bounds its stack.
    constexpr uint64_t kMaxStates = 10000;
    // ("(|a)": the engine takes an operand from before the group for the empty side.)
    constexpr const char* kEmptyAlternative =
        "has an alternative with nothing in it ('|' with nothing on one side)";
    // Per open group (and the whole pattern): whether it matches something; its size in the
    // engine's states once its repeats are copied out; and whether it can match the empty string
    // (an alternative before is, or the current one has no atom that must match something).
    struct Group {
      bool has_atom = false;
      bool branch_has_atom = false;  // since the group's start or its last '|'
      uint64_t size = 0;
      bool nullable_branch_before = false;
      int solid_atoms = 0;  // atoms of the current alternative that cannot match nothing
    };
    std::vector<Group> open(1);
    uint64_t last = 0;           // the size of the atom a quantifier would repeat
    bool last_nullable = false;  // whether that atom can match nothing
    bool can_repeat = false;     // an atom comes right before (perhaps repeated already)
    auto atom = [&](uint64_t size, bool nullable) {
      Group& g = open.back();
      g.has_atom = g.branch_has_atom = true;
      g.size += size;
      g.solid_atoms += nullable ? 0 : 1;
      last = size;
      last_nullable = nullable;
      can_repeat = true;
    };
    auto make_optional = [&] {  // '?', '*', {0,n}: the atom before may now match nothing
      if (!last_nullable) --open.back().solid_atoms;
      last_nullable = true;
    };
    // "(a*)*": the engine's matcher follows the empty loop without end (a stack overflow).
    constexpr const char* kEmptyLoop =
        "repeats without end a part that can match nothing (as in (a*)*), which the validator loops on";
    for (; *p; ++p) {
      switch (*p) {
        case '(':
          open.emplace_back();
          can_repeat = false;
          break;
        case ')': {
          if (open.size() == 1) return nullptr;  // refused by the engine itself
          Group g = open.back();
          if (!g.has_atom) return "has a group with nothing in it to match";
          if (!g.branch_has_atom) return kEmptyAlternative;
          open.pop_back();
          atom(g.size, g.nullable_branch_before || g.solid_atoms == 0);
          break;
        }
        case '{': {  // a quantifier {m}, {m,} or {m,n}: the engine copies the atom before it
          if (!can_repeat) return "repeats nothing: a quantifier '{' with no atom before it";
          uint64_t m = 0, n = 0;
          bool second = false, n_given = false;
          for (; p[1] && p[1] != '}'; ++p) {
            if (p[1] == ',') second = true;
            if (p[1] >= '0' && p[1] <= '9') {
              uint64_t& v = second ? n : m;
              v = std::min<uint64_t>(v * 10 + static_cast<uint64_t>(p[1] - '0'), kMaxStates + 1);
              n_given |= second;
            }
          }
          if (second && !n_given && last_nullable) return kEmptyLoop;  // {m,}: a '+' at the end
          uint64_t copies = std::max(m + 1, n);
          open.back().size += std::min(last, kMaxStates + 1) * copies;
          last *= copies;
          if (m == 0) make_optional();
          break;
        }
        case '[':  // a class: one atom, whatever it holds
          while (p[1] && p[1] != ']') p += p[1] == '\\' && p[2] ? 2 : 1;
          atom(1, false);
          break;
        case '\\':
          if (!p[1]) return nullptr;
          ++p;
          atom(1, false);
          break;
        case '|': {
          Group& g = open.back();
          if (!g.branch_has_atom) return kEmptyAlternative;
          g.nullable_branch_before |= g.solid_atoms == 0;
          g.branch_has_atom = false;
          g.solid_atoms = 0;
          can_repeat = false;
          break;
        }
        case '?':
        case '*':
        case '+':
          if (!can_repeat) return "repeats nothing: a quantifier with no atom before it";
          if (*p != '?' && last_nullable) return kEmptyLoop;
          if (*p != '+') make_optional();
          break;
        case '^':
        case '$':
          break;
        default:
          atom(1, false);
      }
      if (open.back().size > kMaxStates || last > kMaxStates)
        return "repeats a part more times than the validator can hold (it copies each repeat)";
    }
    if (open.size() > 1) return "opens a group with '(' that it does not close";
    return open[0].has_atom && !open[0].branch_has_atom ? kEmptyAlternative : nullptr;
  }

  const rapidjson::Value& root_;
};

// The keywords whose values RapidJSON validates with as schemas without checking that they are:
// "not" (else it validates with a schema it never made), each of "allOf", "anyOf", "oneOf" and
// "items" (else an array slot it never fills), and the values of "properties" and
// "patternProperties". Checked on the schemas a value can reach from the root (through these,
// "additionalProperties", "additionalItems", "dependencies" and $refs), not on every object, so
// that a property named "properties" or "not" (GeoJSON has one) is no schema keyword. A $ref
// to another document is refused there too: the validator has no way to fetch it and skips it.
class ReachableShape {
 public:
  explicit ReachableShape(const rapidjson::Value& root) : root_(root) {}
  Status Check() { return Visit(root_, "#"); }

 private:
  Status Visit(const rapidjson::Value& v, const std::string& where) {
    if (!v.IsObject() || !seen_.insert(&v).second) return Status::Ok();
    if (auto m = v.FindMember("not"); m != v.MemberEnd())
      if (Status s = Schema(m->value, where + "/not"); !s.ok()) return s;
    for (const char* combine : {"allOf", "anyOf", "oneOf"}) {
      auto m = v.FindMember(combine);
      if (m == v.MemberEnd()) continue;
      std::string at = where + "/" + combine;
      if (!m->value.IsArray() || m->value.Empty())
        return Status::InvalidArgument(at + " is not an array of one or more schemas");
      for (rapidjson::SizeType i = 0; i < m->value.Size(); ++i)
        if (Status s = Schema(m->value[i], at + "/" + std::to_string(i)); !s.ok()) return s;
    }
    if (auto m = v.FindMember("items"); m != v.MemberEnd()) {
      if (m->value.IsArray()) {
        for (rapidjson::SizeType i = 0; i < m->value.Size(); ++i)
          if (Status s = Schema(m->value[i], where + "/items/" + std::to_string(i)); !s.ok()) return s;
      } else if (Status s = Visit(m->value, where + "/items"); !s.ok()) {
        return s;
      }
    }
    for (const char* named : {"properties", "patternProperties"}) {
      auto m = v.FindMember(named);
      if (m == v.MemberEnd()) continue;
      std::string at = where + "/" + named;
      if (!m->value.IsObject())
        return Status::InvalidArgument(at + " is not an object (of names or patterns, and their schemas)");
      for (const auto& p : m->value.GetObject())
        if (Status s = Schema(p.value, at + Step(p.name)); !s.ok()) return s;
    }
    for (const char* more : {"additionalProperties", "additionalItems"})
      if (auto m = v.FindMember(more); m != v.MemberEnd())
        if (Status s = Visit(m->value, where + "/" + more); !s.ok()) return s;
    if (auto m = v.FindMember("dependencies"); m != v.MemberEnd() && m->value.IsObject())
      for (const auto& d : m->value.GetObject())
        if (Status s = Visit(d.value, where + "/dependencies" + Step(d.name)); !s.ok()) return s;
    if (auto m = v.FindMember("$ref"); m != v.MemberEnd() && m->value.IsString()) {
      std::string ref(m->value.GetString(), m->value.GetStringLength());
      if (ref.empty() || ref[0] != '#')  // the validator would skip it: nothing checked there
        return Status::InvalidArgument(
            "the $ref '" + ref + "' at " + where +
            " names another document, which is not fetched: copy that schema under "
            "\"definitions\" and refer to it as '#/definitions/NAME'");
      rapidjson::Pointer pointer(ref.data(), ref.size());
      if (const rapidjson::Value* target = pointer.IsValid() ? pointer.Get(root_) : nullptr)
        if (Status s = Visit(*target, ref); !s.ok()) return s;
    }
    return Status::Ok();
  }
  // A value RapidJSON takes as a schema: it must be one.
  Status Schema(const rapidjson::Value& v, const std::string& where) {
    if (!v.IsObject())
      return Status::InvalidArgument(where + " is not a schema (a JSON object, or true or false)");
    return Visit(v, where);
  }

  const rapidjson::Value& root_;
  std::set<const rapidjson::Value*> seen_;
};

// The first object under `v` (at JSON pointer `where`) with a member name twice, and that name.
// RapidJSON 1.1 counts a validator for each schema dependency but makes one per name, so a
// dependency named twice left a validator never made, which the first value read (a crash). And
// parsers disagree on which of two members counts (RapidJSON's lookups take the first, Jackson's
// tree the last), so the schema's writer and its readers would check different values: every
// object is checked, in keywords' values (enum, const, default) too.
bool NamedTwice(const rapidjson::Value& v, const std::string& where, std::string* at, std::string* name) {
  if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
      if (NamedTwice(v[i], where + "/" + std::to_string(i), at, name)) return true;
    return false;
  }
  if (!v.IsObject()) return false;
  std::set<std::string_view> names;
  for (const auto& m : v.GetObject()) {
    if (!names.emplace(m.name.GetString(), m.name.GetStringLength()).second) {
      *at = where;
      *name = std::string(m.name.GetString(), m.name.GetStringLength());
      return true;
    }
  }
  for (const auto& m : v.GetObject())
    if (NamedTwice(m.value, where + Step(m.name), at, name)) return true;
  return false;
}

}  // namespace

Status GuardMemberNames(const rapidjson::Value& schema) {
  std::string at, name;
  if (!NamedTwice(schema, "#", &at, &name)) return Status::Ok();
  return Status::InvalidArgument("the object at " + at + " has the member '" + name +
                                 "' twice (JSON parsers disagree on which one counts): write it once");
}

Status GuardSchema(const rapidjson::Value& schema) {
  if (Status s = EveryObjectCheck(schema).Check(schema, "#"); !s.ok()) return s;
  if (Status s = ReachableShape(schema).Check(); !s.ok()) return s;
  if (std::string ref = SameValueLoop(schema).Find(); !ref.empty())
    return Status::InvalidArgument("the $ref '" + ref +
                                   "' makes a loop: it applies a schema to the very value that schema is "
                                   "checking, without end (a $ref inside "
                                   "properties or items goes down into the value instead)");
  return Status::Ok();
}

}  // namespace kt
