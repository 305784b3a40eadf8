#include "kt/io/confirm.hpp"

#include <unistd.h>

#include <iostream>

namespace kt {

Status Confirm(const std::string& what, bool yes) {
  if (yes) return Status::Ok();
  if (!isatty(STDIN_FILENO))
    return Status::InvalidArgument(what + ": needs --yes when not asked on a terminal");
  std::cerr << what << "? [y/N] " << std::flush;
  std::string answer;
  if (std::getline(std::cin, answer) && (answer == "y" || answer == "yes")) return Status::Ok();
  return Status::InvalidArgument(what + ": not confirmed, nothing changed");
}

}  // namespace kt
