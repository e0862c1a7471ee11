// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/hostfacts/hostfacts.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace wmw {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wmw::HostFacts", text);
}

struct Parser
{
    HostFacts facts;
    HostFacts::ParseResult fail(HostFacts::ParseError error, int line, const QString &message)
    {
        HostFacts::ParseResult result;
        result.error = error;
        result.line = line;
        result.message = message;
        return result;
    }
};

// "file.3.owner" -> index 3, field "owner"
bool splitFileKey(const QString &key, int *index, QString *field)
{
    static const QRegularExpression re(QStringLiteral("^file\\.(\\d{1,4})\\.([a-z_]+)$"));
    const QRegularExpressionMatch m = re.match(key);
    if (!m.hasMatch())
        return false;
    *index = m.captured(1).toInt();
    *field = m.captured(2);
    return true;
}

QList<ListeningPort> parseSs(const QByteArray &text)
{
    // "LISTEN 0 100 127.0.0.1:1883 0.0.0.0:*" (ss -Hltn): the 4th column is the local address.
    QList<ListeningPort> ports;
    for (const QByteArray &line : text.split('\n')) {
        const QList<QByteArray> columns = line.simplified().split(' ');
        if (columns.size() < 4)
            continue;
        const QByteArray local = columns.at(3);
        const qsizetype colon = local.lastIndexOf(':');
        bool ok = false;
        const uint port = local.mid(colon + 1).toUInt(&ok);
        if (colon <= 0 || !ok || port == 0 || port > 65535)
            continue;
        ports.append({QString::fromUtf8(local.left(colon)), quint16(port)});
    }
    return ports;
}

QStringList parseExtensionList(const QByteArray &text)
{
    QStringList names;
    bool table = false;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith("Extension Name")) {
            table = true;
            continue;
        }
        const QByteArray name = line.simplified().split(' ').value(0);
        if (table && !name.isEmpty())
            names.append(QString::fromUtf8(name));
    }
    return names;
}

} // namespace

QList<FileFacts> HostFacts::filesWithRole(const QString &role) const
{
    QList<FileFacts> result;
    for (const FileFacts &f : files) {
        if (f.role == role)
            result.append(f);
    }
    return result;
}

std::optional<FileFacts> HostFacts::file(const QString &path) const
{
    for (const FileFacts &f : files) {
        if (f.path == path)
            return f;
    }
    return std::nullopt;
}

bool HostFacts::isListening(quint16 port) const
{
    for (const ListeningPort &p : listeningPorts) {
        if (p.port == port)
            return true;
    }
    return false;
}

