#include "http/server.h"

#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "http/errors.h"
#include "http/security_headers.h"

namespace cp::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// Methods logged by name; anything else is logged as "OTHER" (the token is client-chosen).
std::string_view LoggableMethod(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",   "HEAD",    "POST",  "PUT",    "DELETE",
                                                "PATCH", "OPTIONS", "TRACE", "CONNECT"};
  for (std::string_view m : kKnown) {
    if (m == method) return m;
  }
  return "OTHER";
}

bool IsLoopback(const asio::ip::address& address) {
  if (address.is_v4()) return address.to_v4().is_loopback();
  const asio::ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, v6).is_loopback();
  return v6.is_loopback();
}

bool HasCrLf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// The http layer's answer to a Beast read error, or 0 when the connection should just close.
int StatusForReadError(const error_code& ec) {
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return 0;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) return 400;
  return 0;  // Socket errors, timeouts, cancellation.
}

std::string_view SlugFor(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 413:
      return "payload_too_large";
    case 431:
      return "header_too_large";
    default:
      return "error";
  }
}

}  // namespace

namespace internal {

class ServerImpl {
 public:
  ServerImpl(ServerOptions options, std::shared_ptr<Handler> handler)
      : options_(std::move(options)), handler_(std::move(handler)) {
    if (options_.access_log == nullptr) options_.access_log = std::make_shared<StderrLogger>();
    if (options_.clock == nullptr) options_.clock = std::make_shared<cp::SystemClock>();
    if (options_.random == nullptr) options_.random = std::make_shared<cp::SecureRandom>();
  }
  ~ServerImpl() { (void)Stop(); }

  cp::Status Start();
  cp::Status Stop();
  uint16_t port() const { return port_.load(); }
  bool tls() const { return tls_; }

  // --- Used by sessions (any thread). ---
  const ServerOptions& options() const { return options_; }
  Handler& handler() { return *handler_; }
  Logger& log() { return *options_.access_log; }
  const cp::Clock& clock() const { return *options_.clock; }
  std::string NewRequestId();
  bool stopping() const { return stopping_.load(); }

  class SessionBase {
   public:
    virtual ~SessionBase() = default;
    // Asks the session to finish: in-flight responses are completed, then it closes.
    virtual void RequestShutdown() = 0;
  };
  void Register(SessionBase* s, std::weak_ptr<SessionBase> w) {
    std::lock_guard lock(mu_);
    sessions_.emplace(s, std::move(w));
  }
  void Unregister(SessionBase* s) {
    std::lock_guard lock(mu_);
    sessions_.erase(s);
    --connections_;
    cv_.notify_all();
  }

 private:
  void DoAccept();
  void OnAccept(const error_code& ec, tcp::socket socket);

  ServerOptions options_;
  std::shared_ptr<Handler> handler_;
  bool tls_ = false;
  bool started_ = false;
  bool stopped_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<uint16_t> port_{0};

  std::mutex random_mu_;

  // Guards sessions_ and connections_. Declared before io_context_ so that sessions destroyed
  // along with io_context_'s pending handlers can still unregister.
  std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions_;
  size_t connections_ = 0;

  std::optional<ssl::context> ssl_ctx_;
  asio::io_context io_context_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  tcp::acceptor acceptor_{asio::make_strand(io_context_)};
  std::optional<asio::steady_timer> accept_retry_;
  std::vector<std::thread> threads_;
};

namespace {

// One connection. All its handlers run on its strand, so its members need no locking.
template <class Stream>
class Session final : public ServerImpl::SessionBase,
                      public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... Args>
  Session(ServerImpl* server, std::string client_ip, Args&&... args)
      : server_(server), client_ip_(std::move(client_ip)), stream_(std::forward<Args>(args)...) {}
  ~Session() override { server_->Unregister(this); }

  void Run() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

