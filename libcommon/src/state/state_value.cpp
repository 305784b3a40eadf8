#include "kt/state/state_value.hpp"

namespace kt {

namespace {
constexpr std::string_view kStateAuxHeader = "kt.aux";
constexpr std::string_view kStatePosHeader = "kt.pos";

void Frame(std::string_view value, std::string_view aux, std::string_view pos_text, std::string* out) {
  out->append(value);
  if (aux.empty() && pos_text.empty()) return;
  out->push_back('\0');
  out->append(aux);
  out->push_back('\0');
  out->append(pos_text);
}
}  // namespace

void EncodeState(std::string_view value, std::string_view aux, const AppliedPositions& pos,
                 std::string* out) {
  out->append(value);
  if (aux.empty() && pos.empty()) return;
  out->push_back('\0');
  out->append(aux);
  out->push_back('\0');
  pos.AppendText(out);
}

Result<StateView> DecodeState(std::string_view stored) {
  StateView v;
  size_t nul = stored.find('\0');
  v.value = stored.substr(0, nul);
  if (nul == std::string_view::npos) return v;
  std::string_view rest = stored.substr(nul + 1);
  size_t nul2 = rest.find('\0');
  if (nul2 == std::string_view::npos) return Status::IoError("a stored state with damaged bookkeeping");
  v.aux = rest.substr(0, nul2);
  auto pos = AppliedPositions::Parse(rest.substr(nul2 + 1));
  if (!pos.ok()) return Status::IoError("a stored state with damaged positions: " + pos.status().message());
  v.pos = std::move(*pos);
  return v;
}

void AppendStateHeaders(std::string_view aux, std::string_view pos_text, Headers* headers) {
  if (!aux.empty()) headers->push_back({kStateAuxHeader, aux});
  if (!pos_text.empty()) headers->push_back({kStatePosHeader, pos_text});
}

void StoredFromChangelog(std::string_view value, const Headers& headers, std::string* out) {
  std::string_view aux, pos;
  for (const Header& h : headers) {
    if (h.name == kStateAuxHeader && h.value)
      aux = *h.value;
    else if (h.name == kStatePosHeader && h.value)
      pos = *h.value;
  }
  out->clear();
  Frame(value, aux, pos, out);
}

}  // namespace kt
