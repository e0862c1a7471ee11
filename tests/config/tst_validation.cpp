// SPDX-License-Identifier: GPL-3.0-or-later
// Every field a user types, with hostile and edge values: each gets exactly one message that
// names the field and the rule, and nothing hostile passes.
#include "config/validation.h"

#include <QTest>

using namespace wmw::config;

class tst_Validation : public QObject
{
    Q_OBJECT

private slots:
    void aValidDefaultProfilePasses();
    void profileFields_data();
    void profileFields();
    void passwords_data();
    void passwords();
    void aPastedLineBreakIsStrippedAndReported_data();
    void aPastedLineBreakIsStrippedAndReported();
    void oneUserForBothIsAllowedWithAWarning();
    void atMostOneFindingPerField();
};

namespace {

StationProfile validProfile()
{
    StationProfile p;
    p.piHost = QStringLiteral("weatherpi.local");
    p.sshUser = QStringLiteral("pi");
    return p;
}

void set(StationProfile &p, const QString &key, const QString &value)
{
    const int n = value.toInt();
    if (key == u"pi.host")
        p.piHost = value;
    else if (key == u"pi.sshPort")
        p.sshPort = n;
    else if (key == u"pi.sshUser")
        p.sshUser = value;
    else if (key == u"broker.mqttPort")
        p.mqttPort = n;
    else if (key == u"broker.websocketPort")
        p.websocketPort = n;
    else if (key == u"users.publish")
        p.publishUser = value;
    else if (key == u"users.web")
        p.webUser = value;
    else if (key == u"topics.root")
        p.topic = value;
    else if (key == u"topics.extra.0")
        p.extraTopics = {value};
    else if (key == u"paths.listenerConf")
        p.listenerConfPath = value;
    else if (key == u"paths.aclFile")
        p.aclFilePath = value;
    else if (key == u"paths.passwordFile")
        p.passwordFilePath = value;
    else if (key == u"paths.weewxConf")
        p.weewxConfPath = value;
    else if (key == u"weewx.serverUrlHost")
        p.serverUrlHost = value;
    else if (key == u"page.host")
        p.pageHostOverride = value;
    else if (key == u"page.port")
        p.pagePortOverride = n;
    else if (key == u"page.topic")
        p.pageTopicOverride = value;
    else if (key == u"page.visitorDisconnectMs")
        p.visitorDisconnectMs = value.toLongLong();
    else
        qFatal("unknown key in test table");
}

QString onlyMessageFor(const QList<Finding> &findings, const QString &field)
{
    QString message;
    for (const Finding &f : findings) {
        if (f.field == field) {
            if (!message.isEmpty())
                return QStringLiteral("MORE THAN ONE FINDING");
            message = f.message;
        }
    }
    return message;
}

} // namespace

void tst_Validation::aValidDefaultProfilePasses()
{
    const QList<Finding> findings = Validation::validate(validProfile());
    QVERIFY2(findings.isEmpty(), qPrintable(findings.value(0).message));
    Secrets secrets;
    secrets.publishPassword = QStringLiteral("s3cret-Pub!$;(x)");
    secrets.webPassword = QStringLiteral("public-page-pw");
    QVERIFY(Validation::validateSecrets(validProfile(), secrets).isEmpty());
}