  void RequestShutdown() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      self->closing_ = true;
      if (self->state_ == State::kReading || self->state_ == State::kHandshake) {
        beast::get_lowest_layer(self->stream_).cancel();
      }
    });
  }

 private:
  // kHolding: a handler's response waits for its release (see Hold).
  enum class State { kHandshake, kReading, kHolding, kWriting, kClosing };
  using Self = Session<Stream>;

  auto Bind(void (Self::*fn)(const error_code&, size_t)) {
    return beast::bind_front_handler(fn, this->shared_from_this());
  }

  void Begin() {
    if constexpr (kTls) {
      state_ = State::kHandshake;
      beast::get_lowest_layer(stream_).expires_after(server_->options().header_timeout);
      stream_.async_handshake(
          ssl::stream_base::server,
          beast::bind_front_handler(&Self::OnHandshake, this->shared_from_this()));
    } else {
      ReadHeader();
    }
  }

  void OnHandshake(const error_code& ec) {
    if (ec) return;  // Drop the connection; nothing can be said to a non-TLS peer.
    ReadHeader();
  }

  void ReadHeader() {
    if (closing_) return Close();
    state_ = State::kReading;
    const ServerOptions& o = server_->options();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(o.header_limit));
    parser_->body_limit(o.body_limit);
    beast::get_lowest_layer(stream_).expires_after(requests_ == 0 ? o.header_timeout
                                                                  : o.idle_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_, Bind(&Self::OnReadHeader));
  }

  void OnReadHeader(const error_code& ec, size_t /*bytes*/) {
    if (ec) return OnReadError(ec);
    started_ = std::chrono::steady_clock::now();
    start_time_ = server_->clock().Now();
    const auto& header = parser_->get();
    // Both framings at once is a request-smuggling vector: refuse (RFC 9112 section 6.3).
    if (header.count(bhttp::field::content_length) > 0 &&
        header.count(bhttp::field::transfer_encoding) > 0) {
      return SendFrameworkError(400);
    }
    if (parser_->is_done()) return OnRequest();
    beast::get_lowest_layer(stream_).expires_after(server_->options().body_timeout);
    if (EqualsIgnoreCase(header[bhttp::field::expect], "100-continue")) {
      continue_.emplace(bhttp::status::continue_, 11);
      return bhttp::async_write(stream_, *continue_, Bind(&Self::OnContinueSent));
    }
    bhttp::async_read(stream_, buffer_, *parser_, Bind(&Self::OnReadBody));
  }

  void OnContinueSent(const error_code& ec, size_t /*bytes*/) {
    continue_.reset();
    if (ec) return;  // Drop.
    bhttp::async_read(stream_, buffer_, *parser_, Bind(&Self::OnReadBody));
  }

  void OnReadBody(const error_code& ec, size_t /*bytes*/) {
    if (ec) return OnReadError(ec);
    OnRequest();
  }

  void OnReadError(const error_code& ec) {
    const int status = StatusForReadError(ec);
    if (status == 0) return Close();
    started_ = std::chrono::steady_clock::now();
    start_time_ = server_->clock().Now();
    SendFrameworkError(status);
  }

  // Answers a request the http layer refused before any handler saw it; closes afterwards.
  void SendFrameworkError(int status) {
    parser_.reset();
    method_ = "-";
    head_ = false;
    Send(SimpleErrorResponse(status, SlugFor(status), ReasonPhrase(status), true),
         /*keep_alive=*/false, /*route=*/"");
  }

  void OnRequest() {
    ++requests_;
    bhttp::request<bhttp::string_body> req = parser_->release();
    parser_.reset();
    const bool keep_alive = req.keep_alive();
    method_ = std::string(LoggableMethod(req.method_string()));
    head_ = req.method() == bhttp::verb::head;

    RequestInit init;
    init.method = std::string(req.method_string());
    init.target = std::string(req.target());
    for (const auto& field : req) {
      init.headers.Add(std::string(field.name_string()), std::string(field.value()));
    }
    init.body = std::move(req.body());
    init.client_ip = client_ip_;
    init.secure = kTls;
    init.request_id = request_id_ = server_->NewRequestId();

    cp::Result<Request> request = Request::Create(std::move(init));
    if (!request.ok()) {
      return Send(SimpleErrorResponse(400, "bad_request", "Bad request", true), false, "");
    }
    Response response;
    try {
      response = server_->handler().Handle(*request);
    } catch (...) {
      server_->log().Write(R"({"type":"error","event":"handler_exception","request_id":")" +
                           request_id_ + "\"}");
      response = ErrorResponse(cp::Status::Internal("handler exception"));
    }
    if (response.status() < 200 || response.status() > 599) {
      response = ErrorResponse(cp::Status::Internal("bad status"));
    }
    if (response.held()) return Hold(std::move(response), keep_alive, request->route_pattern());
    Send(std::move(response), keep_alive, request->route_pattern());
  }

  // Sends `response` once its release reports OK (an error response otherwise), without
  // occupying a worker thread meanwhile: `done` hands the response back to this connection's
  // strand from whichever thread reports.
  void Hold(Response response, bool keep_alive, std::string route) {
    state_ = State::kHolding;
    Response::Release release = response.TakeRelease();
    Response::FailureResponder on_failure = response.TakeFailureResponder();
    auto held = std::make_shared<Response>(std::move(response));
    auto once = std::make_shared<std::atomic<bool>>(false);
    auto done = [self = this->shared_from_this(), held, once, keep_alive, route = std::move(route),
                 on_failure = std::move(on_failure)](cp::Status status) {
      if (once->exchange(true)) return;  // A release reports once; ignore any repeat.
      asio::post(self->stream_.get_executor(), [self, held, keep_alive, route, status, on_failure] {
        if (!status.ok()) *held = on_failure ? on_failure(status) : ErrorResponse(status);
        self->Send(std::move(*held), keep_alive, route);
      });
    };
    try {
      release(std::move(done));
    } catch (...) {
      server_->log().Write(R"({"type":"error","event":"handler_exception","request_id":")" +
                           request_id_ + "\"}");
      if (!once->exchange(true)) {
        Send(ErrorResponse(cp::Status::Internal("handler exception")), false, "");
      }
    }
  }

  // Frames, secures and writes `response`; logs the request when the write completes.
  void Send(Response response, bool keep_alive, std::string route) {
    if (request_id_.empty()) request_id_ = server_->NewRequestId();
    ApplySecurityHeaders(response, kTls, request_id_);
    route_ = std::move(route);
    status_ = response.status();
    bytes_ = response.body().size();

    res_ = {};
    res_.version(11);
    res_.result(static_cast<unsigned>(response.status()));
    for (const auto& [name, value] : response.headers().fields()) {
      if (name.empty() || HasCrLf(name) || HasCrLf(value)) continue;  // No response splitting.
      if (EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Connection") ||
          EqualsIgnoreCase(name, "Transfer-Encoding")) {
        continue;  // Framing is ours.
      }
      res_.insert(name, value);
    }
    const size_t body_size = response.body().size();
    if (head_) {
      res_.content_length(body_size);
    } else {
      res_.body() = std::move(response.mutable_body());
      res_.prepare_payload();
    }
    keep_alive_ = keep_alive && !closing_ && !server_->stopping();
    res_.keep_alive(keep_alive_);

    state_ = State::kWriting;
    beast::get_lowest_layer(stream_).expires_after(server_->options().write_timeout);
    bhttp::async_write(stream_, res_, Bind(&Self::OnWrite));
  }

  void OnWrite(const error_code& ec, size_t /*bytes*/) {
    AccessLogEntry entry;
    entry.time = start_time_;
    entry.request_id = request_id_;
    entry.method = method_;
    entry.route = route_;
    entry.status = status_;
    entry.duration_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count();
    entry.bytes = bytes_;
    server_->log().Write(FormatAccessLogLine(entry));
    request_id_.clear();
    res_ = {};
    if (ec) return;  // Drop.
    if (!keep_alive_) return Close();
    ReadHeader();
  }

  // Closes gracefully: TLS close_notify, or a TCP half-close followed by draining what the
  // peer still sends (so an early error response is not destroyed by a reset).
  void Close() {
    if (state_ == State::kClosing) return;
    state_ = State::kClosing;
    auto& lowest = beast::get_lowest_layer(stream_);
    if constexpr (kTls) {
      lowest.expires_after(std::chrono::seconds(1));
      stream_.async_shutdown(
          beast::bind_front_handler(&Self::OnShutdown, this->shared_from_this()));
    } else {
      error_code ignored;
      lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
      lowest.expires_after(std::chrono::seconds(1));
      Drain();
    }
  }

  void OnShutdown(const error_code& /*ec*/) {
    error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

  void Drain() {
    beast::get_lowest_layer(stream_).async_read_some(
        asio::buffer(drain_), [self = this->shared_from_this()](const error_code& ec, size_t) {
          if (ec) {
            error_code ignored;
            beast::get_lowest_layer(self->stream_).socket().close(ignored);
            return;
          }
          self->Drain();
        });
  }

  ServerImpl* server_;
  std::string client_ip_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  State state_ = State::kHandshake;
  bool closing_ = false;
  bool keep_alive_ = false;
  bool head_ = false;
  uint64_t requests_ = 0;
  std::array<char, 4096> drain_;

  // The request being answered (for the access log).
  std::chrono::steady_clock::time_point started_;
  cp::TimePoint start_time_;
  std::string request_id_;
  std::string method_;
  std::string route_;
  int status_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace

std::string ServerImpl::NewRequestId() {
  std::array<uint8_t, 16> bytes;
  {
    std::lock_guard lock(random_mu_);
    options_.random->Fill(bytes);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

cp::Status ServerImpl::Start() {
  if (started_) return cp::Status::FailedPrecondition("server already started");
  if (options_.threads < 1 || options_.threads > 256) {
    return cp::Status::InvalidArgument("threads must be in 1..256", "threads");
  }
  if (options_.max_connections < 1) {
    return cp::Status::InvalidArgument("max_connections must be >= 1", "max_connections");
  }
  if (options_.header_limit < 256 || options_.header_limit > (1u << 20)) {
    return cp::Status::InvalidArgument("header_limit out of range", "header_limit");
  }
  if (handler_ == nullptr) return cp::Status::InvalidArgument("no handler", "handler");
  error_code ec;
  const asio::ip::address address = asio::ip::make_address(options_.bind_address, ec);
  if (ec) return cp::Status::InvalidArgument("bind_address is not an IP address", "bind_address");
  const bool has_cert = !options_.tls_cert_file.empty();
  const bool has_key = !options_.tls_key_file.empty();
  if (has_cert != has_key) {
    return cp::Status::InvalidArgument("TLS needs both a certificate and a key", "tls");
  }
  tls_ = has_cert;
  if (!tls_ && !IsLoopback(address)) {
    return cp::Status::FailedPrecondition(
        "plain HTTP is only allowed on a loopback address; configure TLS", "bind_address");
  }

  try {
    if (tls_) {
      ssl_ctx_.emplace(ssl::context::tls_server);
      ssl_ctx_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                            ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                            ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
      SSL_CTX* native = ssl_ctx_->native_handle();
      SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
      SSL_CTX_set_cipher_list(native, "ECDHE+AESGCM:ECDHE+CHACHA20");
      ssl_ctx_->use_certificate_chain_file(options_.tls_cert_file, ec);
      if (ec) return cp::Status::InvalidArgument("cannot load TLS certificate", "tls_cert_file");
      ssl_ctx_->use_private_key_file(options_.tls_key_file, ssl::context::pem, ec);
      if (ec) return cp::Status::InvalidArgument("cannot load TLS key", "tls_key_file");
      if (SSL_CTX_check_private_key(native) != 1) {
        return cp::Status::InvalidArgument("TLS key does not match certificate", "tls_key_file");
      }
    }

    const tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      error_code ignored;
      acceptor_.close(ignored);
      return cp::Status::Unavailable("cannot listen on " + options_.bind_address + ":" +
                                     std::to_string(options_.port) + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint(ec).port();
    started_ = true;
    work_.emplace(io_context_.get_executor());
    accept_retry_.emplace(acceptor_.get_executor());
    DoAccept();
    for (int i = 0; i < options_.threads; ++i) {
      threads_.emplace_back([this] {
        for (;;) {
          try {
            io_context_.run();
            return;
          } catch (const std::exception&) {
            log().Write(R"({"type":"error","event":"worker_exception"})");
          }
        }
      });
    }
  } catch (const std::exception&) {
    return cp::Status::Internal("server start failed");
  }
  return cp::Status::Ok();
}

void ServerImpl::DoAccept() {
  acceptor_.async_accept(
      asio::make_strand(io_context_),
      [this](const error_code& ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void ServerImpl::OnAccept(const error_code& ec, tcp::socket socket) {
  if (stopping_.load() || ec == asio::error::operation_aborted) return;
  if (ec) {
    // E.g. out of file descriptors: back off briefly rather than spin.
    accept_retry_->expires_after(std::chrono::milliseconds(50));
    accept_retry_->async_wait([this](const error_code& wait_ec) {
      if (!wait_ec && !stopping_.load()) DoAccept();
    });
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (connections_ >= options_.max_connections) {
      error_code ignored;
      socket.close(ignored);
      DoAccept();
      return;
    }
    ++connections_;
  }
  error_code endpoint_ec;
  const tcp::endpoint remote = socket.remote_endpoint(endpoint_ec);
  std::string client_ip = endpoint_ec ? std::string() : remote.address().to_string();
  std::shared_ptr<SessionBase> session;
  if (tls_) {
    auto s = std::make_shared<Session<ssl::stream<beast::tcp_stream>>>(
        this, std::move(client_ip), beast::tcp_stream(std::move(socket)), *ssl_ctx_);
    Register(s.get(), s);
    s->Run();
  } else {
    auto s =
        std::make_shared<Session<beast::tcp_stream>>(this, std::move(client_ip), std::move(socket));
    Register(s.get(), s);
    s->Run();
  }
  DoAccept();
}

cp::Status ServerImpl::Stop() {
  if (!started_ || stopped_) return cp::Status::Ok();
  stopped_ = true;
  stopping_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    error_code ignored;
    acceptor_.close(ignored);
    if (accept_retry_) accept_retry_->cancel();
  });
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard lock(mu_);
    for (auto& [ptr, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->RequestShutdown();
  live.clear();
  {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options_.shutdown_grace, [this] { return connections_ == 0; });
  }
  work_.reset();
  io_context_.stop();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  return cp::Status::Ok();
}

}  // namespace internal

Server::Server(ServerOptions options, std::shared_ptr<Handler> handler)
    : impl_(std::make_unique<internal::ServerImpl>(std::move(options), std::move(handler))) {}
Server::~Server() = default;
cp::Status Server::Start() { return impl_->Start(); }
cp::Status Server::Stop() { return impl_->Stop(); }
uint16_t Server::port() const { return impl_->port(); }
bool Server::tls() const { return impl_->tls(); }

}  // namespace cp::http
