// Server: an HTTP/1.1 server (Boost.Beast over Boost.Asio) that feeds every request to one
// Handler (usually a Router) on a fixed pool of worker threads.
//
// Policy enforced here, for every request:
//   * TLS: with tls_cert_file + tls_key_file set the server speaks HTTPS only (TLS >= 1.2).
//     Without them it speaks plain HTTP, which Start() permits only on a loopback bind address
//     (127.0.0.0/8 or ::1); anything else is FailedPrecondition. Put a TLS-terminating proxy
//     on the same host, or configure a certificate.
//   * Limits: header block > header_limit -> 431; body > body_limit -> 413; a malformed
//     request (request line, target, headers, framing) -> 400. These responses close the
//     connection. Connections beyond max_connections are closed on accept.
//   * Timeouts: the first request's header must arrive within header_timeout of accepting;
//     a keep-alive connection may wait idle_timeout for its next request's header; a body must
//     arrive within body_timeout; a response must be written within write_timeout. A timed-out
//     connection is closed.
//   * Every response gets the security headers (security_headers.h) and X-Request-Id. Each
//     request gets a fresh 128-bit id (32 hex digits) from `random`.
//   * A handler exception becomes 500 {"error":"internal","message":"Internal server error"}
//     with nothing of the exception leaked (a line {"type":"error","event":"handler_exception"}
//     with the request id is logged).
//   * One access-log line per request (logger.h) to `access_log`.
//
// Thread safety: Start() and Stop() must not be called concurrently with each other; port()
// and the other accessors are safe from any thread once Start() returned.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "http/handler.h"
#include "http/logger.h"

namespace cp::http {

namespace internal {
class ServerImpl;
}  // namespace internal

struct ServerOptions {
  // A numeric IPv4 or IPv6 address (no host names).
  std::string bind_address = "127.0.0.1";
  // 0 picks an ephemeral port; see Server::port().
  uint16_t port = 0;
  // Worker threads running both I/O and handlers. Must be >= 1.
  int threads = 4;
  size_t header_limit = 8 * 1024;
  size_t body_limit = 1024 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds write_timeout{10'000};
  // How long Stop() waits for in-flight requests before abandoning connections.
  std::chrono::milliseconds shutdown_grace{5'000};
  size_t max_connections = 1024;
  // PEM files. Both set: HTTPS only. Both empty: plain HTTP (loopback only). One: error.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Access and error log sink. Null: a StderrLogger.
  std::shared_ptr<Logger> access_log;
  // Source of log timestamps. Null: SystemClock. (Durations use a monotonic clock.)
  std::shared_ptr<const cp::Clock> clock;
  // Source of request ids. Null: SecureRandom. Calls are serialised by the server, so a
  // non-thread-safe source (SeededRandom in tests) is fine.
  std::shared_ptr<cp::RandomSource> random;
};

class Server {
 public:
  // `handler` must not be null; it is shared with the worker threads.
  Server(ServerOptions options, std::shared_ptr<Handler> handler);
  // Stops the server if it is running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Validates options, loads TLS material, binds, listens and starts the worker threads.
  // InvalidArgument: bad options (address, threads, half-configured TLS, unreadable or
  // mismatched certificate/key). FailedPrecondition: plain HTTP on a non-loopback address, or
  // already started. Unavailable: the address cannot be bound.
  cp::Status Start();
  // Graceful stop: stops accepting, lets in-flight requests finish and their responses be
  // written (up to shutdown_grace), closes idle connections, joins the threads. OK if not
  // running. The server cannot be restarted.
  cp::Status Stop();

  // The bound port (the actual one when options.port was 0); 0 before Start().
  uint16_t port() const;
  // True when serving HTTPS.
  bool tls() const;

 private:
  std::unique_ptr<internal::ServerImpl> impl_;
};

}  // namespace cp::http
