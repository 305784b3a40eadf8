#include "kt/kafka/config.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "../temp_dir.hpp"

namespace {
struct FakeEnv {
  std::map<std::string, std::string> vars;
  kt::EnvLookup Lookup() const {
    return [this](const char* n) -> const char* {
      auto it = vars.find(n);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

}  // namespace

TEST_CASE("brokers: -b beats $KT_BROKERS beats config beats default") {
  kt_test::TempDir tmp("kt-config");
  std::string file = tmp.File("client.conf", "bootstrap.servers=file:9092\nclient.id=x\n");
  FakeEnv env;
  kt::KafkaConfigInputs in;
  in.config_flag = file;

  auto c = kt::ResolveKafkaConfig(in, env.Lookup());
  REQUIRE(c.ok());
  CHECK(c->brokers == "file:9092");
  CHECK(c->brokers_origin == "config");

  env.vars["KT_BROKERS"] = "env:9092";
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->brokers == "env:9092");

  in.brokers_flag = "flag:9092";
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->brokers == "flag:9092");

  kt::KafkaConfigInputs none;
  FakeEnv empty;
  empty.vars["HOME"] = "/nonexistent";
  auto d = kt::ResolveKafkaConfig(none, empty.Lookup());
  CHECK(d->brokers == "localhost:9092");
  CHECK(d->brokers_origin == "default");
}

TEST_CASE("config file: -F beats $KT_CONFIG beats ~/.config/ktools/ktools.conf") {
  kt_test::TempDir tmp("kt-config");
  std::string f1 = tmp.File("f1.conf", "client.id=from-flag\n");
  std::string f2 = tmp.File("f2.conf", "client.id=from-env\n");
  std::string home = tmp.path() + "/home";
  tmp.File("home/.config/ktools/ktools.conf", "client.id=from-home\n");

  FakeEnv env;
  env.vars["HOME"] = home;
  kt::KafkaConfigInputs in;
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->Get("client.id") == "from-home");
  env.vars["KT_CONFIG"] = f2;
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->Get("client.id") == "from-env");
  in.config_flag = f1;
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->Get("client.id") == "from-flag");
  // -X overrides the file, in order.
  in.properties = {"client.id=x1", "client.id=x2"};
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->Get("client.id") == "x2");
}

TEST_CASE("profiles: --profile NAME reads ~/.config/ktools/NAME.conf, below -F, above $KT_CONFIG") {
  kt_test::TempDir tmp("kt-config");
  std::string home = tmp.path() + "/home";
  std::string dir = home + "/.config/ktools";
  tmp.File("home/.config/ktools/ktools.conf", "client.id=from-home\n");
  tmp.File("home/.config/ktools/prod.conf", "bootstrap.servers=prod:9093\nsasl.password=hunter2\n");
  tmp.File("home/.config/ktools/dev.conf", "bootstrap.servers=dev:9092\n");
  std::string other = tmp.File("other.conf", "client.id=from-flag\n");

  FakeEnv env;
  env.vars["HOME"] = home;
  kt::KafkaConfigInputs in;
  in.profile_flag = "prod";
  auto c = kt::ResolveKafkaConfig(in, env.Lookup());
  REQUIRE(c.ok());
  CHECK(c->brokers == "prod:9093");
  CHECK(c->config_file == dir + "/prod.conf");
  CHECK(c->Get("client.id").empty());  // the profile instead of ktools.conf, not on top of it
  std::string dump = kt::DumpKafkaConfig(*c);
  CHECK(dump.find("config file " + dir + "/prod.conf (profile prod)") != std::string::npos);
  CHECK(dump.find("hunter2") == std::string::npos);

  env.vars["KT_CONFIG"] = other;  // a flag beats the environment
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->brokers == "prod:9093");
  in.profile_flag.clear();
  env.vars["KT_PROFILE"] = "dev";  // a file named beats a profile named, both from the environment
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->Get("client.id") == "from-flag");
  env.vars.erase("KT_CONFIG");
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->brokers == "dev:9092");
  in.config_flag = other;  // -F beats them all
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->Get("client.id") == "from-flag");

  in.config_flag.clear();
  in.profile_flag = "staging";
  auto missing = kt::ResolveKafkaConfig(in, env.Lookup());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().IsInvalidArgument());
  CHECK(missing.status().message() ==
        "--profile 'staging': no file " + dir +
            "/staging.conf (a profile is a config file there; -F names any other)");
  in.profile_flag = "../etc/passwd";
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup()).status().message().find("not a path") != std::string::npos);
  in.profile_flag.clear();
  env.vars["KT_PROFILE"] = "nope";
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup()).status().message().find("$KT_PROFILE 'nope': no file") == 0);
}

