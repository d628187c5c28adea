#include "audit/checkpoint.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "audit/serialize_internal.h"
#include "crypto/encoding.h"

namespace cp::audit {
namespace {

constexpr std::string_view kCheckpointDomain = "contactpoint.audit.checkpoint.v1";
constexpr std::string_view kHeadMagic = "contactpoint-audit-head v1";

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Splits "key value" and checks the key. Returns the value, or nullopt.
std::optional<std::string_view> Field(std::string_view line, std::string_view key) {
  if (line.size() <= key.size() + 1 || line.substr(0, key.size()) != key ||
      line[key.size()] != ' ') {
    return std::nullopt;
  }
  return line.substr(key.size() + 1);
}

template <typename Int>
std::optional<Int> ParseInt(std::string_view text) {
  Int value{};
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string CheckpointMessage(const AuditCheckpoint& checkpoint) {
  std::string out;
  internal::PutBytes(&out, kCheckpointDomain);
  internal::PutU64(&out, checkpoint.sequence);
  internal::PutI64(&out, checkpoint.time.time_since_epoch().count());
  internal::PutBytes(&out, checkpoint.hash);
  return out;
}

AuditCheckpoint MakeCheckpoint(const crypto::SigningKey& key, uint64_t sequence, TimePoint time,
                               std::string hash) {
  AuditCheckpoint checkpoint;
  checkpoint.sequence = sequence;
  checkpoint.time = time;
  checkpoint.hash = std::move(hash);
  checkpoint.signature = key.Sign(CheckpointMessage(checkpoint));
  return checkpoint;
}

bool CheckpointSignatureValid(std::string_view public_key, const AuditCheckpoint& checkpoint) {
  return crypto::VerifySignature(public_key, CheckpointMessage(checkpoint), checkpoint.signature);
}

std::string FormatHeadFile(const AuditCheckpoint& checkpoint) {
  std::string out(kHeadMagic);
  out += "\nsequence " + std::to_string(checkpoint.sequence);
  out += "\ntime_us " + std::to_string(checkpoint.time.time_since_epoch().count());
  out += "\nhash " + crypto::HexEncode(checkpoint.hash);
  out += "\nsignature " + crypto::HexEncode(checkpoint.signature);
  out += "\n";
  return out;
}

Result<AuditCheckpoint> ParseHeadFile(std::string_view text) {
  const Status bad = Status::InvalidArgument("the audit head file is malformed");
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return bad;  // Every line ends with '\n'.
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  if (lines.size() != 5 || lines[0] != kHeadMagic) return bad;
  auto seq_text = Field(lines[1], "sequence");
  auto time_text = Field(lines[2], "time_us");
  auto hash_text = Field(lines[3], "hash");
  auto sig_text = Field(lines[4], "signature");
  if (!seq_text || !time_text || !hash_text || !sig_text) return bad;
  auto seq = ParseInt<uint64_t>(*seq_text);
  std::optional<int64_t> time_us;
  if (!time_text->empty() && (*time_text)[0] == '-') {
    auto magnitude = ParseInt<int64_t>(time_text->substr(1));
    if (magnitude) time_us = -*magnitude;
  } else {
    time_us = ParseInt<int64_t>(*time_text);
  }
  auto hash = crypto::HexDecode(*hash_text);
  auto sig = crypto::HexDecode(*sig_text);
  if (!seq || !time_us || !hash.ok() || hash->size() != kAuditHashSize || !sig.ok() ||
      sig->size() != 64) {
    return bad;
  }
  AuditCheckpoint checkpoint;
  checkpoint.sequence = *seq;
  checkpoint.time = TimePoint(Duration(*time_us));
  checkpoint.hash = std::move(hash).value();
  checkpoint.signature = std::move(sig).value();
  return checkpoint;
}

Status WriteHeadFile(const std::string& path, const AuditCheckpoint& checkpoint) {
  const std::string tmp = path + ".tmp";
  const std::string text = FormatHeadFile(checkpoint);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return Status::Unavailable("cannot create the audit head file");
  bool ok = WriteAll(fd, text) && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::Unavailable("cannot write the audit head file");
  }
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = std::filesystem::path(".");
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return Status::Unavailable("cannot open the audit head file's directory");
  ok = ::fsync(dir_fd) == 0;
  ::close(dir_fd);
  if (!ok) return Status::Unavailable("cannot sync the audit head file's directory");
  return Status::Ok();
}

Status AdvanceHeadFile(const std::string& path, const AuditCheckpoint& checkpoint,
                       std::string_view public_key) {
  const std::string lock_path = path + ".lock";
  int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) return Status::Unavailable("cannot open the audit head lock file");
  int locked;
  do {
    locked = ::flock(lock_fd, LOCK_EX);
  } while (locked != 0 && errno == EINTR);
  if (locked != 0) {
    ::close(lock_fd);
    return Status::Unavailable("cannot lock the audit head file");
  }
  Status result = Status::Ok();
  auto current = ReadHeadFile(path);
  const bool newer_on_disk = current.ok() && current->has_value() &&
                             (*current)->sequence >= checkpoint.sequence &&
                             CheckpointSignatureValid(public_key, **current);
  if (!newer_on_disk) result = WriteHeadFile(path, checkpoint);
  ::close(lock_fd);  // Releases the flock.
  return result;
}

Result<std::optional<AuditCheckpoint>> ReadHeadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    bool exists = std::filesystem::exists(path, ec);
    if (ec) return Status::Unavailable("cannot read the audit head file");
    if (!exists) return std::optional<AuditCheckpoint>();
    return Status::Unavailable("cannot read the audit head file");
  }
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Unavailable("cannot read the audit head file");
  CP_ASSIGN_OR_RETURN(AuditCheckpoint checkpoint, ParseHeadFile(text.str()));
  return std::optional<AuditCheckpoint>(std::move(checkpoint));
}

}  // namespace cp::audit
