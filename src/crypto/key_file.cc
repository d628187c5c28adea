#include "crypto/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "crypto/encoding.h"

namespace cp::crypto {

Result<std::string> LoadOrCreateKeyFile(const std::string& path, size_t size) {
  std::ifstream in(path);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    std::string hex = text.str();
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == ' ')) hex.pop_back();
    auto key = HexDecode(hex);
    if (!key.ok() || key->size() != size) {
      return Status::InvalidArgument("key file " + path + " does not hold a valid key");
    }
    return key;
  }
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  std::string key(size, '\0');
  randombytes_buf(key.data(), key.size());
  std::string hex = HexEncode(key) + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Unavailable("cannot create key file " + path);
  bool ok =
      ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Status::Unavailable("cannot write key file " + path);
  return key;
}

}  // namespace cp::crypto