bool HostFacts::hasWeewxMqtt() const
{
    if (!weewx.mqttInstaller.isEmpty())
        return true;
    for (const QString &name : weewx.extensions) {
        if (name.compare(u"mqtt", Qt::CaseInsensitive) == 0
            || name.compare(u"weewx-mqtt", Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

HostFacts::ParseResult HostFacts::parse(const QByteArray &output)
{
    Parser p;
    const QList<QByteArray> lines = output.split('\n');
    if (lines.isEmpty() || !lines.first().startsWith("#wmw-hostfacts "))
        return p.fail(ParseError::NotAReport, 1,
                      tr("The Pi's answer is not a HostFacts report (line 1 should start with "
                         "\"#wmw-hostfacts\")."));
    if (lines.first().trimmed() != "#wmw-hostfacts 1")
        return p.fail(ParseError::UnsupportedVersion, 1,
                      tr("The HostFacts report has an unsupported format version (line 1)."));

    QMap<QString, QString> values;
    QMap<QString, QByteArray> blobs;
    QMap<int, int> fileOrder; // file index -> position in facts.files
    bool ended = false;
    for (int i = 1; i < lines.size(); ++i) {
        const int lineNo = i + 1;
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty() && i == lines.size() - 1)
            break;
        if (line == "#end") {
            ended = true;
            break;
        }
        if (line.endsWith(":b64") && !line.contains('=')) {
            const QString key = QString::fromUtf8(line.chopped(4));
            QByteArray encoded;
            int j = i + 1;
            for (; j < lines.size() && lines.at(j) != "."; ++j)
                encoded += lines.at(j).trimmed();
            if (j >= lines.size())
                return p.fail(ParseError::UnterminatedBlob, lineNo,
                              tr("Line %1: the block %2 has no end (\".\"); the report was cut "
                                 "off.")
                                      .arg(lineNo)
                                      .arg(key));
            const auto decoded = QByteArray::fromBase64Encoding(
                    encoded, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return p.fail(
                        ParseError::BadBase64, lineNo,
                        tr("Line %1: the block %2 is not valid base64.").arg(lineNo).arg(key));
            if (blobs.contains(key) || values.contains(key))
                return p.fail(ParseError::DuplicateKey, lineNo,
                              tr("Line %1: %2 appears twice.").arg(lineNo).arg(key));
            blobs.insert(key, *decoded);
            i = j;
            continue;
        }
        const qsizetype eq = line.indexOf('=');
        if (eq <= 0)
            return p.fail(ParseError::MalformedLine, lineNo,
                          tr("Line %1 of the HostFacts report is neither KEY=VALUE nor a block.")
                                  .arg(lineNo));
        const QString key = QString::fromUtf8(line.left(eq));
        if (values.contains(key) || blobs.contains(key))
            return p.fail(ParseError::DuplicateKey, lineNo,
                          tr("Line %1: %2 appears twice.").arg(lineNo).arg(key));
        values.insert(key, QString::fromUtf8(line.mid(eq + 1)));

        int index = 0;
        QString field;
        if (splitFileKey(key, &index, &field) && !fileOrder.contains(index)) {
            fileOrder.insert(index, p.facts.files.size());
            p.facts.files.append(FileFacts{});
        }
    }
    if (!ended)
        return p.fail(ParseError::Truncated, lines.size(),
                      tr("The HostFacts report ends without \"#end\": the output was cut off."));

    HostFacts &f = p.facts;
    auto number = [&](const QString &key, qint64 *out, int base = 10) -> bool {
        if (!values.contains(key))
            return true;
        bool ok = false;
        *out = values.value(key).toLongLong(&ok, base);
        return ok;
    };
    auto badValue = [&](const QString &key) {
        return p.fail(ParseError::BadValue, 0,
                      tr("The HostFacts value %1 is not a valid number.").arg(key));
    };

    qint64 uid = -1;
    if (!number(QStringLiteral("probe.uid"), &uid))
        return badValue(QStringLiteral("probe.uid"));
    f.probeUid = int(uid);
    if (!number(QStringLiteral("probe.time"), &f.probeTime))
        return badValue(QStringLiteral("probe.time"));
    f.probeUser = values.value(QStringLiteral("probe.user"));
    f.complete = values.value(QStringLiteral("probe.scope")) != u"weewx";
    f.probeHome = values.value(QStringLiteral("probe.home"));
    f.hostname = values.value(QStringLiteral("hostname"));
    f.os = {values.value(QStringLiteral("os.id")),
            values.value(QStringLiteral("os.version_id")),
            values.value(QStringLiteral("os.codename")),
            values.value(QStringLiteral("os.pretty_name")),
            values.value(QStringLiteral("os.kernel")),
            values.value(QStringLiteral("os.arch"))};

    f.locale.output = blobs.value(QStringLiteral("locale.stdout"));
    f.locale.errors = blobs.value(QStringLiteral("locale.stderr"));
    f.locale.valid = values.value(QStringLiteral("locale.valid")) == u"1";
    f.locale.defaultFile = blobs.value(QStringLiteral("locale.default"));

    f.mosquitto.installed = values.value(QStringLiteral("mosquitto.installed")) == u"1";
    f.mosquitto.version = values.value(QStringLiteral("mosquitto.version"));
    for (int n = 1; values.contains(QStringLiteral("include_dir.%1.path").arg(n)); ++n) {
        const QString dir = values.value(QStringLiteral("include_dir.%1.path").arg(n));
        f.mosquitto.includeDirs.append(dir);
        const QByteArray entries = blobs.value(QStringLiteral("include_dir.%1.entries").arg(n));
        QStringList names;
        for (const QByteArray &name : entries.split('\n')) {
            if (!name.isEmpty())
                names.append(QString::fromUtf8(name));
        }
        f.mosquitto.includeDirEntries.insert(dir, names);
    }

    for (auto it = fileOrder.cbegin(); it != fileOrder.cend(); ++it) {
        FileFacts &file = f.files[it.value()];
        const QString prefix = QStringLiteral("file.%1.").arg(it.key());
        file.role = values.value(prefix + u"role");
        file.path = values.value(prefix + u"path");
        if (file.path.isEmpty())
            return p.fail(ParseError::BadValue, 0,
                          tr("The HostFacts file entry %1 has no path.").arg(it.key()));
        file.secret = values.value(prefix + u"secret") == u"1";
        file.error = values.value(prefix + u"error");
        file.exists = file.error != u"missing";
        file.owner = values.value(prefix + u"owner");
        file.group = values.value(prefix + u"group");
        qint64 mode = -1;
        if (!number(prefix + u"mode", &mode, 8))
            return badValue(prefix + u"mode");
        file.mode = int(mode);
        if (!number(prefix + u"size", &file.size))
            return badValue(prefix + u"size");
        if (!number(prefix + u"mtime", &file.mtime))
            return badValue(prefix + u"mtime");
        file.content = blobs.value(prefix + u"content");
    }
    const QString install = values.value(QStringLiteral("weewx.install"));
    if (install == u"package")
        f.weewx.install = WeewxInstall::Package;
    else if (install == u"pip")
        f.weewx.install = WeewxInstall::Pip;
    else if (install == u"both")
        f.weewx.install = WeewxInstall::Both;
    f.weewx.version = values.value(QStringLiteral("weewx.version"));
    f.weewx.extensionListOutput = blobs.value(QStringLiteral("weewx.extensions"));
    f.weewx.extensions = parseExtensionList(f.weewx.extensionListOutput);
    f.weewx.mqttInstaller = values.value(QStringLiteral("weewx.mqtt_installer"));
    f.weewx.belchertownInstalled = values.value(QStringLiteral("belchertown.installed")) == u"1";
    f.weewx.belchertownPage = values.value(QStringLiteral("belchertown.page"));
    if (!number(QStringLiteral("belchertown.page_mtime"), &f.weewx.belchertownPageMtime))
        return badValue(QStringLiteral("belchertown.page_mtime"));

    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (it.key().startsWith(u"service."))
            f.services.insert(it.key().mid(8), it.value());
    }
    f.listeningPorts = parseSs(blobs.value(QStringLiteral("ports.ss")));
    f.pahoVersion = values.value(QStringLiteral("paho.version"));
    f.pahoSource = values.value(QStringLiteral("paho.source"));
    for (const char *log : {"log.mosquitto", "journal.mosquitto", "log.weewx", "journal.weewx"}) {
        const QString key = QString::fromLatin1(log);
        if (blobs.contains(key))
            f.logs.insert(key, blobs.value(key));
    }

    HostFacts::ParseResult result;
    result.facts = std::move(p.facts);
    return result;
}

} // namespace wmw
