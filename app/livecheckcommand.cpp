// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/livecheckcommand.h"

#include "remote/mqtt/livecheck.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QSslCertificate>
#include <QTextStream>

#include <cstdio>

namespace wmw::app {

namespace {

using wmw::mqtt::LiveCheck;

// One exit code per failure class; documented in --help and the README. 1 and 2 keep their
// meaning for every command (failure, bad command line).
int exitCode(LiveCheck::Failure failure)
{
    using F = LiveCheck::Failure;
    switch (failure) {
    case F::None:
        return ExitOk;
    case F::InvalidInput:
        return ExitUsage;
    case F::NameNotResolved:
        return 10;
    case F::TcpRefused:
        return 11;
    case F::TcpTimeout:
        return 12;
    case F::NetworkUnreachable:
        return 13;
    case F::TlsFailed:
        return 14;
    case F::CertificateUntrusted:
        return 15;
    case F::NotWebSocket:
        return 16;
    case F::NoConnack:
        return 17;
    case F::ConnackProtocolVersion:
        return 21;
    case F::ConnackIdentifierRejected:
        return 22;
    case F::ConnackServerUnavailable:
        return 23;
    case F::ConnackBadCredentials:
        return 24;
    case F::ConnackNotAuthorised:
        return 25;
    case F::SubscribeRefused:
        return 30;
    case F::NoMessage:
        return 31;
    case F::ArchiveOnly:
        return 32;
    case F::NotLoopData:
        return 33;
    case F::ConnectionLost:
        return 40;
    case F::ProtocolError:
        return 41;
    }
    return ExitFailure;
}

class LiveCheckCommand
{
    Q_DECLARE_TR_FUNCTIONS(LiveCheckCommand)
public:
    static QString summary()
    {
        return tr("Connect like the Belchertown page and say whether live data arrives.");
    }

    static QString exitCodes()
    {
        return tr("Exit codes:\n"
                  "   0  receiving: loop data arrived\n"
                  "   2  bad command line or input\n"
                  "  10  the host name does not resolve\n"
                  "  11  TCP refused: nothing listens on that port\n"
                  "  12  TCP timeout: firewall, port forwarding or wrong address\n"
                  "  13  network unreachable\n"
                  "  14  TLS handshake failed (wss:// to a plain listener?)\n"
                  "  15  certificate not trusted (see --ca, --accept-certificate)\n"
                  "  16  the port answers but is not a websocket listener (the MQTT port?)\n"
                  "  17  websocket open but no CONNACK (subprotocol, proxy)\n"
                  "  21-25  CONNACK 1-5: protocol version, client id, server unavailable,\n"
                  "         bad user name or password, not authorised\n"
                  "  30  subscription refused (SUBACK 0x80)\n"
                  "  31  subscribed, but no message in time (WeeWX not publishing, wrong\n"
                  "      topic, or an ACL that silently denies reading)\n"
                  "  32  only archive records arrived (binding lacks loop)\n"
                  "  33  messages arrived but none is loop JSON\n"
                  "  40  connection lost\n"
                  "  41  MQTT protocol error");
    }

    static QString layerName(LiveCheck::Layer layer)
    {
        using L = LiveCheck::Layer;
        switch (layer) {
        case L::None:
            return {};
        case L::Input:
            return tr("input");
        case L::Dns:
            return tr("name lookup");
        case L::Tcp:
            return tr("TCP");
        case L::Tls:
            return tr("TLS");
        case L::WebSocket:
            return tr("websocket");
        case L::Mqtt:
            return tr("MQTT");
        case L::Authentication:
            return tr("authentication");
        case L::Publishing:
            return tr("publishing");
        }
        return {};
    }

    static QString layerId(LiveCheck::Layer layer)
    {
        return QString::fromLatin1(QMetaEnum::fromType<LiveCheck::Layer>().valueToKey(int(layer)))
                .toLower();
    }

    int run(const QStringList &arguments);

private:
    bool parse(const QStringList &arguments, LiveCheck::Options &options, int &status);
    void print(const QJsonObject &json, const QString &text);

