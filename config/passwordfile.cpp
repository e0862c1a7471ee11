// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/passwordfile.h"

#include "config/logging.h"

#include <QCryptographicHash>
#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QSet>

namespace wmw::config {

namespace {

// Strict standard base64 with padding, as the broker's BIO_f_base64 decoder expects; the
// broker rejects a hash whose "==" was dropped, so we do not accept it either.
bool decodeStrict(const QByteArray &text, int expectedSize, QByteArray *out)
{
    if (text.size() != 4 * ((expectedSize + 2) / 3))
        return false;
    const auto decoded = QByteArray::fromBase64Encoding(
            text, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != expectedSize)
        return false;
    *out = decoded.decoded;
    return true;
}

// Compares without an early exit, so timing says nothing about how much matched.
bool equalConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

bool isSafeUser(const QString &user)
{
    if (user.isEmpty() || user.contains(u':'))
        return false;
    for (QChar c : user) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c.isSpace())
            return false;
    }
    return true;
}

bool isSafePassword(const QString &password)
{
    if (password.isEmpty())
        return false;
    for (QChar c : password) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return false;
    }
    return true;
}

// The hash part as the broker reads it: after the first ':', up to the next ':', trimmed.
QByteArray hashField(const QByteArray &line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon < 0)
        return {};
    QByteArray rest = line.mid(colon + 1);
    const qsizetype next = rest.indexOf(':');
    if (next >= 0)
        rest.truncate(next);
    return rest.trimmed();
}

} // namespace

SaltSource systemSaltSource()
{
    return [](int size) {
        QByteArray bytes(size, Qt::Uninitialized);
        for (int i = 0; i < size; ++i)
            bytes[i] = char(QRandomGenerator::system()->bounded(256));
        return bytes;
    };
}

QByteArray PasswordFile::hashLine(const QString &user, const QString &password,
                                  const QByteArray &salt, int iterations)
{
    if (salt.size() != saltLength || iterations < 1)
        return {};
    const QByteArray key = QPasswordDigestor::deriveKeyPbkdf2(
            QCryptographicHash::Sha512, password.toUtf8(), salt, iterations, hashLength);
    return user.toUtf8() + ":$7$" + QByteArray::number(iterations) + '$' + salt.toBase64() + '$'
           + key.toBase64();
}

PasswordFile::Verify PasswordFile::verify(const QByteArray &line, const QString &password)
{
    if (userOfLine(line).isEmpty())
        return Verify::Malformed;
    const QByteArray field = hashField(line);
    if (!field.startsWith('$'))
        return Verify::NotHashed;
    const QList<QByteArray> parts = field.split('$'); // "", type, ...
    if (parts.size() < 2)
        return Verify::Malformed;
    const QByteArray utf8 = password.toUtf8();
    QByteArray salt;
    QByteArray expected;
    if (parts.at(1) == "7") {
        bool ok = false;
        const int iterations = parts.size() == 5 ? parts.at(2).toInt(&ok) : 0;
        if (!ok || iterations < 1 || !decodeStrict(parts.at(3), saltLength, &salt)
            || !decodeStrict(parts.at(4), hashLength, &expected))
            return Verify::Malformed;
        const QByteArray key = QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha512, utf8,
                                                                  salt, iterations, hashLength);
        return equalConstantTime(key, expected) ? Verify::Match : Verify::Mismatch;
    }
    if (parts.at(1) == "6") {
        if (parts.size() != 4 || !decodeStrict(parts.at(2), saltLength, &salt)
            || !decodeStrict(parts.at(3), hashLength, &expected))
            return Verify::Malformed;
        const QByteArray digest =
                QCryptographicHash::hash(QByteArray(utf8 + salt), QCryptographicHash::Sha512);
        return equalConstantTime(digest, expected) ? Verify::Match : Verify::Mismatch;
    }
    return Verify::Unsupported;
}

QByteArray PasswordFile::userOfLine(const QByteArray &line)
{
    // The broker skips lines starting with '#' and lines without ':' (pwfile__parse).
    if (line.startsWith('#'))
        return {};
    const qsizetype colon = line.indexOf(':');
    if (colon < 0)
        return {};
    return line.left(colon).trimmed();
}