void tst_Validation::profileFields_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message"); // empty: the value passes

    auto row = [](const char *name, const char *field, const QString &value, const char *message) {
        QTest::newRow(name) << QString::fromLatin1(field) << value << QString::fromUtf8(message);
    };
    const QString nul(QChar(0));

    // Hosts: names, IPv4 and IPv6 literals.
    row("host: a plain name passes", "pi.host", "raspberrypi", "");
    row("host: a dotted name passes", "pi.host", "wx-1.example.org", "");
    row("host: IPv4 passes", "pi.host", "192.168.1.164", "");
    row("host: IPv6 passes", "pi.host", "fe80::1", "");
    row("host: bracketed IPv6 passes", "pi.host", "[2001:db8::7]", "");
    row("host: empty", "pi.host", "", "Pi host: is required.");
    row("host: trailing space", "pi.host", "pi ",
        "Pi host: must not contain spaces, line breaks or control characters.");
    row("host: newline injection", "pi.host", "pi\nrm -rf /",
        "Pi host: must not contain spaces, line breaks or control characters.");
    row("host: NUL", "pi.host", "pi" + nul,
        "Pi host: must not contain spaces, line breaks or control characters.");
    row("host: command substitution", "pi.host", "$(reboot)",
        "Pi host: must be a host name (letters A-Z, digits, '-' and '.') or an IP address.");
    row("host: semicolon", "pi.host", "pi;reboot",
        "Pi host: must be a host name (letters A-Z, digits, '-' and '.') or an IP address.");
    row("host: quotes", "pi.host", "\"pi\"",
        "Pi host: must be a host name (letters A-Z, digits, '-' and '.') or an IP address.");
    row("host: URL instead of a host", "pi.host", "http://pi/",
        "Pi host: must be a host name or an IP address alone, not a URL.");
    row("host: umlaut", "pi.host", QStringLiteral("wetter-\u00fc.de"),
        "Pi host: must be plain ASCII; write an international domain name in its xn-- form.");
    row("host: IPv4 out of range", "pi.host", "192.168.1.256",
        "Pi host: is not a valid IPv4 address (four numbers from 0 to 255, separated by dots).");
    row("host: IPv4 with three parts", "pi.host", "10.0.1",
        "Pi host: is not a valid IPv4 address (four numbers from 0 to 255, separated by dots).");
    row("host: IPv4 with a leading zero", "pi.host", "010.0.0.1",
        "Pi host: is not a valid IPv4 address (four numbers from 0 to 255, separated by dots).");
    row("host: IPv6 with a zone", "pi.host", "fe80::1%eth0",
        "Pi host: is not a valid IPv6 address.");
    row("host: broken IPv6", "pi.host", "fe80:::1:", "Pi host: is not a valid IPv6 address.");
    row("host: empty label", "pi.host", "pi..local", "Pi host: has an empty part between dots.");
    row("host: trailing dot", "pi.host", "pi.", "Pi host: has an empty part between dots.");
    row("host: leading hyphen", "pi.host", "-pi",
        "Pi host: a part of the name must not start or end with '-'.");
    row("host: label of 64 characters", "pi.host", QString(64, u'a'),
        "Pi host: has a part longer than 63 characters.");
    row("host: very long", "pi.host", QString(300, u'a'),
        "Pi host: is longer than 253 characters.");
    row("server_url host: localhost passes", "weewx.serverUrlHost", "localhost", "");
    row("server_url host: names its field", "weewx.serverUrlHost", "a b",
        "Broker host in server_url: must not contain spaces, line breaks or control characters.");

    // Ports: range, and distinct on the one Pi.
    row("port: 1 passes", "broker.mqttPort", "1", "");
    row("port: 65535 passes", "broker.mqttPort", "65535", "");
    row("port: 0", "broker.mqttPort", "0", "MQTT port: must be a port number from 1 to 65535.");
    row("port: 65536", "broker.websocketPort", "65536",
        "Websockets port: must be a port number from 1 to 65535.");
    row("port: negative", "pi.sshPort", "-22", "SSH port: must be a port number from 1 to 65535.");
    row("port: websockets on the mqtt port", "broker.websocketPort", "1883",
        "Websockets port: must differ from the MQTT port (1883).");
    row("port: mqtt on the ssh port", "broker.mqttPort", "22",
        "MQTT port: must differ from the SSH port (22).");
    row("port: websockets on the ssh port", "broker.websocketPort", "22",
        "Websockets port: must differ from the SSH port (22).");
    row("page port: 443 behind a proxy passes", "page.port", "443", "");
    row("page port: out of range", "page.port", "70000",
        "Page websocket port: must be a port number from 1 to 65535.");

    // SSH user.
    row("ssh user: pi passes", "pi.sshUser", "pi", "");
    row("ssh user: empty", "pi.sshUser", "", "SSH user: is required.");
    row("ssh user: option injection", "pi.sshUser", "-oProxyCommand=x",
        "SSH user: must start with a letter, digit or '_' and contain only letters A-Z, digits, "
        "'_', '-' and '.'.");
    row("ssh user: at sign", "pi.sshUser", "pi@host",
        "SSH user: must start with a letter, digit or '_' and contain only letters A-Z, digits, "
        "'_', '-' and '.'.");
    row("ssh user: too long", "pi.sshUser", QString(33, u'u'),
        "SSH user: is longer than 32 characters.");

    // MQTT users.
    row("mqtt user: weemqtt passes", "users.publish", "weemqtt", "");
    row("mqtt user: empty", "users.publish", "", "Publishing user: is required.");
    row("mqtt user: colon", "users.publish", "wee:mqtt",
        "Publishing user: must not contain ':' (the password file separates user and hash with "
        "it).");
    row("mqtt user: space", "users.web", "web user",
        "Web page user: must not contain spaces, line breaks or control characters.");
    row("mqtt user: tab", "users.web", "web\tuser",
        "Web page user: must not contain spaces, line breaks or control characters.");
    row("mqtt user: newline would start an acl line", "users.web", "web\ntopic readwrite #",
        "Web page user: must not contain spaces, line breaks or control characters.");
    row("mqtt user: wildcard", "users.web", "web#1",
        "Web page user: may only contain letters A-Z, digits, '_', '-' and '.'.");
    row("mqtt user: at sign breaks server_url", "users.publish", "wee@mqtt",
        "Publishing user: may only contain letters A-Z, digits, '_', '-' and '.'.");
    row("mqtt user: quote breaks the page's JavaScript", "users.web", "we\"b",
        "Web page user: may only contain letters A-Z, digits, '_', '-' and '.'.");
    row("mqtt user: non-ASCII", "users.web", QStringLiteral("g\u00e4st"),
        "Web page user: may only contain letters A-Z, digits, '_', '-' and '.'.");
    row("mqtt user: too long", "users.web", QString(65, u'w'),
        "Web page user: is longer than 64 characters.");

    // Topics (MQTT 3.1.1, 4.7, plus what our files can carry).
    row("topic: nested root passes", "topics.root", "home/weather", "");
    row("topic: empty", "topics.root", "", "Topic: is required.");
    row("topic: wildcard in a name", "topics.root", "weather/#",
        "Topic: must not contain the wildcards '+' or '#' (MQTT 3.1.1, 4.7.1).");
    row("topic: NUL", "topics.root", "wea" + nul + "ther",
        "Topic: must not contain control characters.");
    row("topic: space", "topics.root", "my weather", "Topic: must not contain spaces.");
    row("topic: $SYS", "topics.root", "$SYS/x",
        "Topic: must not start with '$' (reserved for the broker).");
    row("topic: comma would make a list in weewx.conf", "topics.root", "a,b",
        "Topic: may only contain letters A-Z, digits, '_', '-', '.' and '/'.");
    row("topic: leading slash", "topics.root", "/weather",
        "Topic: must not start or end with '/' or contain an empty level.");
    row("topic: empty level", "topics.root", "a//b",
        "Topic: must not start or end with '/' or contain an empty level.");
    row("topic: very long", "topics.root", QString(70000, u'a'),
        "Topic: is longer than 65535 bytes (MQTT 3.1.1, 4.7.3).");
    row("extra topic: filter passes", "topics.extra.0", "weetest/+/x/#", "");
    row("extra topic: # not last", "topics.extra.0", "a/#/b",
        "Extra topic 1: '#' must be a whole level and the last one (MQTT 3.1.1, 4.7.1.2).");
    row("extra topic: # inside a level", "topics.extra.0", "a/b#",
        "Extra topic 1: '#' must be a whole level and the last one (MQTT 3.1.1, 4.7.1.2).");
    row("extra topic: + inside a level", "topics.extra.0", "a/b+/c",
        "Extra topic 1: '+' must be a whole level (MQTT 3.1.1, 4.7.1.3).");
    row("page topic: a filter elsewhere is valid but warned", "page.topic", "other/loop",
        "Page topic: weewx-mqtt publishes the readings to weather/loop; the page waits for data "
        "forever on other/loop.");

    // Paths on the Pi.
    row("path: conf.d file passes", "paths.listenerConf", "/etc/mosquitto/conf.d/live.conf", "");
    row("path: relative", "paths.aclFile", "acl",
        "ACL file: must be an absolute path (starting with '/').");
    row("path: traversal", "paths.aclFile", "/etc/mosquitto/../shadow",
        "ACL file: must name a file, without empty, '.' or '..' parts.");
    row("path: directory", "paths.passwordFile", "/etc/mosquitto/",
        "Password file: must name a file, without empty, '.' or '..' parts.");
    row("path: shell syntax", "paths.weewxConf", "/etc/weewx/$(id).conf",
        "weewx.conf file: may only contain letters A-Z, digits, '_', '-', '.' and '/'.");
    row("path: quote", "paths.weewxConf", "/etc/weewx/we'ewx.conf",
        "weewx.conf file: may only contain letters A-Z, digits, '_', '-', '.' and '/'.");
    row("path: newline", "paths.weewxConf", "/etc/weewx\n/weewx.conf",
        "weewx.conf file: must not contain spaces, line breaks or control characters.");
    row("path: listener conf not .conf", "paths.listenerConf", "/etc/mosquitto/conf.d/live",
        "Listener config file: must end in .conf (mosquitto's include_dir reads only *.conf "
        "files).");
    row("path: acl file read as configuration", "paths.aclFile", "/etc/mosquitto/conf.d/acl.conf",
        "ACL file: must not be a .conf file in /etc/mosquitto/conf.d, where mosquitto reads every "
        ".conf file as configuration.");
    row("path: password file is the acl file", "paths.passwordFile", "/etc/mosquitto/acl",
        "Password file: is the same file as the ACL file.");
    row("path: very long", "paths.weewxConf", u'/' + QString(2000, u'a'),
        "weewx.conf file: is longer than 1024 characters.");

    // The page.
    row("page host: public name passes", "page.host", "wx.example.org", "");
    row("page host: localhost is unreachable for visitors", "page.host", "localhost",
        "Page websocket host: a visitor's browser reads \"localhost\" as its own computer, so the "
        "live page works only in a browser on the Pi itself.");
    row("page host: hostile", "page.host", "x\"><script>",
        "Page websocket host: must be a host name (letters A-Z, digits, '-' and '.') or an IP "
        "address.");
    row("visitor disconnect: 0 keeps visitors", "page.visitorDisconnectMs", "0", "");
    row("visitor disconnect: above setTimeout's limit", "page.visitorDisconnectMs", "2147483648",
        "Visitor disconnect time: must be from 0 (never) to 2147483647 milliseconds.");
    row("visitor disconnect: negative", "page.visitorDisconnectMs", "-1",
        "Visitor disconnect time: must be from 0 (never) to 2147483647 milliseconds.");
}

