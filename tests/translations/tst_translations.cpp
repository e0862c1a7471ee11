// SPDX-License-Identifier: GPL-3.0-or-later
// Every translation stays complete: lupdate runs over all layers' sources into a copy of each
// .ts file, and any string without a finished translation, or one the code no longer has,
// fails the test with its context and text.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

class tst_Translations : public QObject
{
    Q_OBJECT

private slots:
    void complete_data();
    void complete();
};

namespace {

struct Message
{
    QString context;
    QString source;
    QString translation;
    QString type; // "", "unfinished", "vanished" or "obsolete"
    bool numerus = false;
};

QList<Message> readTs(const QString &path, QString *error)
{
    QList<Message> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == u"name") {
            context = xml.readElementText();
        } else if (name == u"message") {
            current = Message{};
            current.context = context;
            current.numerus = xml.attributes().value(QLatin1String("numerus")) == u"yes";
        } else if (name == u"source") {
            current.source = xml.readElementText();
        } else if (name == u"translation") {
            current.type = xml.attributes().value(QLatin1String("type")).toString();
            current.translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            messages << current;
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%(\\d+|n)"));
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    found.removeDuplicates();
    return found;
}

} // namespace

void tst_Translations::complete_data()
{
    QTest::addColumn<QString>("tsFile");
    const QDir dir(QStringLiteral(WMW_SOURCE_DIR "/translations"));
    const QStringList files = dir.entryList({QStringLiteral("*.ts")}, QDir::Files);
    QVERIFY(!files.isEmpty());
    for (const QString &file : files)
        QTest::newRow(qPrintable(file + u" is complete for the strings in the code"))
                << dir.filePath(file);
}

void tst_Translations::complete()
{
    QFETCH(QString, tsFile);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString copy = tmp.filePath(QFileInfo(tsFile).fileName());
    QVERIFY(QFile::copy(tsFile, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);

    QProcess lupdate;
    QStringList arguments = {QStringLiteral("-locations"), QStringLiteral("none"),
                             QStringLiteral("-recursive"),
                             // Includes resolve as in the build, so namespaced contexts match.
                             QStringLiteral("-I"), QStringLiteral(WMW_SOURCE_DIR)};
    for (const char *layer : {"app", "wizard", "remote", "config"})
        arguments << QStringLiteral(WMW_SOURCE_DIR "/") + QLatin1String(layer);
    arguments << QStringLiteral("-ts") << copy;
    lupdate.start(QStringLiteral(WMW_LUPDATE), arguments);
    QVERIFY(lupdate.waitForFinished(120000));
    QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());

    QString error;
    const QList<Message> messages = readTs(copy, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!messages.isEmpty());

    QStringList problems;
    for (const Message &m : messages) {
        const QString where = m.context + u": \"" + m.source + u'"';
        if (m.type == u"unfinished")
            problems << u"not translated: " + where;
        else if (m.type == u"vanished" || m.type == u"obsolete")
            problems << u"no longer in the code (run the update_translations target): " + where;
        else if (!m.numerus && placeholders(m.source) != placeholders(m.translation))
            problems << u"placeholders differ: " + where;
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

QTEST_GUILESS_MAIN(tst_Translations)
#include "tst_translations.moc"
