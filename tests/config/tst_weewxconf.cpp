// SPDX-License-Identifier: GPL-3.0-or-later
// The weewx.conf editor against the real ConfigObj 5 (python3-configobj, read the way WeeWX
// reads it): byte-identical round trips, the same structure ConfigObj sees, errors on the same
// line, and the live-update edit read back with exactly the values written.
#include "config/weewxconf.h"
#include "config/weewxconf_liveupdate.h"
#include "config/weewxconf_profile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace wmw::config;

Q_DECLARE_METATYPE(wmw::config::ConfValue)
Q_DECLARE_METATYPE(wmw::config::LiveUpdateSettings)
Q_DECLARE_METATYPE(wmw::config::WeewxConfError)

namespace {

const char *const pythonDump = R"py(
import json, sys
from configobj import ConfigObj, ConfigObjError
interp = 'ConfigParser' if sys.argv[2] == 'interpolate' else False
def value(v):
    return v
def walk(s):
    return {'scalars': [[k, s[k]] for k in s.scalars],
            'sections': [[k, walk(s[k])] for k in s.sections]}
try:
    c = ConfigObj(sys.argv[1], interpolation=interp, encoding='utf-8', file_error=True)
    print(json.dumps({'ok': walk(c)}))
except ConfigObjError as e:
    first = e.errors[0] if getattr(e, 'errors', None) else e
    print(json.dumps({'error': type(first).__name__, 'line': first.line_number}))
except UnicodeDecodeError:
    print(json.dumps({'error': 'UnicodeDecodeError', 'line': 0}))
)py";

const char *const pythonLiveUpdate = R"py(
import json, sys
from urllib.parse import urlparse
from configobj import ConfigObj
c = ConfigObj(sys.argv[1], interpolation='ConfigParser', encoding='utf-8', file_error=True)
m = c['StdRESTful']['MQTT']
e = c['StdReport']['Belchertown']['Extras']
u = urlparse(m['server_url'])
print(json.dumps({
    'mqtt': {k: m[k] for k in m.scalars},
    'extras': {k: e[k] for k in e.scalars},
    'belchertown': {k: c['StdReport']['Belchertown'][k]
                    for k in c['StdReport']['Belchertown'].scalars},
    'restful': c['Engine']['Services']['restful_services'],
    'url': [u.username, u.password, u.hostname, u.port],
}))
)py";

QString corpusDir()
{
    return QStringLiteral(WMW_WEEWXCONF_CORPUS);
}

QStringList corpusFiles()
{
    return QDir(corpusDir()).entryList({QStringLiteral("*.conf")}, QDir::Files, QDir::Name);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

// Runs one of the scripts above with Debian's python (the one that has configobj).
QJsonObject runPython(const char *script, const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            QStringList{QStringLiteral("-c"), QString::fromUtf8(script)} + args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning().noquote() << "python failed:" << p.readAllStandardError();
        return QJsonObject();
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

QJsonValue toJson(const ConfValue &v)
{
    if (v.isList)
        return QJsonArray::fromStringList(v.list);
    return v.string;
}

QJsonObject toJson(const WeewxConf &conf, const QStringList &path)
{
    QJsonArray scalars;
    for (const QString &key : conf.keys(path))
        scalars.append(QJsonArray{key, toJson(*conf.value(path, key))});
    QJsonArray sections;
    for (const QString &name : conf.sections(path))
        sections.append(QJsonArray{name, toJson(conf, path + QStringList{name})});
    return QJsonObject{{QStringLiteral("scalars"), scalars},
                       {QStringLiteral("sections"), sections}};
}

LiveUpdateSettings settings()
{
    LiveUpdateSettings s;
    s.brokerHost = QStringLiteral("localhost");
    s.brokerPort = 1883;
    s.publishUser = QStringLiteral("weewx");
    s.publishPassword = QStringLiteral("p,ss:w@rd"); // a comma makes a ConfigObj list unquoted
    s.topic = QStringLiteral("weather");
    s.pageHost = QStringLiteral("wx.example.com");
    s.pagePort = 9001;
    s.webUser = QStringLiteral("belchertown");
    s.webPassword = QStringLiteral("pa#ss,word"); // '#' starts a comment unquoted
    s.visitorDisconnectMs = 1800000;
    return s;
}

} // namespace

class tst_WeewxConf : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void corpus_data();
    void unchangedRoundTripIsByteIdentical_data() { corpus_data(); }
    void unchangedRoundTripIsByteIdentical();
    void readsWhatConfigObjReads_data() { corpus_data(); }
    void readsWhatConfigObjReads();
    void liveUpdateReadsBackInConfigObj_data() { corpus_data(); }
    void liveUpdateReadsBackInConfigObj();
    void errorsNameTheLineConfigObjNames_data();
    void errorsNameTheLineConfigObjNames();
    void valuesAreQuotedSoConfigObjReadsThemBack_data();
    void valuesAreQuotedSoConfigObjReadsThemBack();
    void unrepresentableValuesAreRefused_data();
    void unrepresentableValuesAreRefused();
    void editsKeepTheFileStyle_data();
    void editsKeepTheFileStyle();
    void liveUpdateRefusesBadSettings_data();
    void liveUpdateRefusesBadSettings();
    void profileMapsOntoTheEdit();

private:
    QTemporaryDir m_dir;
};

