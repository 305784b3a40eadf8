#include "generators.hpp"

#include <array>
#include <cmath>

#include "kt/core/json.hpp"
#include "kt/core/time.hpp"

namespace kt::kgen {

namespace {

double Round2(double x) { return std::round(x * 100.0) / 100.0; }

// Click events: ~5 per second, about 3 % of them timestamped up to 2 s in the past (late).
class ClickEvents : public Generator {
 public:
  ClickEvents(uint64_t seed, int64_t start) : rng_(seed), t_(start) {}
  void Next(std::string* json, int64_t* time_ms) override {
    static constexpr std::array<const char*, 12> kNames = {"mo", "ben",  "hana", "sara", "eli", "ada",
                                                           "li", "noor", "tom",  "ines", "raj", "zoe"};
    static constexpr std::array<const char*, 3> kDomains = {"example.com", "mail.test", "shop.test"};
    static constexpr std::array<const char*, 12> kUris = {
        "/",       "/home",    "/products", "/products/42", "/cart",         "/checkout",
        "/search", "/account", "/help",     "/blog/faust",  "/blog/streams", "/api/v1/orders"};
    t_ = Advance(t_, static_cast<int64_t>(rng_.Below(400)));  // mean 200 ms between events
    int64_t t = t_;
    if (rng_.Below(100) < 3) t -= static_cast<int64_t>(1 + rng_.Below(2000));
    std::string email = std::string(kNames[rng_.Below(kNames.size())]) + std::to_string(rng_.Below(100)) +
                        "@" + kDomains[rng_.Below(kDomains.size())];
    std::string ts = FormatRfc3339(t);
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.StartObject();
    w.Key("email");
    w.String(email);
    w.Key("timestamp");
    w.String(ts);
    w.Key("uri");
    w.String(kUris[rng_.Below(kUris.size())]);
    w.Key("number");
    w.Int(static_cast<int>(rng_.Below(201)));
    w.EndObject();
    json->assign(sb.GetString(), sb.GetSize());
    *time_ms = t;
  }

 private:
  Rng rng_;
  int64_t t_;
};

// Taxi rides with the TLC yellow-taxi columns; amounts add up to total_amount.
class TaxiRides : public Generator {
 public:
  TaxiRides(uint64_t seed, int64_t start) : rng_(seed), t_(start) {}
  void Next(std::string* json, int64_t* time_ms) override {
    t_ = Advance(t_, 1000 * static_cast<int64_t>(rng_.Below(20)));
    int64_t minutes = 2 + static_cast<int64_t>(rng_.Below(45));
    int64_t dropoff = t_ + minutes * 60'000 + static_cast<int64_t>(rng_.Below(60)) * 1000;
    double distance = Round2(minutes * (0.15 + rng_.Unit() * 0.35));
    int payment = 1 + static_cast<int>(rng_.Below(4));
    double fare = Round2(2.5 + distance * 2.5 + minutes * 0.35);
    double extra = rng_.Below(3) == 0 ? 0.5 : (rng_.Below(4) == 0 ? 3.0 : 0.0);
    double tip = payment == 1 ? Round2(fare * (0.1 + rng_.Unit() * 0.15)) : 0.0;
    double tolls = rng_.Below(15) == 0 ? 6.12 : 0.0;
    double congestion = rng_.Below(5) == 0 ? 0.0 : 2.5;
    double total = Round2(fare + extra + 0.5 + tip + tolls + 0.3 + congestion);
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    auto str = [&](const char* k, const std::string& v) { w.Key(k), w.String(v); };
    auto num = [&](const char* k, double v) { w.Key(k), w.Double(v); };
    auto integer = [&](const char* k, int v) { w.Key(k), w.Int(v); };
    w.StartObject();
    integer("VendorID", 1 + static_cast<int>(rng_.Below(2)));
    str("tpep_pickup_datetime", Local(t_));
    str("tpep_dropoff_datetime", Local(dropoff));
    integer("passenger_count", 1 + static_cast<int>(rng_.Below(6)));
    num("trip_distance", distance);
    integer("RatecodeID", rng_.Below(20) == 0 ? 2 : 1);
    str("store_and_fwd_flag", rng_.Below(50) == 0 ? "Y" : "N");
    integer("PULocationID", 1 + static_cast<int>(rng_.Below(265)));
    integer("DOLocationID", 1 + static_cast<int>(rng_.Below(265)));
    integer("payment_type", payment);
    num("fare_amount", fare);
    num("extra", extra);
    num("mta_tax", 0.5);
    num("tip_amount", tip);
    num("tolls_amount", tolls);
    num("improvement_surcharge", 0.3);
    num("total_amount", total);
    num("congestion_surcharge", congestion);
    w.EndObject();
    json->assign(sb.GetString(), sb.GetSize());
    *time_ms = t_;
  }

 private:
  // "2020-01-01 00:28:15", the TLC format (UTC here).
  static std::string Local(int64_t ms) {
    std::string s = FormatRfc3339(ms - ms % 1000);  // "2020-01-01T00:28:15.000Z"
    s[10] = ' ';
    return s.substr(0, 19);
  }
  Rng rng_;
  int64_t t_;
};

}  // namespace

std::unique_ptr<Generator> MakeGenerator(const std::string& kind, uint64_t seed, int64_t start_ms) {
  if (kind == "clickevents") return std::make_unique<ClickEvents>(seed, start_ms);
  if (kind == "taxi") return std::make_unique<TaxiRides>(seed, start_ms);
  return nullptr;
}

}  // namespace kt::kgen
