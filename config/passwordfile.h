// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace wmw::config {

/// Gives `size` random bytes. Injected so tests get reproducible files.
using SaltSource = std::function<QByteArray(int size)>;
/// Bytes from the operating system's random source.
SaltSource systemSaltSource();

/// One of our users and the password to store for it (plain text, in memory only).
struct PasswordEntry
{
    QString user;
    QString password;
};

struct [[nodiscard]] PasswordMergeResult
{
    QByteArray bytes; ///< the new file; empty on error
    QString errorString; ///< translated; never contains a password or hash
    QStringList added; ///< our users that were not in the file
    QStringList replaced; ///< our users whose line was rewritten (password changed)
    QStringList unchanged; ///< our users whose line already verified: kept byte for byte
    QStringList warnings; ///< translated notes about other lines (never their hashes)
    bool ok() const { return errorString.isEmpty(); }
};

/// mosquitto 2.0 password files: "user:$7$<iterations>$<salt>$<hash>" lines, PBKDF2-HMAC-SHA512
/// with a 12-byte salt and a 64-byte key, both in standard base64 with padding, exactly as
/// mosquitto_passwd writes them (src/password_mosq.c, 2.0.x).
class PasswordFile
{
    Q_DECLARE_TR_FUNCTIONS(wmw::config::PasswordFile)
public:
    static constexpr int defaultIterations = 101; // PW_DEFAULT_ITERATIONS
    static constexpr int saltLength = 12; // SALT_LEN; the 2.0 broker requires exactly 12
    static constexpr int hashLength = 64;

    /// One line without its line break; empty if `salt` is not 12 bytes or iterations < 1.
    static QByteArray hashLine(const QString &user, const QString &password, const QByteArray &salt,
                               int iterations = defaultIterations);

    enum class Verify {
        Match,
        Mismatch,
        NotHashed, ///< "user:password" in plain text: mosquitto 2.0 drops such users
        Unsupported, ///< a hash type other than $6$ or $7$
        Malformed, ///< not a password line, or salt/hash of the wrong size or encoding
    };
    /// Checks `password` against one line ($7$ PBKDF2-SHA512 or legacy $6$ SHA512).
    static Verify verify(const QByteArray &line, const QString &password);

    /// The user a line is for, as the broker reads it (before the first ':', trimmed);
    /// empty for comments and lines the broker skips.
    static QByteArray userOfLine(const QByteArray &line);
    /// Users in file order (duplicates once).
    static QStringList users(const QByteArray &file);

    /// Puts our users into an existing file. Other lines stay byte for byte; a line of ours
    /// that already verifies with its password stays too (so running again changes nothing);
    /// other lines of ours are replaced by a fresh hash, and later duplicates removed. Hashes
    /// are never hashed again (unlike mosquitto_passwd -U). New users go at the end.
    static PasswordMergeResult merge(const QByteArray &existing, const QList<PasswordEntry> &ours,
                                     const SaltSource &salts = systemSaltSource(),
                                     int iterations = defaultIterations);
};

} // namespace wmw::config
