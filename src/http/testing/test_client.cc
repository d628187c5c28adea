#include "http/testing/test_client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <exception>

namespace cp::http::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// Runs one request/response exchange over an already connected stream.
template <class Stream>
cp::Result<TestResponse> Exchange(Stream& stream, bhttp::request<bhttp::string_body>& req) {
  error_code ec;
  bhttp::write(stream, req, ec);
  if (ec) return cp::Status::Unavailable("write failed: " + ec.message());
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(boost::none);
  parser.header_limit(1u << 20);
  bhttp::read(stream, buffer, parser, ec);
  if (ec) return cp::Status::Unavailable("read failed: " + ec.message());
  bhttp::response<bhttp::string_body> res = parser.release();
  TestResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    out.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(res.body());
  return out;
}

}  // namespace

TestClient::TestClient(uint16_t port, TestClientOptions options)
    : port_(port), options_(std::move(options)) {}

cp::Result<TestResponse> TestClient::Post(std::string_view target, std::string body,
                                          std::string_view content_type, const HeaderMap& headers) {
  HeaderMap h = headers;
  if (!h.Has("Content-Type")) h.Set("Content-Type", std::string(content_type));
  return Send("POST", target, std::move(body), h);
}

cp::Result<TestResponse> TestClient::Send(std::string_view method, std::string_view target,
                                          std::string body, const HeaderMap& headers) {
  try {
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, options_.host + ":" + std::to_string(port_));
    for (const auto& [name, value] : headers.fields()) req.insert(name, value);
    if (!jar_.empty() && !headers.Has("Cookie")) {
      std::string cookie;
      for (const auto& [name, value] : jar_) {
        if (!cookie.empty()) cookie += "; ";
        cookie += name + "=" + value;
      }
      req.set(bhttp::field::cookie, cookie);
    }
    req.body() = std::move(body);
    req.prepare_payload();
    req.keep_alive(false);

    asio::io_context ioc;
    error_code ec;
    const auto address = asio::ip::make_address(options_.host, ec);
    if (ec) return cp::Status::InvalidArgument("host must be an IP address", "host");
    const tcp::endpoint endpoint(address, port_);

    cp::Result<TestResponse> result = cp::Status::Internal("not run");
    if (!options_.tls) {
      beast::tcp_stream stream(ioc);
      stream.expires_after(options_.timeout);
      stream.connect(endpoint, ec);
      if (ec) return cp::Status::Unavailable("connect failed: " + ec.message());
      result = Exchange(stream, req);
    } else {
      ssl::context ctx(ssl::context::tls_client);
      if (!options_.ca_file.empty()) {
        ctx.load_verify_file(options_.ca_file, ec);
        if (ec) return cp::Status::InvalidArgument("cannot load CA file", "ca_file");
        ctx.set_verify_mode(ssl::verify_peer);
      } else {
        ctx.set_verify_mode(ssl::verify_none);
      }
      ssl::stream<beast::tcp_stream> stream(ioc, ctx);
      // SSL_set_tlsext_host_name without its C-style cast.
      SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(options_.server_name.c_str()));
      beast::get_lowest_layer(stream).expires_after(options_.timeout);
      beast::get_lowest_layer(stream).connect(endpoint, ec);
      if (ec) return cp::Status::Unavailable("connect failed: " + ec.message());
      stream.handshake(ssl::stream_base::client, ec);
      if (ec) return cp::Status::Unavailable("TLS handshake failed: " + ec.message());
      result = Exchange(stream, req);
      stream.shutdown(ec);  // The server may just close; ignore.
    }
    if (result.ok()) StoreCookies(result->headers);
    return result;
  } catch (const std::exception& e) {
    return cp::Status::Internal(std::string("test client: ") + e.what());
  }
}

cp::Result<std::string> TestClient::SendRaw(std::string_view bytes,
                                            std::chrono::milliseconds wait) {
  try {
    asio::io_context ioc;
    error_code ec;
    const auto address = asio::ip::make_address(options_.host, ec);
    if (ec) return cp::Status::InvalidArgument("host must be an IP address", "host");
    beast::tcp_stream stream(ioc);
    stream.expires_after(wait);
    stream.connect(tcp::endpoint(address, port_), ec);
    if (ec) return cp::Status::Unavailable("connect failed: " + ec.message());
    asio::write(stream, asio::buffer(bytes.data(), bytes.size()), ec);
    // A write error (the server closed early) still leaves the server's answer readable.
    std::string received;
    char buf[4096];
    for (;;) {
      const size_t n = stream.read_some(asio::buffer(buf), ec);
      received.append(buf, n);
      if (ec) break;  // EOF, reset or timeout.
    }
    return received;
  } catch (const std::exception& e) {
    return cp::Status::Internal(std::string("test client: ") + e.what());
  }
}

std::optional<std::string> TestClient::cookie(std::string_view name) const {
  auto it = jar_.find(name);
  if (it == jar_.end()) return std::nullopt;
  return it->second;
}

void TestClient::StoreCookies(const HeaderMap& headers) {
  for (std::string_view set_cookie : headers.GetAll("Set-Cookie")) {
    const size_t semi = set_cookie.find(';');
    std::string_view pair = set_cookie.substr(0, semi);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string name(pair.substr(0, eq));
    std::string value(pair.substr(eq + 1));
    std::string_view attrs = semi == std::string_view::npos ? "" : set_cookie.substr(semi);
    const bool expired = attrs.find("Max-Age=0") != std::string_view::npos ||
                         attrs.find("Max-Age=-") != std::string_view::npos;
    if (expired) {
      jar_.erase(name);
    } else {
      jar_[std::move(name)] = std::move(value);
    }
  }
}

}  // namespace cp::http::testing