void tst_WeewxConf::initTestCase()
{
    if (!QFile::exists(QStringLiteral("/usr/bin/python3")))
        QSKIP("/usr/bin/python3 is missing: the real ConfigObj cannot run here");
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"), QStringLiteral("import configobj")});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, "python3-configobj is not installed for /usr/bin/python3");
    QVERIFY(m_dir.isValid());
    QVERIFY(corpusFiles().size() >= 10);
}

void tst_WeewxConf::corpus_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &file : corpusFiles())
        QTest::newRow(qPrintable(file)) << file;
}

void tst_WeewxConf::unchangedRoundTripIsByteIdentical()
{
    QFETCH(QString, file);
    const QByteArray bytes = readFile(corpusDir() + u'/' + file);
    QVERIFY(!bytes.isEmpty());
    WeewxConfStatus status;
    const WeewxConf conf = WeewxConf::parse(bytes, &status);
    QVERIFY2(status.ok(), qPrintable(status.message));
    QCOMPARE(conf.toBytes(), bytes);
}

void tst_WeewxConf::readsWhatConfigObjReads()
{
    QFETCH(QString, file);
    const QString path = corpusDir() + u'/' + file;
    WeewxConfStatus status;
    const WeewxConf conf = WeewxConf::parse(readFile(path), &status);
    QVERIFY2(status.ok(), qPrintable(status.message));
    const QJsonObject python = runPython(pythonDump, {path, QStringLiteral("raw")});
    QVERIFY2(python.contains(QStringLiteral("ok")), QJsonDocument(python).toJson().constData());
    QCOMPARE(toJson(conf, {}), python.value(QStringLiteral("ok")).toObject());
}