TEST_CASE("-X bootstrap.servers counts as config, below -b and $KT_BROKERS") {
  FakeEnv env;
  env.vars["HOME"] = "/nonexistent";
  kt::KafkaConfigInputs in;
  in.properties = {"bootstrap.servers=x:1"};
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->brokers == "x:1");
  env.vars["KT_BROKERS"] = "e:1";
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup())->brokers == "e:1");
}

TEST_CASE("config errors are usage errors that name the place") {
  FakeEnv env;
  kt::KafkaConfigInputs in;
  in.config_flag = "/nonexistent/ktools.conf";
  CHECK_FALSE(kt::ResolveKafkaConfig(in, env.Lookup()).ok());
  auto p = kt::ParseProperties("a=1\n# c\n\nbroken line\n", "f.conf");
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().message().find("f.conf:4") != std::string::npos);
  in.config_flag.clear();
  in.properties = {"novalue"};
  CHECK(kt::ResolveKafkaConfig(in, env.Lookup()).status().IsInvalidArgument());
}

TEST_CASE("-X dump masks passwords, secrets and sasl.*") {
  FakeEnv env;
  env.vars["HOME"] = "/nonexistent";
  kt::KafkaConfigInputs in;
  in.brokers_flag = "b:9092";
  in.properties = {"sasl.username=alice", "sasl.password=hunter2", "ssl.key.password=k",
                   "my.client.secret=s",  "client.id=visible",     "sasl.mechanism=PLAIN"};
  std::string dump = kt::DumpKafkaConfig(*kt::ResolveKafkaConfig(in, env.Lookup()));
  CHECK(dump.find("hunter2") == std::string::npos);
  CHECK(dump.find("alice") == std::string::npos);
  CHECK(dump.find("ssl.key.password=********") != std::string::npos);
  CHECK(dump.find("my.client.secret=********") != std::string::npos);
  CHECK(dump.find("sasl.mechanism=********") != std::string::npos);
  CHECK(dump.find("client.id=visible") != std::string::npos);
  CHECK(dump.find("bootstrap.servers=b:9092") != std::string::npos);
  CHECK(kt::IsSecretProperty("SASL.JAAS.CONFIG"));
  CHECK_FALSE(kt::IsSecretProperty("security.protocol"));
}

// Issue 11: -X ssl.key.pem=... -X dump printed the private key in the clear.
TEST_CASE("-X dump masks private keys, keystores and OAuth tokens") {
  FakeEnv env;
  env.vars["HOME"] = "/nonexistent";
  kt::KafkaConfigInputs in;
  in.brokers_flag = "b:9092";
  in.properties = {"ssl.key.pem=-----BEGIN PRIVATE KEY-----abc", "ssl.keystore.location=/k.p12",
                   "sasl.oauthbearer.config=principal=x token=t0k", "ssl.ca.location=/ca.pem"};
  std::string dump = kt::DumpKafkaConfig(*kt::ResolveKafkaConfig(in, env.Lookup()));
  CHECK(dump.find("PRIVATE KEY") == std::string::npos);
  CHECK(dump.find("ssl.key.pem=********") != std::string::npos);
  CHECK(dump.find("ssl.keystore.location=********") != std::string::npos);
  CHECK(dump.find("t0k") == std::string::npos);
  CHECK(dump.find("ssl.ca.location=/ca.pem") != std::string::npos);  // not a secret
}
