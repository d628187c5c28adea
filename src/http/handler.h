// Handler: the one interface between the http layer and the application.
#pragma once

#include "http/request.h"
#include "http/response.h"

namespace cp::http {

class Handler {
 public:
  virtual ~Handler() = default;
  // Produces the response for `request`. Called concurrently from the Server's worker threads,
  // so implementations must be thread-safe. May block (it runs on a worker thread), but a slow
  // handler occupies one of the server's fixed threads. Exceptions are caught by the Server and
  // become a generic 500, but handlers should report expected failures as responses (see
  // ErrorResponse in errors.h), not exceptions.
  virtual Response Handle(const Request& request) = 0;
};

}  // namespace cp::http
