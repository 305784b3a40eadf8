// A key's state as a store keeps it and a changelog logs it: the value a Transform keeps, and
// beside it, never mixed into it, the bookkeeping that makes it exact:
//   value  the state itself (JSON text): what the store's readers (get, dump) show
//   aux    the Transform's hidden working state, or "" (avg's running sums; opaque here)
//   pos    the input positions the state reflects (state/positions.hpp)
//
// In a store: `value`, then, when aux or pos is not empty, NUL, aux, NUL, pos's text. JSON text
// never holds a NUL byte (core/json_reader.hpp refuses one), so the value ends at the first.
// In a changelog: the record's value is `value`; aux and pos travel in the headers kt.aux and
// kt.pos, so a changelog read by anyone else (kconsume) is the plain state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kt/core/record.hpp"
#include "kt/core/status.hpp"
#include "kt/state/positions.hpp"

namespace kt {

struct StateView {
  std::string_view value;
  std::string_view aux;
  AppliedPositions pos;
};

// Appends the store encoding of a state to `out`.
void EncodeState(std::string_view value, std::string_view aux, const AppliedPositions& pos, std::string* out);
// The parts of a store encoding (views into `stored`). IoError when the bookkeeping is damaged.
Result<StateView> DecodeState(std::string_view stored);

// The changelog headers of a state (kt.aux, kt.pos; only those not empty), views into `aux`
// and `pos_text`, which must outlive them.
void AppendStateHeaders(std::string_view aux, std::string_view pos_text, Headers* headers);
// The store encoding of a changelog record's value and headers, into `out`.
void StoredFromChangelog(std::string_view value, const Headers& headers, std::string* out);

}  // namespace kt