    QTextStream m_out{stdout};
    QTextStream m_err{stderr};
    bool m_json = false;
    QElapsedTimer m_clock;
};

void LiveCheckCommand::print(const QJsonObject &json, const QString &text)
{
    if (m_json) {
        QJsonObject line = json;
        line.insert(QStringLiteral("elapsed_ms"), qint64(m_clock.elapsed()));
        m_out << QJsonDocument(line).toJson(QJsonDocument::Compact) << Qt::endl;
    } else {
        m_out << text << Qt::endl;
    }
}

bool LiveCheckCommand::parse(const QStringList &arguments, LiveCheck::Options &options, int &status)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
            summary()
            + tr("\n\nURL is what the page connects to: ws://host:port/mqtt (wss:// with TLS); "
                 "host:port alone means ws://host:port/mqtt. The password is never an "
                 "argument: give it on standard input with --password-stdin.\n\n")
            + exitCodes());
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("URL"), tr("The broker's websocket address."));
    const QCommandLineOption user(QStringLiteral("user"), tr("MQTT user name (default: none)."),
                                  tr("name"));
    const QCommandLineOption topic(QStringLiteral("topic"),
                                   tr("Topic the page subscribes to, e.g. weather/loop."),
                                   tr("topic"));
    const QCommandLineOption passwordStdin(
            QStringLiteral("password-stdin"),
            tr("Read the password from the first line of standard input."));
    const QCommandLineOption timeout(
            QStringLiteral("timeout"),
            tr("Seconds to wait for loop data after subscribing (default: 30)."), tr("seconds"),
            QStringLiteral("30"));
    const QCommandLineOption connectTimeout(
            QStringLiteral("connect-timeout"),
            tr("Seconds for each network step: connect, CONNACK, SUBACK (default: 10)."),
            tr("seconds"), QStringLiteral("10"));
    const QCommandLineOption ca(QStringLiteral("ca"),
                                tr("PEM file of the CA that signed the broker's certificate."),
                                tr("file"));
    const QCommandLineOption accept(
            QStringLiteral("accept-certificate"),
            tr("Trust exactly the certificate with this SHA-256 fingerprint (shown when it is "
               "not trusted)."),
            tr("fingerprint"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  tr("Print one JSON object per line instead of text."));
    parser.addOptions({user, topic, passwordStdin, timeout, connectTimeout, ca, accept, json});

    const QString program = QCoreApplication::applicationName() + u" live-check";
    for (const QString &argument : arguments) {
        if (argument == u"--password" || argument.startsWith(u"--password=")) {
            m_err << tr("The password is never a command-line argument (other users can read "
                        "those). Use --password-stdin and type or pipe it.")
                  << Qt::endl;
            status = ExitUsage;
            return false;
        }
    }
    if (!parser.parse(QStringList{program} + arguments)) {
        m_err << parser.errorText() << Qt::endl;
        status = ExitUsage;
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        // The usage line names argv[0]; the command is "<program> live-check".
        QString help = parser.helpText();
        help.replace(u"Usage: " + QCoreApplication::arguments().constFirst(), u"Usage: " + program);
        m_out << help << Qt::endl;
        status = ExitOk;
        return false;
    }
    m_json = parser.isSet(json);
    auto usage = [&](const QString &text) {
        m_err << text << Qt::endl;
        status = ExitUsage;
        return false;
    };
    if (parser.positionalArguments().size() != 1)
        return usage(tr("live-check needs exactly one URL, e.g. ws://pi.local:9001/mqtt."));
    QString error;
    const auto url = LiveCheck::urlFromUserInput(parser.positionalArguments().first(), &error);
    if (!url)
        return usage(error);
    options.url = *url;
    if (!parser.isSet(topic))
        return usage(tr("--topic is missing: the topic the page subscribes to, e.g. "
                        "weather/loop."));
    options.topic = parser.value(topic);
    if (parser.isSet(user))
        options.userName = parser.value(user);
    if (parser.isSet(passwordStdin)) {
        if (!options.userName)
            return usage(tr("--password-stdin needs --user (MQTT sends no password without a "
                            "user name)."));
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return usage(tr("Cannot read standard input."));
        QByteArray line = in.readLine(65536 + 2);
        // A pasted password often carries the line break: never part of the password.
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            return usage(tr("--password-stdin: standard input holds no password."));
        options.password = line;
    }
    bool ok = false;
    const double seconds = parser.value(timeout).toDouble(&ok);
    if (!ok || seconds <= 0 || seconds > 86400)
        return usage(tr("--timeout must be a number of seconds above 0, not \"%1\".")
                             .arg(parser.value(timeout)));
    options.messageTimeoutMs = int(seconds * 1000);
    const double step = parser.value(connectTimeout).toDouble(&ok);
    if (!ok || step <= 0 || step > 3600)
        return usage(tr("--connect-timeout must be a number of seconds above 0, not \"%1\".")
                             .arg(parser.value(connectTimeout)));
    options.stepTimeoutMs = int(step * 1000);
    if (parser.isSet(ca)) {
        const auto certificates = QSslCertificate::fromPath(parser.value(ca), QSsl::Pem);
        if (certificates.isEmpty())
            return usage(tr("--ca: no PEM certificate in \"%1\".").arg(parser.value(ca)));
        options.caCertificates = certificates;
    }
    if (parser.isSet(accept)) {
        const QByteArray digest = QByteArray::fromHex(parser.value(accept).remove(u':').toLatin1());
        if (digest.size() != 32)
            return usage(tr("--accept-certificate needs a SHA-256 fingerprint (64 hex digits, "
                            "colons allowed)."));
        options.acceptedCertificateSha256 = digest;
    }
    return true;
}

