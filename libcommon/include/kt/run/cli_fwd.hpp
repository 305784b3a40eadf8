// The CLI11 names option-declaring interfaces use, declared without <CLI/CLI.hpp>. That header
// alone takes ~5 s to compile; only the files that declare or parse options (a tool's main.cpp,
// its *_options.cpp, its subcommands, run/options.cpp) include it, not every file that reaches
// CommonOptions through the Runner's headers.
#pragma once

namespace CLI {
class App;
class Validator;
class ParseError;
}  // namespace CLI
