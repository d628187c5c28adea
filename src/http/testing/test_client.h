// TestClient: a small synchronous HTTP/1.1 client for integration tests of any layer that
// serves through cp::http::Server. Not for production use.
//
// Every call opens a fresh connection ("Connection: close"), so a test never depends on
// keep-alive behaviour by accident. A cookie jar remembers cookies set by responses (by name
// only: no domain/path/expiry logic beyond Max-Age<=0 deleting) and sends them back.
//
// Thread safety: none; use one TestClient per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/header_map.h"

namespace cp::http::testing {

struct TestResponse {
  int status = 0;
  HeaderMap headers;
  std::string body;

  std::optional<std::string_view> Header(std::string_view name) const { return headers.Get(name); }
};

struct TestClientOptions {
  std::string host = "127.0.0.1";
  // Speak TLS. With `ca_file` set the server certificate must chain to it (host name not
  // checked); otherwise it is not verified at all.
  bool tls = false;
  std::string ca_file;
  // SNI name sent under TLS.
  std::string server_name = "localhost";
  // Per call: connect + write + read.
  std::chrono::milliseconds timeout{10'000};
};

class TestClient {
 public:
  explicit TestClient(uint16_t port, TestClientOptions options = {});

  // Sends one request. Unavailable when the connection fails or times out, Internal when the
  // response cannot be parsed. An HTTP error status is a successful result.
  cp::Result<TestResponse> Send(std::string_view method, std::string_view target,
                                std::string body = {}, const HeaderMap& headers = {});
  cp::Result<TestResponse> Get(std::string_view target, const HeaderMap& headers = {}) {
    return Send("GET", target, {}, headers);
  }
  // Sets Content-Type to `content_type` unless `headers` has one.
  cp::Result<TestResponse> Post(std::string_view target, std::string body,
                                std::string_view content_type = "application/json",
                                const HeaderMap& headers = {});
  cp::Result<TestResponse> Delete(std::string_view target, const HeaderMap& headers = {}) {
    return Send("DELETE", target, {}, headers);
  }

  // Plain TCP only: writes `bytes` verbatim, half-closes nothing, and returns everything the
  // server sends until it closes the connection or `wait` passes (whatever arrived so far).
  // Unavailable if the connection cannot be made.
  cp::Result<std::string> SendRaw(std::string_view bytes,
                                  std::chrono::milliseconds wait = std::chrono::seconds(5));

  // The cookie jar (names as on the wire, e.g. "__Host-session").
  std::optional<std::string> cookie(std::string_view name) const;
  void SetCookie(std::string name, std::string value) { jar_[std::move(name)] = std::move(value); }
  void ClearCookies() { jar_.clear(); }

 private:
  void StoreCookies(const HeaderMap& headers);

  uint16_t port_;
  TestClientOptions options_;
  std::map<std::string, std::string, std::less<>> jar_;
};

}  // namespace cp::http::testing