int LiveCheckCommand::run(const QStringList &arguments)
{
    LiveCheck::Options options;
    int status = ExitOk;
    if (!parse(arguments, options, status))
        return status;

    LiveCheck check;
    QEventLoop loop;
    m_clock.start();
    QObject::connect(&check, &LiveCheck::stateChanged, &loop, [&](LiveCheck::State state) {
        QString text = LiveCheck::stateText(state);
        if (state == LiveCheck::State::Connecting)
            text += u' ' + check.url().toString(QUrl::RemoveUserInfo);
        print({{QStringLiteral("event"), QStringLiteral("state")},
               {QStringLiteral("state"), LiveCheck::stateId(state)},
               {QStringLiteral("text"), text}},
              tr("[%1 s] %2: %3")
                      .arg(m_clock.elapsed() / 1000.0, 0, 'f', 3)
                      .arg(LiveCheck::stateId(state), text));
    });
    QObject::connect(&check, &LiveCheck::progress, &loop, [&](const QString &step) {
        print({{QStringLiteral("event"), QStringLiteral("progress")},
               {QStringLiteral("step"), step}},
              tr("[%1 s]   %2").arg(m_clock.elapsed() / 1000.0, 0, 'f', 3).arg(step));
    });
    QObject::connect(&check, &LiveCheck::finished, &loop, &QEventLoop::quit);
    check.start(options);
    loop.exec();

    const int code = exitCode(check.failure());
    QJsonObject verdict{{QStringLiteral("event"), QStringLiteral("verdict")},
                        {QStringLiteral("state"), LiveCheck::stateId(check.state())},
                        {QStringLiteral("failure"), LiveCheck::failureId(check.failure())},
                        {QStringLiteral("layer"), layerId(check.layer())},
                        {QStringLiteral("message"), check.message()},
                        {QStringLiteral("fix"), check.fix()},
                        {QStringLiteral("exit_code"), code}};
    QString text;
    if (check.state() == LiveCheck::State::Receiving) {
        const auto &latest = check.latest();
        QJsonObject readings;
        QString lines;
        for (const auto &reading : latest.readings()) {
            readings.insert(reading.key, reading.text);
            lines += tr("\n  %1 = %2 %3").arg(reading.observation, reading.text, reading.unit);
        }
        verdict.insert(QStringLiteral("readings"), readings);
        if (latest.dateTime().isValid())
            verdict.insert(QStringLiteral("data_time"), latest.dateTime().toString(Qt::ISODate));
        text = tr("Data received %1 (station time).%2")
                       .arg(latest.dateTime().toLocalTime().toString(Qt::ISODate), lines);
    } else {
        text = tr("%1 failure: %2\nFix: %3")
                       .arg(layerName(check.layer()), check.message(), check.fix());
        if (check.failure() == LiveCheck::Failure::CertificateUntrusted) {
            const QString fingerprint = QString::fromLatin1(
                    check.peerCertificate().digest(QCryptographicHash::Sha256).toHex(':'));
            verdict.insert(QStringLiteral("certificate_sha256"), fingerprint);
            text += tr("\nAfter checking the fingerprint: --accept-certificate %1")
                            .arg(fingerprint);
        }
        text += tr("\n(exit code %1)").arg(code);
    }
    print(verdict, text);
    return code;
}

} // namespace

int runLiveCheck(const QStringList &arguments)
{
    LiveCheckCommand command;
    return command.run(arguments);
}

Subcommand liveCheckSubcommand()
{
    return {QStringLiteral("live-check"), LiveCheckCommand::summary(), &runLiveCheck};
}

} // namespace wmw::app