void tst_WeewxConf::liveUpdateReadsBackInConfigObj()
{
    QFETCH(QString, file);
    const QByteArray original = readFile(corpusDir() + u'/' + file);
    WeewxConfStatus status;
    WeewxConf conf = WeewxConf::parse(original, &status);
    QVERIFY2(status.ok(), qPrintable(status.message));
    const LiveUpdateSettings s = settings();
    QStringList notes;
    status = LiveUpdateEdit::apply(conf, s, &notes);
    QVERIFY2(status.ok(), qPrintable(status.message));
    const QByteArray edited = conf.toBytes();

    // Applying the same settings again changes nothing.
    WeewxConf again = WeewxConf::parse(edited, &status);
    QVERIFY(status.ok());
    QVERIFY(LiveUpdateEdit::apply(again, s).ok());
    QCOMPARE(again.toBytes(), edited);

    // The original line endings stay: no lone \n in a CRLF file, no \r\n added elsewhere.
    if (original.contains("\r\n"))
        QCOMPARE(edited.count('\n'), edited.count("\r\n"));
    else
        QVERIFY(!edited.contains('\r'));
    QCOMPARE(edited.endsWith('\n'), original.endsWith('\n'));

    const QString path = m_dir.filePath(file);
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    out.write(edited);
    out.close();

    // Everything ConfigObj reads equals what the editor reads (nothing else moved or broke).
    const QJsonObject dump = runPython(pythonDump, {path, QStringLiteral("raw")});
    QCOMPARE(toJson(conf, {}), dump.value(QStringLiteral("ok")).toObject());

    const QJsonObject r = runPython(pythonLiveUpdate, {path});
    QVERIFY2(!r.isEmpty(), "ConfigObj could not read the edited file");
    const QJsonObject mqtt = r.value(QStringLiteral("mqtt")).toObject();
    QCOMPARE(mqtt.value(QStringLiteral("enable")), QJsonValue(QStringLiteral("true")));
    QCOMPARE(mqtt.value(QStringLiteral("server_url")),
             QJsonValue(QStringLiteral("mqtt://weewx:p,ss:w@rd@localhost:1883/")));
    QCOMPARE(mqtt.value(QStringLiteral("topic")), QJsonValue(QStringLiteral("weather")));
    QCOMPARE(mqtt.value(QStringLiteral("binding")),
             QJsonValue(QJsonArray{QStringLiteral("archive"), QStringLiteral("loop")}));
    QCOMPARE(mqtt.value(QStringLiteral("aggregation")), QJsonValue(QStringLiteral("aggregate")));
    QCOMPARE(mqtt.value(QStringLiteral("log_success")), QJsonValue(QStringLiteral("false")));
    QCOMPARE(mqtt.value(QStringLiteral("log_failure")), QJsonValue(QStringLiteral("true")));
    // What weewx-mqtt gets from urlparse(): user, password, host and port.
    QCOMPARE(r.value(QStringLiteral("url")).toArray(),
             (QJsonArray{QStringLiteral("weewx"), QStringLiteral("p,ss:w@rd"),
                         QStringLiteral("localhost"), 1883}));

    const QJsonObject extras = r.value(QStringLiteral("extras")).toObject();
    const QList<std::pair<const char *, const char *>> expected = {
            {"mqtt_websockets_enabled", "1"},
            {"mqtt_websockets_host", "wx.example.com"},
            {"mqtt_websockets_port", "9001"},
            {"mqtt_websockets_ssl", "0"},
            {"mqtt_websockets_topic", "weather/loop"},
            {"mqtt_websockets_username", "belchertown"},
            {"mqtt_websockets_password", "pa#ss,word"},
            {"disconnect_live_website_visitor", "1800000"},
    };
    for (const auto &[key, value] : expected)
        QCOMPARE(extras.value(QLatin1String(key)), QJsonValue(QLatin1String(value)));
    QCOMPARE(r.value(QStringLiteral("belchertown")).toObject().value(QStringLiteral("skin")),
             QJsonValue(QStringLiteral("Belchertown")));

    const QJsonValue restful = r.value(QStringLiteral("restful"));
    const QJsonArray services =
            restful.isArray() ? restful.toArray() : QJsonArray{restful.toString()};
    QCOMPARE(services.toVariantList().count(QStringLiteral("user.mqtt.MQTT")), 1);
}

void tst_WeewxConf::errorsNameTheLineConfigObjNames_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<WeewxConfError>("error");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("configObjError");
    QTest::newRow("unequal brackets: NestingError")
            << QByteArray("[A]\nx = 1\n[[B]\ny = 2\n") << WeewxConfError::Nesting << 3
            << QStringLiteral("NestingError");
    QTest::newRow("a section two levels deeper than its parent: NestingError")
            << QByteArray("[A]\n    [[[C]]]\n") << WeewxConfError::Nesting << 2
            << QStringLiteral("NestingError");
    QTest::newRow("a key twice in one section: DuplicateError")
            << QByteArray("[A]\n    x = 1\n    # again\n    x = 2\n") << WeewxConfError::Duplicate
            << 4 << QStringLiteral("DuplicateError");
    QTest::newRow("a section twice: DuplicateError")
            << QByteArray("[A]\n[[B]]\n[[B]]\n") << WeewxConfError::Duplicate << 3
            << QStringLiteral("DuplicateError");
    QTest::newRow("a key named like a section: DuplicateError")
            << QByteArray("[A]\nB = 1\n[[B]]\n") << WeewxConfError::Duplicate << 3
            << QStringLiteral("DuplicateError");
    QTest::newRow("a line that is neither: ParseError")
            << QByteArray("[A]\n    x = 1\n    just words\n") << WeewxConfError::BadLine << 3
            << QStringLiteral("ParseError");
    QTest::newRow("an unbalanced quote: ParseError")
            << QByteArray("[A]\n    password = \"abc\n") << WeewxConfError::BadLine << 2
            << QStringLiteral("ParseError");
    QTest::newRow("an unclosed triple quote: ParseError")
            << QByteArray("[A]\n    x = '''abc\n    y = 2\n") << WeewxConfError::BadLine << 2
            << QStringLiteral("ParseError");
    QTest::newRow("a CRLF file with the error on line 2")
            << QByteArray("[A]\r\n[[B]\r\n") << WeewxConfError::Nesting << 2
            << QStringLiteral("NestingError");
    QTest::newRow("bytes that are not UTF-8")
            << QByteArray("[A]\n    location = M\xfcnchen\n") << WeewxConfError::NotUtf8 << 2
            << QStringLiteral("UnicodeDecodeError");
}

