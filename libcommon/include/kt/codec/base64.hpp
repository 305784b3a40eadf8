// Standard base64 (RFC 4648, with padding), used by the `binary` codec.
#pragma once

#include <string>
#include <string_view>

#include "kt/core/status.hpp"

namespace kt {

void Base64Encode(std::string_view in, std::string* out);
// Accepts padded or unpadded input; whitespace is not allowed.
Status Base64Decode(std::string_view in, std::string* out);

}  // namespace kt
