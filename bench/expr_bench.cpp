// Expression microbenchmark: evaluations per second of an expression on a parsed click event.
//   build/bench/expr_bench ['EXPR'] [N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kt/expr/expr.hpp"

int main(int argc, char** argv) {
  std::string src = argc > 1 ? argv[1] : "number >= 100 and uri ~ \"^/prod\"";
  long n = argc > 2 ? std::atol(argv[2]) : 20'000'000;
  auto e = kt::expr::Expr::Parse(src);
  if (!e.ok()) {
    std::fprintf(stderr, "%s\n", e.status().message().c_str());
    return 2;
  }
  // Two records so the branch predictor and the regex see both outcomes.
  rapidjson::Document a, b;
  (void)kt::ParseJson(
      R"({"email":"mo84@example.com","timestamp":"2026-11-20T09:00:00.165Z","uri":"/products/42","number":137})",
      &a);
  (void)kt::ParseJson(
      R"({"email":"ben65@mail.test","timestamp":"2026-11-20T09:00:00.213Z","uri":"/","number":22})", &b);
  kt::Record rec;
  kt::expr::EvalContext ctx(1);
  long truthy = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < n; ++i) {
    ctx.Reset(&rec, (i & 1) ? &a : &b);
    truthy += e->Eval(ctx).Truthy();
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%-45s %12.0f evals/s  (%.1f ns/eval, %ld truthy of %ld)\n", src.c_str(), n / s, s / n * 1e9,
              truthy, n);
  return 0;
}
