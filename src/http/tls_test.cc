#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "http/router.h"
#include "http/server.h"
#include "http/testing/self_signed.h"
#include "http/testing/test_client.h"

namespace cp::http {
namespace {

namespace fs = std::filesystem;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cp_http_tls_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    cert_ = (dir_ / "cert.pem").string();
    key_ = (dir_ / "key.pem").string();
    ASSERT_TRUE(testing::WriteSelfSignedCertificate(cert_, key_).ok());
    router_ = std::make_shared<Router>();
    ASSERT_TRUE(
        router_
            ->Get("/secure",
                  [](const Request& r) { return Response::Text(r.secure() ? "secure" : "plain"); })
            .ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  ServerOptions Options(std::string address) {
    ServerOptions o;
    o.bind_address = std::move(address);
    o.threads = 2;
    o.tls_cert_file = cert_;
    o.tls_key_file = key_;
    o.access_log = std::make_shared<MemoryLogger>();
    o.header_timeout = std::chrono::milliseconds(1000);
    return o;
  }

  fs::path dir_;
  std::string cert_;
  std::string key_;
  std::shared_ptr<Router> router_;
};

TEST_F(TlsTest, ServesHttpsWithHsts) {
  Server server(Options("127.0.0.1"), router_);
  ASSERT_TRUE(server.Start().ok());
  EXPECT_TRUE(server.tls());

  testing::TestClientOptions co;
  co.tls = true;
  co.ca_file = cert_;  // Verify the chain against the self-signed certificate.
  testing::TestClient client(server.port(), co);
  auto r = client.Get("/secure");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "secure");
  EXPECT_EQ(r->Header("Strict-Transport-Security").value_or(""),
            "max-age=63072000; includeSubDomains");
  EXPECT_TRUE(r->Header("Content-Security-Policy").has_value());
  auto nf = client.Get("/nothing");
  ASSERT_TRUE(nf.ok());
  EXPECT_EQ(nf->status, 404);
  EXPECT_TRUE(nf->Header("Strict-Transport-Security").has_value());

  // Plain HTTP to the TLS port gets no HTTP answer.
  testing::TestClient plain(server.port());
  auto p = plain.Get("/secure");
  EXPECT_TRUE(!p.ok() || p->status != 200);
  EXPECT_TRUE(server.Stop().ok());
}

TEST_F(TlsTest, TlsMayBindNonLoopback) {
  Server server(Options("0.0.0.0"), router_);
  ASSERT_TRUE(server.Start().ok());
  testing::TestClientOptions co;
  co.tls = true;
  auto r = testing::TestClient(server.port(), co).Get("/secure");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "secure");
}

TEST_F(TlsTest, MismatchedKeyRejected) {
  const std::string other_cert = (dir_ / "other.pem").string();
  const std::string other_key = (dir_ / "other-key.pem").string();
  ASSERT_TRUE(testing::WriteSelfSignedCertificate(other_cert, other_key).ok());
  ServerOptions o = Options("127.0.0.1");
  o.tls_key_file = other_key;
  Server server(o, router_);
  EXPECT_EQ(server.Start().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cp::http