QStringList PasswordFile::users(const QByteArray &file)
{
    QStringList result;
    for (const QByteArray &line : file.split('\n')) {
        const QString user = QString::fromUtf8(userOfLine(line));
        if (!user.isEmpty() && !result.contains(user))
            result << user;
    }
    return result;
}

PasswordMergeResult PasswordFile::merge(const QByteArray &existing,
                                        const QList<PasswordEntry> &ours, const SaltSource &salts,
                                        int iterations)
{
    PasswordMergeResult result;
    QSet<QString> seenNames;
    for (const PasswordEntry &entry : ours) {
        // Defence in depth: a name with ':' or a line break would write a second line.
        if (!isSafeUser(entry.user)) {
            result.errorString = tr("An MQTT user name is empty or contains ':', spaces or "
                                    "control characters; it cannot go into a password file.");
            return result;
        }
        if (!isSafePassword(entry.password)) {
            result.errorString = tr("The password of MQTT user \"%1\" is empty or contains line "
                                    "breaks or control characters.")
                                         .arg(entry.user);
            return result;
        }
        if (seenNames.contains(entry.user)) {
            result.errorString = tr("The MQTT user \"%1\" is given twice.").arg(entry.user);
            return result;
        }
        seenNames.insert(entry.user);
    }

    auto newLine = [&](const PasswordEntry &entry) -> QByteArray {
        const QByteArray salt = salts(saltLength);
        return hashLine(entry.user, entry.password, salt, iterations);
    };

    QList<QByteArray> lines = existing.split('\n');
    const bool finalNewline = existing.isEmpty() || existing.endsWith('\n');
    if (existing.endsWith('\n') || existing.isEmpty())
        lines.removeLast();

    QList<QByteArray> out;
    QSet<QString> done;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const QString user = QString::fromUtf8(userOfLine(line));
        const PasswordEntry *entry = nullptr;
        for (const PasswordEntry &e : ours) {
            if (!user.isEmpty() && e.user == user)
                entry = &e;
        }
        if (!entry) {
            if (!user.isEmpty() && verify(line, QString()) == Verify::NotHashed)
                result.warnings << tr("Line %1: the password of user \"%2\" is not hashed; "
                                      "mosquitto 2.0 ignores this user.")
                                           .arg(i + 1)
                                           .arg(user);
            out << line;
            continue;
        }
        if (done.contains(user)) {
            // A later duplicate would be a second, stale password for our user.
            qCDebug(lcConfig) << "password file: removed a duplicate line for" << user;
            continue;
        }
        done.insert(user);
        // Keep a line that already holds this password, so a re-run changes nothing. verify()
        // accepts only what the 2.0 broker can read ($7$ or $6$, 12-byte salt, 64-byte hash).
        if (verify(line, entry->password) == Verify::Match) {
            result.unchanged << user;
            out << line;
            continue;
        }
        const QByteArray fresh = newLine(*entry);
        if (fresh.isEmpty()) {
            result.errorString = tr("The random source gave no salt of %1 bytes.").arg(saltLength);
            result.bytes.clear();
            return result;
        }
        // Keep a CRLF file CRLF (the broker trims the CR).
        out << (line.endsWith('\r') ? fresh + '\r' : fresh);
        result.replaced << user;
    }
    const bool crlf = !lines.isEmpty() && lines.constFirst().endsWith('\r');
    for (const PasswordEntry &entry : ours) {
        if (done.contains(entry.user))
            continue;
        const QByteArray fresh = newLine(entry);
        if (fresh.isEmpty()) {
            result.errorString = tr("The random source gave no salt of %1 bytes.").arg(saltLength);
            return result;
        }
        out << (crlf ? fresh + '\r' : fresh);
        result.added << entry.user;
    }
    if (out.isEmpty())
        return result;
    result.bytes = out.join('\n');
    // A new line was added after a last line without a line break: it gets one now.
    if (finalNewline || !result.added.isEmpty())
        result.bytes += '\n';
    return result;
}

} // namespace wmw::config
