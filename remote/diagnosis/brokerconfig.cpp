// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/diagnosis/brokerconfig.h"

#include <QRegularExpression>

#include <algorithm>

namespace wmw::diagnosis {

namespace {

struct Reader
{
    const HostFacts &facts;
    BrokerConfig config;
    int depth = 0;

    void readFile(const FileFacts &file)
    {
        if (!file.error.isEmpty() || !file.exists) {
            config.filesUnreadable.append(file.path);
            return;
        }
        config.filesRead.append(file.path);
        static const QRegularExpression blanks(QStringLiteral("[ \\t]+"));
        const QList<QByteArray> lines = file.content.split('\n');
        for (int i = 0; i < lines.size(); ++i) {
            QString line = QString::fromUtf8(lines.at(i)).trimmed();
            if (line.isEmpty() || line.startsWith(u'#'))
                continue;
            const QStringList words = line.split(blanks, Qt::SkipEmptyParts);
            const QString option = words.first();
            const QString rest = line.mid(option.size()).trimmed();
            const int lineNo = i + 1;
            if (option == u"listener") {
                BrokerListener l;
                l.port = quint16(words.value(1).toUInt());
                l.bind = words.value(2);
                l.file = file.path;
                l.line = lineNo;
                config.listeners.append(l);
                config.localOnly = false;
            } else if (option == u"port") {
                // The default listener: mqtt on all addresses.
                BrokerListener l;
                l.port = quint16(words.value(1).toUInt());
                l.file = file.path;
                l.line = lineNo;
                config.listeners.append(l);
                config.localOnly = false;
            } else if (option == u"protocol" && !config.listeners.isEmpty()) {
                config.listeners.last().protocol = words.value(1);
            } else if (option == u"password_file") {
                config.passwordFiles.append({file.path, lineNo, rest});
            } else if (option == u"acl_file") {
                config.aclFiles.append({file.path, lineNo, rest});
            } else if (option == u"allow_anonymous") {
                config.allowAnonymous.append({file.path, lineNo, words.value(1)});
            } else if (option == u"include_dir" && depth == 0) {
                ++depth;
                QString dir = rest;
                while (dir.size() > 1 && dir.endsWith(u'/'))
                    dir.chop(1);
                QList<FileFacts> included;
                for (const FileFacts &f :
                     facts.filesWithRole(QStringLiteral("mosquitto-include"))) {
                    if (f.path.startsWith(dir + u'/'))
                        included.append(f);
                }
                std::sort(included.begin(), included.end(),
                          [](const FileFacts &a, const FileFacts &b) { return a.path < b.path; });
                for (const FileFacts &f : included)
                    readFile(f);
                --depth;
            }
        }
    }
};

} // namespace

bool BrokerConfig::anonymousAllowed() const
{
    if (!allowAnonymous.isEmpty())
        return allowAnonymous.last().value == u"true";
    return localOnly;
}

QList<BrokerListener> BrokerConfig::listenersWithProtocol(const QString &protocol) const
{
    QList<BrokerListener> result;
    for (const BrokerListener &l : listeners) {
        if (l.protocol == protocol)
            result.append(l);
    }
    return result;
}

BrokerConfig BrokerConfig::read(const HostFacts &facts)
{
    Reader reader{facts, {}};
    const QList<FileFacts> main = facts.filesWithRole(QStringLiteral("mosquitto-conf"));
    if (!main.isEmpty())
        reader.readFile(main.first());
    return reader.config;
}

} // namespace wmw::diagnosis
