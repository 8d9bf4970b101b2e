// SigningKey: parsing, generation, the key file and the public JWK.

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "common/clock.h"
#include "common/jwt_internal.h"

namespace bookstore::jwt {
namespace {

constexpr int kMinRsaBits = 2048;

struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

[[noreturn]] void Fail(const std::string& what) {
  ERR_clear_error();
  throw std::runtime_error(what);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail("cannot read signing key file " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteAll(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) Fail("cannot write " + path + ": " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
}

// Writes `pem` to `path` (mode 0600) unless it exists: a temp file in the
// same folder is filled and synced, then hard-linked into place, which
// fails when another process created `path` first. Returns false then.
bool CreateKeyFile(const std::string& path, const std::string& pem) {
  const std::string tmp = path + ".tmp-" + SodiumRandom::Instance().Token(9);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) Fail("cannot create " + tmp + ": " + std::strerror(errno));
  try {
    if (::fchmod(fd, 0600) != 0) Fail("cannot chmod " + tmp + ": " + std::strerror(errno));
    WriteAll(fd, pem, tmp);
    if (::fsync(fd) != 0) Fail("cannot sync " + tmp + ": " + std::strerror(errno));
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  bool created = true;
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    if (err == EEXIST) {
      created = false;
    } else if (::rename(tmp.c_str(), path.c_str()) != 0) {  // no hard links here
      const int rename_err = errno;
      ::unlink(tmp.c_str());
      Fail("cannot create " + path + ": " + std::strerror(rename_err));
    } else {
      return true;
    }
  }
  ::unlink(tmp.c_str());
  return created;
}

}  // namespace

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningKey::~SigningKey() = default;

namespace {

// The public JWK text of `key` for `alg`, and its RFC 7638 kid.
std::pair<std::string, std::string> PublicJwkAndKid(EVP_PKEY* key, Alg alg) {
  boost::json::object jwk;
  std::string kid;
  if (alg == Alg::kRs256) {
    const auto parts = internal::GetRsaPublicParts(key);
    kid = internal::RsaThumbprint(parts);
    jwk = {{"kty", "RSA"}, {"kid", kid},   {"alg", "RS256"},
           {"use", "sig"}, {"n", parts.n}, {"e", parts.e}};
  } else {
    const auto parts = internal::GetEcPublicParts(key);
    kid = internal::EcThumbprint(parts);
    jwk = {{"kty", "EC"},    {"kid", kid},   {"alg", "ES256"}, {"use", "sig"},
           {"crv", "P-256"}, {"x", parts.x}, {"y", parts.y}};
  }
  return {boost::json::serialize(jwk), std::move(kid)};
}

// A template so the private SigningKey::Impl is only named inside members.
template <class Impl>
std::unique_ptr<Impl> MakeImpl(internal::PkeyPtr key) {
  auto impl = std::make_unique<Impl>();
  const int type = EVP_PKEY_get_base_id(key.get());
  if (type == EVP_PKEY_RSA) {
    if (EVP_PKEY_get_bits(key.get()) < kMinRsaBits) {
      Fail("RSA signing key is shorter than 2048 bits");
    }
    impl->alg = Alg::kRs256;
  } else if (type == EVP_PKEY_EC) {
    impl->alg = Alg::kEs256;
  } else {
    Fail("signing key is neither an RSA nor an EC P-256 key");
  }
  try {
    std::tie(impl->public_jwk, impl->kid) = PublicJwkAndKid(key.get(), impl->alg);
  } catch (const std::runtime_error& e) {
    Fail(std::string("signing key: ") + e.what());
  }
  impl->key = std::move(key);
  return impl;
}

}  // namespace

std::shared_ptr<const SigningKey> SigningKey::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) Fail("out of memory");
  internal::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) Fail("not a PEM private key");
  return std::shared_ptr<const SigningKey>(new SigningKey(MakeImpl<Impl>(std::move(key))));
}

std::shared_ptr<const SigningKey> SigningKey::Generate(Alg alg) {
  internal::PkeyPtr key =
      alg == Alg::kRs256 ? internal::PkeyPtr(EVP_RSA_gen(kMinRsaBits)) : internal::GenerateEcKey();
  if (!key) Fail("key generation failed");
  return std::shared_ptr<const SigningKey>(new SigningKey(MakeImpl<Impl>(std::move(key))));
}

std::shared_ptr<const SigningKey> SigningKey::LoadOrCreate(const std::string& path,
                                                           bool create_folder, Alg alg) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec)) {
      if (!create_folder) {
        Fail("signing key file " + path + " cannot be created: its folder " + parent.string() +
             " does not exist (create it, or correct the path)");
      }
      fs::create_directories(parent, ec);
      if (ec) Fail("cannot create folder " + parent.string() + ": " + ec.message());
    }
    auto key = Generate(alg);
    if (CreateKeyFile(path, key->PrivatePem())) return key;
    // Lost a race with another process: use the key it wrote.
  }
  const std::string pem = ReadFile(path);
  try {
    return FromPem(pem);
  } catch (const std::runtime_error& e) {
    Fail("signing key file " + path + ": " + e.what() +
         " (expected in PEM, -----BEGIN PRIVATE KEY-----, an RSA private key of at least "
         "2048 bits or an EC P-256 private key)");
  }
}

const std::string& SigningKey::kid() const { return impl_->kid; }

std::string SigningKey::PrivatePem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), impl_->key.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    Fail("cannot encode private key");
  }
  return BioContents(bio.get());
}

std::string SigningKey::PublicPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), impl_->key.get()) != 1) {
    Fail("cannot encode public key");
  }
  return BioContents(bio.get());
}

Alg SigningKey::alg() const { return impl_->alg; }

const std::string& SigningKey::PublicJwk() const { return impl_->public_jwk; }

}  // namespace bookstore::jwt
