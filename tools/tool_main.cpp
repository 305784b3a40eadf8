// The executable's entry point, compiled once per tool with KT_TOOL defined as the tool's name
// (cmake/KtTool.cmake). The tool's wiring, kt::<tool>::Main, is in tools/<tool>/main.cpp, which
// is compiled into the library kt_<tool> beside the tool's other files. In a unity build it then
// shares their batch: CLI11 is header-only, and a file that includes it spends 6-12 s compiling
// CLI11's inline functions and global validators, so once per tool instead of twice.
namespace kt::KT_TOOL {
int Main(int argc, char** argv);
}  // namespace kt::KT_TOOL

int main(int argc, char** argv) { return kt::KT_TOOL::Main(argc, argv); }