void tst_WeewxConf::errorsNameTheLineConfigObjNames()
{
    QFETCH(QByteArray, bytes);
    QFETCH(WeewxConfError, error);
    QFETCH(int, line);
    QFETCH(QString, configObjError);
    WeewxConfStatus status;
    const WeewxConf conf = WeewxConf::parse(bytes, &status);
    QCOMPARE(status.error, error);
    QCOMPARE(status.line, line);
    QVERIFY(status.message.contains(QString::number(line)));
    QVERIFY(conf.isEmpty());

    const QString path = m_dir.filePath(QStringLiteral("broken.conf"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    out.write(bytes);
    out.close();
    const QJsonObject r = runPython(pythonDump, {path, QStringLiteral("raw")});
    QCOMPARE(r.value(QStringLiteral("error")).toString(), configObjError);
    if (error != WeewxConfError::NotUtf8)
        QCOMPARE(r.value(QStringLiteral("line")).toInt(), line);
}

void tst_WeewxConf::valuesAreQuotedSoConfigObjReadsThemBack_data()
{
    QTest::addColumn<ConfValue>("value");
    QTest::addColumn<QString>("rendered");
    auto s = [](const char *v) {
        return ConfValue::fromString(QString::fromUtf8(v));
    };
    QTest::newRow("plain word stays bare") << s("aggregate") << QStringLiteral("aggregate");
    QTest::newRow("a comma would make a list")
            << s("individual, aggregate") << QStringLiteral("\"individual, aggregate\"");
    QTest::newRow("a hash would start a comment") << s("pa#ss") << QStringLiteral("\"pa#ss\"");
    QTest::newRow("leading space") << s(" x") << QStringLiteral("\" x\"");
    QTest::newRow("trailing tab") << s("x\t") << QStringLiteral("\"x\t\"");
    QTest::newRow("leading quote") << s("'x") << QStringLiteral("\"'x\"");
    QTest::newRow("leading double quote") << s("\"x") << QStringLiteral("'\"x'");
    QTest::newRow("inner quote stays bare") << s("it's") << QStringLiteral("it's");
    QTest::newRow("double quotes and a comma")
            << s("say \"hi\", go") << QStringLiteral("'say \"hi\", go'");
    QTest::newRow("both quote kinds: triple quotes")
            << s("l'\"x\"") << QStringLiteral(R"("""l'"x"""")");
    QTest::newRow("both quotes, # and a triple double quote")
            << s("a'b\"\"\"#c") << QStringLiteral("'''a'b\"\"\"#c'''");
    QTest::newRow("empty string") << s("") << QStringLiteral("\"\"");
    QTest::newRow("non-ASCII") << s("Zürich") << QStringLiteral("Zürich");
    QTest::newRow("percent without interpolation") << s("50%") << QStringLiteral("50%");
    QTest::newRow("non-breaking space at the end is whitespace to Python")
            << s("x\u00a0") << QStringLiteral("\"x\u00a0\"");
    QTest::newRow("two-item list")
            << ConfValue::fromList({QStringLiteral("archive"), QStringLiteral("loop")})
            << QStringLiteral("archive, loop");
    QTest::newRow("one-item list keeps its trailing comma")
            << ConfValue::fromList({QStringLiteral("loop")}) << QStringLiteral("loop,");
    QTest::newRow("empty list") << ConfValue::fromList({}) << QStringLiteral(",");
    QTest::newRow("list member with a comma")
            << ConfValue::fromList({QStringLiteral("a,b"), QStringLiteral("")})
            << QStringLiteral("\"a,b\", \"\"");
}

void tst_WeewxConf::valuesAreQuotedSoConfigObjReadsThemBack()
{
    QFETCH(ConfValue, value);
    QFETCH(QString, rendered);
    QCOMPARE(WeewxConf::render(value).value_or(QStringLiteral("<refused>")), rendered);

    WeewxConfStatus status;
    WeewxConf conf = WeewxConf::parse("[A]\n    [[B]]\n        x = 1\n", &status);
    QVERIFY(status.ok());
    QVERIFY(conf.setValue({QStringLiteral("A"), QStringLiteral("B")}, QStringLiteral("v"), value)
                    .ok());
    const QString path = m_dir.filePath(QStringLiteral("quoted.conf"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    out.write(conf.toBytes());
    out.close();
    const QJsonObject r = runPython(pythonDump, {path, QStringLiteral("interpolate")});
    const QJsonArray b = r.value(QStringLiteral("ok"))
                                 .toObject()
                                 .value(QStringLiteral("sections"))[0][1]
                                 .toObject()
                                 .value(QStringLiteral("sections"))[0][1]
                                 .toObject()
                                 .value(QStringLiteral("scalars"))
                                 .toArray();
    QCOMPARE(b.size(), 2);
    QCOMPARE(b[1][0].toString(), QStringLiteral("v"));
    QCOMPARE(b[1][1], toJson(value));
}

void tst_WeewxConf::unrepresentableValuesAreRefused_data()
{
    QTest::addColumn<ConfValue>("value");
    QTest::newRow("a line break") << ConfValue::fromString(QStringLiteral("pass\nword"));
    QTest::newRow("a pasted trailing CR") << ConfValue::fromString(QStringLiteral("pass\r"));
    QTest::newRow("both quotes and both triple quotes")
            << ConfValue::fromString(QStringLiteral("a'''b\"\"\"c"));
    QTest::newRow("both quote kinds in a list member")
            << ConfValue::fromList({QStringLiteral("a'b\"c"), QStringLiteral("d")});
    QTest::newRow("%(name)s that WeeWX would interpolate")
            << ConfValue::fromString(QStringLiteral("pa%(WEEWX_ROOT)ss"));
}

void tst_WeewxConf::unrepresentableValuesAreRefused()
{
    QFETCH(ConfValue, value);
    QString why;
    QVERIFY(!WeewxConf::render(value, &why));
    QVERIFY(!why.isEmpty());
    const QByteArray before = "[A]\n    x = 1\n";
    WeewxConfStatus status;
    WeewxConf conf = WeewxConf::parse(before, &status);
    status = conf.setValue({QStringLiteral("A")}, QStringLiteral("x"), value);
    QCOMPARE(status.error, WeewxConfError::Unrepresentable);
    QVERIFY(status.message.contains(QStringLiteral("x")));
    QVERIFY(!status.message.contains(QStringLiteral("pass")));
    QCOMPARE(conf.toBytes(), before);
}

void tst_WeewxConf::editsKeepTheFileStyle_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QStringList>("path");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("after");
    const QStringList ab = {QStringLiteral("A"), QStringLiteral("B")};
    QTest::newRow("a changed value keeps its inline comment and spacing")
            << QByteArray("[A]\n  [[B]]\n    x  =  old   # keep me\n") << ab << QStringLiteral("x")
            << QStringLiteral("new") << QByteArray("[A]\n  [[B]]\n    x  =  new   # keep me\n");
    QTest::newRow("a new key goes after the last key, before subsections")
            << QByteArray("[A]\n    [[B]]\n        x = 1\n        # about C\n        [[[C]]]\n"
                          "            y = 2\n")
            << ab << QStringLiteral("z") << QStringLiteral("3")
            << QByteArray("[A]\n    [[B]]\n        x = 1\n        z = 3\n        # about C\n"
                          "        [[[C]]]\n            y = 2\n");
    QTest::newRow("a new subsection goes before the comments of the next section")
            << QByteArray("[A]\n    [[X]]\n        x = 1\n\n#### next\n[N]\n") << ab
            << QStringLiteral("k") << QStringLiteral("v")
            << QByteArray("[A]\n    [[X]]\n        x = 1\n\n    [[B]]\n        k = v\n\n#### "
                          "next\n[N]\n");
    QTest::newRow("new sections in a tab-indented CRLF file")
            << QByteArray("[S]\r\n\t[[T]]\r\n\t\tx = 1\r\n") << ab << QStringLiteral("k")
            << QStringLiteral("v")
            << QByteArray("[S]\r\n\t[[T]]\r\n\t\tx = 1\r\n\r\n[A]\r\n\t[[B]]\r\n\t\tk = v\r\n");
    QTest::newRow("a missing final newline stays missing")
            << QByteArray("[A]\n    [[B]]\n        x = 1") << ab << QStringLiteral("y")
            << QStringLiteral("2") << QByteArray("[A]\n    [[B]]\n        x = 1\n        y = 2");
    QTest::newRow("a multi-line value becomes one line, its comment kept")
            << QByteArray("[A]\n [[B]]\n  x = '''one\ntwo'''  # c\n  y = 1\n") << ab
            << QStringLiteral("x") << QStringLiteral("v")
            << QByteArray("[A]\n [[B]]\n  x = v  # c\n  y = 1\n");
    QTest::newRow("a flush-left file gets flush-left new lines")
            << QByteArray("[A]\n[[X]]\nx = 1\n") << ab << QStringLiteral("k") << QStringLiteral("v")
            << QByteArray("[A]\n[[X]]\nx = 1\n\n[[B]]\nk = v\n");
    QTest::newRow("an empty file gets the whole path")
            << QByteArray() << ab << QStringLiteral("k") << QStringLiteral("v")
            << QByteArray("[A]\n    [[B]]\n        k = v\n");
    QTest::newRow("a comment right after the old value keeps a space")
            << QByteArray("[A]\n[[B]]\nx = a#c\n") << ab << QStringLiteral("x")
            << QStringLiteral("b c") << QByteArray("[A]\n[[B]]\nx = b c #c\n");
    QTest::newRow("a comment that would join the new value moves above the key")
            << QByteArray("[A]\n[[B]]\n    x = 'a \"q\"'   # say \", b\n") << ab
            << QStringLiteral("x") << QStringLiteral("pa#ss")
            << QByteArray("[A]\n[[B]]\n    # say \", b\n    x = \"pa#ss\"\n");
    QTest::newRow("a UTF-8 BOM stays first")
            << QByteArray("\xEF\xBB\xBF[A]\n") << ab << QStringLiteral("k") << QStringLiteral("v")
            << QByteArray("\xEF\xBB\xBF[A]\n\n    [[B]]\n        k = v\n");
}

void tst_WeewxConf::editsKeepTheFileStyle()
{
    QFETCH(QByteArray, before);
    QFETCH(QStringList, path);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QByteArray, after);
    WeewxConfStatus status;
    WeewxConf conf = WeewxConf::parse(before, &status);
    QVERIFY2(status.ok(), qPrintable(status.message));
    status = conf.setValue(path, key, ConfValue::fromString(value));
    QVERIFY2(status.ok(), qPrintable(status.message));
    QCOMPARE(conf.toBytes(), after);
    QCOMPARE(conf.value(path, key), std::optional<ConfValue>(ConfValue::fromString(value)));
}

void tst_WeewxConf::liveUpdateRefusesBadSettings_data()
{
    QTest::addColumn<LiveUpdateSettings>("settings");
    QTest::addColumn<QString>("field");
    LiveUpdateSettings s = settings();
    s.publishPassword = QStringLiteral("pa#ss");
    QTest::newRow("a # in the publishing password breaks urlparse")
            << s << QStringLiteral("password");
    s = settings();
    s.publishPassword = QStringLiteral("pa/ss");
    QTest::newRow("a / in the publishing password") << s << QStringLiteral("password");
    s = settings();
    s.publishUser = QStringLiteral("we:ewx");
    QTest::newRow("a : in the publishing user") << s << QStringLiteral("user name");
    s = settings();
    s.pageHost.clear();
    QTest::newRow("an empty page host") << s << QStringLiteral("mqtt_websockets_host");
    s = settings();
    s.pagePort = 70000;
    QTest::newRow("a websocket port out of range") << s << QStringLiteral("mqtt_websockets_port");
    s = settings();
    s.webPassword.clear();
    QTest::newRow("a page user without a password")
            << s << QStringLiteral("mqtt_websockets_username");
    s = settings();
    s.webPassword = QStringLiteral("a\"b");
    QTest::newRow("a quote in the page password breaks the page's JavaScript")
            << s << QStringLiteral("JavaScript");
    s = settings();
    s.topic = QStringLiteral("weather/#");
    QTest::newRow("a wildcard topic") << s << QStringLiteral("topic");
    s = settings();
    s.brokerHost = QStringLiteral("local host");
    QTest::newRow("a broker host with a space") << s << QStringLiteral("server_url");
}

void tst_WeewxConf::liveUpdateRefusesBadSettings()
{
    QFETCH(LiveUpdateSettings, settings);
    QFETCH(QString, field);
    const QByteArray before = readFile(corpusDir() + u"/weewx5-package-belchertown.conf");
    WeewxConfStatus status;
    WeewxConf conf = WeewxConf::parse(before, &status);
    QVERIFY(status.ok());
    status = LiveUpdateEdit::apply(conf, settings);
    QCOMPARE(status.error, WeewxConfError::BadSetting);
    QVERIFY2(status.message.contains(field), qPrintable(status.message));
    QVERIFY(!status.message.contains(settings.publishPassword));
    QCOMPARE(conf.toBytes(), before);
}

void tst_WeewxConf::profileMapsOntoTheEdit()
{
    StationProfile p;
    p.piHost = QStringLiteral("weatherpi.local");
    Secrets secrets;
    secrets.publishPassword = QStringLiteral("pub,pw");
    secrets.webPassword = QStringLiteral("web#pw");
    WeewxConfStatus status;
    WeewxConf conf =
            WeewxConf::parse(readFile(corpusDir() + u"/weewx5-package-belchertown.conf"), &status);
    QVERIFY(status.ok());
    QVERIFY(LiveUpdateEdit::apply(conf, liveUpdateSettings(p, secrets)).ok());
    const QStringList mqtt = LiveUpdateEdit::mqttPath;
    const QStringList extras = LiveUpdateEdit::extrasPath;
    auto str = [](const char *v) {
        return std::optional(ConfValue::fromString(QLatin1String(v)));
    };
    // weewxd runs on the Pi: it publishes to the broker there, on the MQTT port.
    QCOMPARE(conf.value(mqtt, QStringLiteral("server_url")),
             str("mqtt://weewx:pub,pw@localhost:1883/"));
    // The visitor's browser reaches the Pi by its name, on the websockets port.
    QCOMPARE(conf.value(extras, QStringLiteral("mqtt_websockets_host")), str("weatherpi.local"));
    QCOMPARE(conf.value(extras, QStringLiteral("mqtt_websockets_port")), str("9001"));
    QCOMPARE(conf.value(extras, QStringLiteral("mqtt_websockets_topic")), str("weather/loop"));
    QCOMPARE(conf.value(extras, QStringLiteral("mqtt_websockets_username")), str("belchertown"));
    QCOMPARE(conf.value(extras, QStringLiteral("mqtt_websockets_password")), str("web#pw"));

    // One user for both: the page must log in with the password that user really has.
    p.webUser = p.publishUser;
    QVERIFY(LiveUpdateEdit::apply(conf, liveUpdateSettings(p, secrets)).ok());
    QCOMPARE(conf.value(extras, QStringLiteral("mqtt_websockets_username")), str("weewx"));
    QCOMPARE(conf.value(extras, QStringLiteral("mqtt_websockets_password")), str("pub,pw"));
}

QTEST_GUILESS_MAIN(tst_WeewxConf)
#include "tst_weewxconf.moc"