void tst_Validation::profileFields()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, message);

    StationProfile p = validProfile();
    set(p, field, value);
    const QList<Finding> findings = Validation::validate(p);
    QCOMPARE(onlyMessageFor(findings, field), message);
    // Nothing else is blamed for this one field's value.
    for (const Finding &f : findings)
        QCOMPARE(f.field, field);
}

void tst_Validation::passwords_data()
{
    QTest::addColumn<QString>("publish");
    QTest::addColumn<QString>("web");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");

    const QString pub = QStringLiteral("Password of the publishing user");
    const QString url = QStringLiteral(
            ": weewx-mqtt reads the password from server_url (mqtt://user:password@host:port/) "
            "without percent-decoding, so @ : / ? # [ ] and % cannot be used.");
    auto row = [](const char *name, const QString &publish, const QString &web, const char *field,
                  const QString &message) {
        QTest::newRow(name) << publish << web << QString::fromLatin1(field) << message;
    };
    const QString ok = QStringLiteral("page-pw");

    row("password: shell characters are only ever hashed or quoted", "a$(b);c`d`|e&", ok, "", {});
    row("password: '#' and ',' are fine for the page (quoted in weewx.conf)", "pub-pw", "a#b,c", "",
        {});
    row("password: empty", "", ok, "secrets.publishPassword", pub + ": is required.");
    row("password: inner newline", "pass\nword", ok, "secrets.publishPassword",
        pub + ": must not contain line breaks.");
    row("password: NUL", QStringLiteral("pass") + QChar(0), ok, "secrets.publishPassword",
        pub + ": must not contain control characters.");
    row("password: tab", "pass\tword", ok, "secrets.publishPassword",
        pub + ": must not contain control characters.");
    row("password: non-ASCII", QStringLiteral("p\u00e4ss"), ok, "secrets.publishPassword",
        pub
                + ": must use ASCII characters only (others depend on the Pi's locale and the "
                  "page's "
                  "encoding).");
    row("password: space", "pass word", ok, "secrets.publishPassword",
        pub + ": must not contain spaces (weewx.conf drops them at the ends).");
    row("password: double quote", "pa\"ss", ok, "secrets.publishPassword",
        pub
                + ": must not contain \": it would end the quoted value in weewx.conf or in the "
                  "page's JavaScript.");
    row("password: at sign breaks server_url", "p@ss", ok, "secrets.publishPassword",
        pub + ": must not contain @" + url);
    row("password: colon breaks server_url", "p:ss", ok, "secrets.publishPassword",
        pub + ": must not contain :" + url);
    row("password: slash breaks server_url", "p/ss", ok, "secrets.publishPassword",
        pub + ": must not contain /" + url);
    row("password: hash sign breaks server_url", "p#ss", ok, "secrets.publishPassword",
        pub + ": must not contain #" + url);
    row("password: percent is not decoded", "p%40ss", ok, "secrets.publishPassword",
        pub + ": must not contain %" + url);
    row("password: a hash is not a password", "$7$101$abc$def", ok, "secrets.publishPassword",
        pub + ": looks like a mosquitto password hash; enter the password itself.");
    row("password: very long", QString(300, u'p'), ok, "secrets.publishPassword",
        pub + ": is longer than 256 characters.");
    row("web password: empty", "pub-pw", "", "secrets.webPassword",
        "Password of the web page user: is required.");
    row("web password: backslash breaks the page's JavaScript", "pub-pw", "a\\b",
        "secrets.webPassword",
        "Password of the web page user: must not contain \\: it would end the quoted value in "
        "weewx.conf or in the page's JavaScript.");
    row("web password: same as the publishing one", "same-pw", "same-pw", "secrets.webPassword",
        "Password of the web page user: is the same as the publishing user's; anyone who reads "
        "it in the page could guess the other.");
}

