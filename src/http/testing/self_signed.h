// Generates a throw-away self-signed TLS certificate in-process (OpenSSL EVP/X509 APIs), so
// TLS tests are hermetic. ECDSA P-256, valid from one hour ago for one day, SAN
// DNS:localhost and IP:127.0.0.1. For tests only.
#pragma once

#include <string>

#include "core/status.h"

namespace cp::http::testing {

// Writes the certificate (PEM) to `cert_path` and the unencrypted private key (PEM, mode
// 0600) to `key_path`. Internal on any OpenSSL or file failure.
cp::Status WriteSelfSignedCertificate(const std::string& cert_path, const std::string& key_path);

}  // namespace cp::http::testing
