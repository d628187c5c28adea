#include "http/testing/self_signed.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <memory>

namespace cp::http::testing {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct ExtFree {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};

cp::Status Fail(const char* what) { return cp::Status::Internal(std::string("openssl: ") + what); }

bool AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1;
}

}  // namespace

cp::Status WriteSelfSignedCertificate(const std::string& cert_path, const std::string& key_path) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-256"));
  if (key == nullptr) return Fail("key generation");

  std::unique_ptr<X509, X509Free> cert(X509_new());
  if (cert == nullptr) return Fail("X509_new");
  if (X509_set_version(cert.get(), 2) != 1) return Fail("version");
  if (ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) != 1) return Fail("serial");
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) == nullptr) return Fail("time");
  if (X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600) == nullptr) return Fail("time");
  if (X509_set_pubkey(cert.get(), key.get()) != 1) return Fail("pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto* cn = reinterpret_cast<const unsigned char*>("localhost");
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) != 1) {
    return Fail("subject");
  }
  if (X509_set_issuer_name(cert.get(), name) != 1) return Fail("issuer");
  if (!AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign") ||
      !AddExtension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1")) {
    return Fail("extensions");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return Fail("sign");

  {
    std::unique_ptr<BIO, BioFree> out(BIO_new_file(cert_path.c_str(), "w"));
    if (out == nullptr || PEM_write_bio_X509(out.get(), cert.get()) != 1) {
      return Fail("write certificate");
    }
  }
  {
    std::unique_ptr<BIO, BioFree> out(BIO_new_file(key_path.c_str(), "w"));
    if (out == nullptr) return Fail("write key");
    ::chmod(key_path.c_str(), 0600);
    if (PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
        1) {
      return Fail("write key");
    }
  }
  return cp::Status::Ok();
}

}  // namespace cp::http::testing