void tst_Validation::passwords()
{
    QFETCH(QString, publish);
    QFETCH(QString, web);
    QFETCH(QString, field);
    QFETCH(QString, message);

    Secrets secrets;
    secrets.publishPassword = publish;
    secrets.webPassword = web;
    const QList<Finding> findings = Validation::validateSecrets(validProfile(), secrets);
    if (field.isEmpty()) {
        QVERIFY2(findings.isEmpty(), qPrintable(findings.value(0).message));
        return;
    }
    QCOMPARE(findings.size(), 1);
    QCOMPARE(findings.constFirst().field, field);
    QCOMPARE(findings.constFirst().message, message);
}

void tst_Validation::aPastedLineBreakIsStrippedAndReported_data()
{
    QTest::addColumn<QString>("pasted");
    QTest::addColumn<QString>("kept");
    QTest::addColumn<bool>("stripped");
    QTest::newRow("paste: LF") << "weepass\n"
                               << "weepass" << true;
    QTest::newRow("paste: CRLF") << "weepass\r\n"
                                 << "weepass" << true;
    QTest::newRow("paste: several") << "weepass\n\n"
                                    << "weepass" << true;
    QTest::newRow("paste: none") << "weepass"
                                 << "weepass" << false;
    QTest::newRow("paste: inner break stays for validation") << "wee\npass"
                                                             << "wee\npass" << false;
}

