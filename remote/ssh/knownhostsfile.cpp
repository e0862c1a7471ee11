// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/ssh/knownhostsfile.h"

#include <QFile>
#include <QMessageAuthenticationCode>

namespace wmw::ssh {

namespace {

bool hashedPatternMatches(const QByteArray &pattern, const QByteArray &name)
{
    // |1|base64(salt)|base64(HMAC-SHA1(salt, name)), as written by `ssh-keygen -H`.
    const QList<QByteArray> parts = pattern.split('|');
    if (parts.size() != 4 || parts.at(1) != "1")
        return false;
    const QByteArray salt = QByteArray::fromBase64(parts.at(2));
    const QByteArray hash = QByteArray::fromBase64(parts.at(3));
    return QMessageAuthenticationCode::hash(name, salt, QCryptographicHash::Sha1) == hash;
}

} // namespace

QList<int> knownHostsLines(const QString &file, const QString &host, int port)
{
    QList<int> lines;
    QFile known(file);
    if (!known.open(QIODevice::ReadOnly))
        return lines;
    const QByteArray name =
            port == 22 || port <= 0
                    ? host.toUtf8()
                    : QByteArray('[' + host.toUtf8() + "]:" + QByteArray::number(port));
    int number = 0;
    while (!known.atEnd()) {
        ++number;
        QByteArray line = known.readLine().trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.first().startsWith('@')) // @cert-authority, @revoked
            fields.removeFirst();
        if (fields.isEmpty())
            continue;
        for (const QByteArray &pattern : fields.first().split(',')) {
            const bool match = pattern.startsWith("|1|") ? hashedPatternMatches(pattern, name)
                                                         : pattern.toLower() == name.toLower();
            if (match) {
                lines.append(number);
                break;
            }
        }
    }
    return lines;
}

} // namespace wmw::ssh