void tst_Validation::aPastedLineBreakIsStrippedAndReported()
{
    QFETCH(QString, pasted);
    QFETCH(QString, kept);
    QFETCH(bool, stripped);
    QCOMPARE(Validation::stripTrailingLineBreaks(pasted), stripped);
    QCOMPARE(pasted, kept);
}

void tst_Validation::oneUserForBothIsAllowedWithAWarning()
{
    StationProfile p = validProfile();
    p.webUser = p.publishUser;
    const QList<Finding> findings = Validation::validate(p);
    QCOMPARE(findings.size(), 1);
    QCOMPARE(findings.constFirst().field, QStringLiteral("users.web"));
    QCOMPARE(findings.constFirst().severity, Finding::Warning);
    QCOMPARE(findings.constFirst().message,
             QStringLiteral("Web page user: is the publishing user too. Its password is readable "
                            "by every visitor of the page, who could then publish false "
                            "readings; a separate user that may only read weather/loop is "
                            "safer."));
    QVERIFY(!Validation::hasErrors(findings));

    // With one user, only its one password is needed.
    Secrets secrets;
    secrets.publishPassword = QStringLiteral("weepass");
    QVERIFY(Validation::validateSecrets(p, secrets).isEmpty());
}

void tst_Validation::atMostOneFindingPerField()
{
    StationProfile p = validProfile();
    p.mqttPort = 22; // equal to the SSH port ...
    p.websocketPort = 22; // ... and to the MQTT port
    p.piHost = QString();
    const QList<Finding> findings = Validation::validate(p);
    QStringList fields;
    for (const Finding &f : findings) {
        QVERIFY2(!fields.contains(f.field), qPrintable(f.field));
        fields << f.field;
    }
    QCOMPARE(fields, QStringList({"pi.host", "broker.mqttPort", "broker.websocketPort"}));
    QVERIFY(Validation::hasErrors(findings));
}

QTEST_GUILESS_MAIN(tst_Validation)
#include "tst_validation.moc"
