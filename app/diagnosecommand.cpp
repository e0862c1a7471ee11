// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/diagnosecommand.h"
#include "app/sshlogin.h"
#include "app/terminal.h"

#include "config/validation.h"
#include "remote/diagnosis/diagnoser.h"
#include "remote/diagnosis/report.h"
#include "remote/diagnosis/rules.h"
#include "remote/ssh/sshsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>
#include <QUrl>

#include <cstdio>
#include <optional>
#include <termios.h>
#include <unistd.h>

namespace wmw::app {

namespace {

using diagnosis::Diagnoser;
using diagnosis::DiagnosisReport;
using diagnosis::Evidence;
using diagnosis::Finding;
using diagnosis::FindingText;
using diagnosis::ReportWriter;
using diagnosis::Severity;

// Exit codes beyond 0/1/2 (1: at least one finding fails), documented in --help.
enum DiagnoseExit {
    ExitNotDiagnosed = 3, ///< no login or no facts: nothing could be checked
    ExitReportNotWritten = 4, ///< diagnosed, but --report FILE could not be written
};

class DiagnoseCommand
{
    Q_DECLARE_TR_FUNCTIONS(DiagnoseCommand)
public:
    static QString summary()
    {
        return tr("Find out why the Belchertown live page fails: every known cause, with its "
                  "evidence and the fix.");
    }

    int run(const QStringList &arguments);

private:
    enum class ReportFormat { Markdown, Html };

    bool parse(const QStringList &arguments, int &status);
    bool readSecrets();
    bool connectSession(ssh::SshSession &session);
    int diagnose(ssh::SshSession &session);
    void printText(const DiagnosisReport &report, int code);
    QString clean(const QString &text) const;
    int usage(const QString &text)
    {
        m_err << text << Qt::endl;
        return ExitUsage;
    }

    QTextStream m_out{stdout};
    QTextStream m_err{stderr};
    Diagnoser::Options m_options;
    QString m_acceptKey;
    bool m_passwordsStdin = false;
    bool m_json = false;
    bool m_all = false;
    QString m_reportPath;
    ReportFormat m_reportFormat = ReportFormat::Markdown;
    QStringList m_secrets; // every password given, masked in every output
    QElapsedTimer m_clock;
};

QString helpText()
{
    return DiagnoseCommand::tr(
            "It logs in to the Pi over SSH, collects the facts (files, permissions, services, "
            "ports, logs, locale; with sudo it reads the files only root can read), reads the "
            "page's settings from weewx.conf and its generated JavaScript, and connects to the "
            "broker as the page does. A healthy Pi is reported with the live readings as "
            "proof.\n\n"
            "Passwords are never arguments. When standard input is a terminal, the sudo "
            "password is asked for (and the SSH password when the login needs one). "
            "--passwords-stdin reads KEY=VALUE lines instead (everything after the first '=' "
            "is the password; a CR/LF at the end is dropped; the same lines as for apply): "
            "ssh= the SSH login password (leave out for keys or an agent), sudo= the sudo "
            "password (default: the SSH one; without either the facts are collected without "
            "sudo), web= the web page user's and publish= the publishing user's MQTT "
            "passwords (optional: the page's own are read from weewx.conf on the Pi; given "
            "ones are masked in every output).\n\n"
            "The Pi's host key is checked against known_hosts (~/.ssh/known_hosts unless "
            "--known-hosts names another file), as ssh does. An unknown key is asked about on "
            "a terminal and refused otherwise, unless --accept-host-key names its fingerprint; "
            "a changed key is always refused.\n\n"
            "Exit codes:\n"
            "   0  nothing fails (warnings may be printed)\n"
            "   1  at least one finding fails\n"
            "   2  bad command line or input\n"
            "   3  nothing could be diagnosed: no SSH login (host key refused, wrong "
            "password) or the facts could not be collected\n"
            "   4  diagnosed, but the --report file could not be written");
}

bool DiagnoseCommand::parse(const QStringList &arguments, int &status)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(summary() + u"\n\n" + helpText());
    parser.addHelpOption();
    parser.addOptions({
            {QStringLiteral("host"), tr("The Pi's host name or address (required)."), tr("host")},
            {QStringLiteral("port"), tr("SSH port (default 22)."), tr("port"),
             QStringLiteral("22")},
            {QStringLiteral("user"), tr("SSH user (default: from ~/.ssh/config, else yours)."),
             tr("name")},
            {QStringLiteral("page-url"),
             tr("The live page as visitors open it, e.g. https://example.org/weather/ (finds "
                "an https page with a plain ws:// connection)."),
             tr("url")},
            {QStringLiteral("json"), tr("Print the report as JSON instead of text.")},
            {QStringLiteral("report"),
             tr("Also write the report to FILE: Markdown for .md, HTML for .html."), tr("file")},
            {QStringLiteral("all"), tr("List the checks that passed too.")},
            {QStringLiteral("passwords-stdin"),
             tr("Read the passwords from standard input (see above).")},
            {QStringLiteral("known-hosts"), tr("known_hosts file (default: ~/.ssh/known_hosts)."),
             tr("file")},
            {QStringLiteral("identity"), tr("SSH private key file."), tr("file")},
            {QStringLiteral("accept-host-key"),
             tr("Trust an unknown host key with this SHA256 fingerprint (as shown)."),
             tr("fingerprint")},
            {QStringLiteral("live-timeout"),
             tr("Seconds to wait for loop data in the live check (default: 30)."), tr("seconds"),
             QStringLiteral("30")},
    });

    for (const QString &argument : arguments) {
        if (argument.startsWith(QLatin1String("--password"))
            && argument != QLatin1String("--passwords-stdin")) {
            status = usage(tr("Passwords are never command-line arguments (other users can read "
                              "those). Use --passwords-stdin or type them when asked."));
            return false;
        }
    }
    const QString program = QCoreApplication::applicationName() + QStringLiteral(" diagnose");
    if (!parser.parse(QStringList{program} + arguments)) {
        status = usage(parser.errorText());
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QString help = parser.helpText();
        help.replace(u"Usage: " + QCoreApplication::arguments().constFirst(), u"Usage: " + program);
        m_out << help << Qt::endl;
        status = ExitOk;
        return false;
    }
    auto fail = [&](const QString &text) {
        status = usage(text);
        return false;
    };
    if (!parser.positionalArguments().isEmpty())
        return fail(tr("diagnose takes no arguments besides its options, not \"%1\" (the Pi "
                       "goes with --host).")
                            .arg(parser.positionalArguments().constFirst()));
    if (!parser.isSet(QStringLiteral("host")))
        return fail(tr("--host is missing: the Pi's host name or address, e.g. --host "
                       "weatherpi.local."));
    ssh::SshTarget &target = m_options.target;
    target.host = parser.value(QStringLiteral("host"));
    if (const QString problem = config::Validation::checkHost(tr("--host"), target.host);
        !problem.isEmpty())
        return fail(problem);
    bool ok = false;
    target.port = parser.value(QStringLiteral("port")).toInt(&ok);
    if (!ok || target.port < 1 || target.port > 65535)
        return fail(tr("--port must be a number between 1 and 65535, not \"%1\".")
                            .arg(parser.value(QStringLiteral("port"))));
    if (parser.isSet(QStringLiteral("user"))) {
        target.user = parser.value(QStringLiteral("user"));
        if (const QString problem = config::Validation::checkSshUser(tr("--user"), target.user);
            !problem.isEmpty())
            return fail(problem);
    }
    target.knownHostsFile = parser.value(QStringLiteral("known-hosts"));
    target.identityFile = parser.value(QStringLiteral("identity"));
    if (!target.identityFile.isEmpty() && !QFileInfo(target.identityFile).isFile())
        return fail(tr("--identity: the key file \"%1\" does not exist.").arg(target.identityFile));
    m_acceptKey = parser.value(QStringLiteral("accept-host-key"));
    if (!m_acceptKey.isEmpty() && !m_acceptKey.startsWith(QLatin1String("SHA256:")))
        return fail(tr("--accept-host-key needs the fingerprint as ssh shows it, "
                       "\"SHA256:…\"."));
    if (parser.isSet(QStringLiteral("page-url"))) {
        const QUrl url(parser.value(QStringLiteral("page-url")), QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != u"http" && url.scheme() != u"https"))
            return fail(tr("--page-url must be the page's address starting with http:// or "
                           "https://, not \"%1\".")
                                .arg(parser.value(QStringLiteral("page-url"))));
        m_options.pageUrl = url.toString();
    }
    const double seconds = parser.value(QStringLiteral("live-timeout")).toDouble(&ok);
    if (!ok || seconds <= 0 || seconds > 3600)
        return fail(tr("--live-timeout must be a number of seconds above 0, not \"%1\".")
                            .arg(parser.value(QStringLiteral("live-timeout"))));
    m_options.liveMessageTimeoutMs = int(seconds * 1000);
    if (parser.isSet(QStringLiteral("report"))) {
        m_reportPath = parser.value(QStringLiteral("report"));
        const QString suffix = QFileInfo(m_reportPath).suffix().toLower();
        if (suffix == u"md" || suffix == u"markdown")
            m_reportFormat = ReportFormat::Markdown;
        else if (suffix == u"html" || suffix == u"htm")
            m_reportFormat = ReportFormat::Html;
        else
            return fail(tr("--report: the file name must end in .md (Markdown) or .html, not "
                           "\"%1\".")
                                .arg(m_reportPath));
    }
    m_json = parser.isSet(QStringLiteral("json"));
    m_all = parser.isSet(QStringLiteral("all"));
    m_passwordsStdin = parser.isSet(QStringLiteral("passwords-stdin"));
    return true;
}

bool DiagnoseCommand::readSecrets()
{
    if (m_passwordsStdin) {
        QString error;
        // web= and publish= are only masked: the page's password is read from the Pi.
        const auto lines = readPasswordLines({QStringLiteral("ssh"), QStringLiteral("sudo"),
                                              QStringLiteral("web"), QStringLiteral("publish")},
                                             &error);
        if (!lines) {
            m_err << error << Qt::endl;
            return false;
        }
        m_options.target.password = lines->value(QStringLiteral("ssh"));
        m_options.sudoPassword = lines->value(QStringLiteral("sudo"));
        m_secrets << lines->values();
    } else if (::isatty(STDIN_FILENO)) {
        m_options.sudoPassword =
                prompt(tr("sudo password on the Pi (empty: collect the facts without sudo): "))
                        .value_or(QString());
        m_secrets << m_options.sudoPassword;
    } else {
        m_err << tr("Note: no sudo password (standard input is not a terminal and "
                    "--passwords-stdin is not given): files only root can read are not "
                    "checked.")
              << Qt::endl;
    }
    if (m_options.sudoPassword.isEmpty())
        m_options.sudoPassword = m_options.target.password;
    m_secrets.removeAll(QString());
    return true;
}

bool DiagnoseCommand::connectSession(ssh::SshSession &session)
{
    m_err << tr("[%1 s] Connecting to %2 over SSH")
                     .arg(m_clock.elapsed() / 1000.0, 0, 'f', 1)
                     .arg(m_options.target.host)
          << Qt::endl;
    QStringList typed;
    const QString error = connectFromTerminal(session, m_options.target,
                                              {m_acceptKey, !m_passwordsStdin}, &typed);
    m_secrets << typed;
    if (!error.isEmpty()) {
        m_err << error << Qt::endl;
        return false;
    }
    // The sudo password may be the SSH one the login just asked for.
    if (m_options.sudoPassword.isEmpty() && !typed.isEmpty())
        m_options.sudoPassword = typed.constLast();
    return true;
}

QString DiagnoseCommand::clean(const QString &text) const
{
    QString out = diagnosis::Rules::redact(text);
    for (const QString &secret : m_secrets) {
        if (secret.size() >= 3)
            out.replace(secret, QStringLiteral("••••••"));
    }
    return out;
}

void DiagnoseCommand::printText(const DiagnosisReport &report, int code)
{
    m_out << tr("Diagnosis of %1 (the Pi calls itself \"%2\")")
                     .arg(report.host, report.hostname.isEmpty() ? tr("unknown") : report.hostname)
          << Qt::endl
          << Qt::endl;
    auto mark = [](Severity severity) {
        switch (severity) {
        case Severity::Fail:
            return QStringLiteral("✗");
        case Severity::Warn:
            return QStringLiteral("!");
        case Severity::Pass:
            return QStringLiteral("✓");
        case Severity::NotChecked:
            return QStringLiteral("–");
        }
        return QString();
    };
    int passed = 0;
    int notChecked = 0;
    for (Severity severity :
         {Severity::Fail, Severity::Warn, Severity::NotChecked, Severity::Pass}) {
        for (const Finding &f : report.withSeverity(severity)) {
            passed += severity == Severity::Pass ? 1 : 0;
            notChecked += severity == Severity::NotChecked ? 1 : 0;
            if (!m_all && (severity == Severity::Pass || severity == Severity::NotChecked))
                continue;
            m_out << tr("%1 %2: %3 [%4]")
                             .arg(mark(severity), FindingText::severityText(severity),
                                  clean(f.title), f.id)
                  << Qt::endl;
            for (const Evidence &e : f.evidence) {
                QString where = e.source;
                if (e.line > 0)
                    where += u':' + QString::number(e.line);
                QString text = clean(e.text).trimmed();
                text.replace(u'\n', QStringLiteral("\n        "));
                m_out << QStringLiteral("    ") + (where.isEmpty() ? QString() : where + u": ")
                                 + text
                      << Qt::endl;
            }
            if (!f.fix.isEmpty())
                m_out << QStringLiteral("    ") << tr("Fix: %1").arg(clean(f.fix)) << Qt::endl;
            if (f.fixIt) {
                QStringList fields;
                for (auto it = f.fixIt->fields.cbegin(); it != f.fixIt->fields.cend(); ++it)
                    fields << it.key();
                m_out << QStringLiteral("    ")
                      << (fields.isEmpty() ? tr("The wizard fixes this: provision again.")
                                           : tr("The wizard fixes this: provision again with %1 "
                                                "corrected.")
                                                     .arg(fields.join(QStringLiteral(", "))))
                      << Qt::endl;
            }
            m_out << Qt::endl;
        }
    }
    if (!m_all)
        m_out << tr("✓ %n check(s) passed", nullptr, passed)
              << (notChecked > 0 ? tr("; %n not checked", nullptr, notChecked) : QString())
              << tr(" (--all lists them).") << Qt::endl;
    if (report.live.receiving()) {
        m_out << tr("Live readings from %1 (topic %2):").arg(report.live.url, report.live.topic)
              << Qt::endl;
        for (const mqtt::Reading &r : report.live.readings)
            m_out << QStringLiteral("  %1 = %2 %3").arg(r.observation, r.text, r.unit).trimmed()
                  << Qt::endl;
    }
    m_out << Qt::endl << clean(ReportWriter::summary(report)) << Qt::endl;
    if (code != ExitOk)
        m_out << tr("(exit code %1)").arg(code) << Qt::endl;
}

int DiagnoseCommand::diagnose(ssh::SshSession &session)
{
    Diagnoser diagnoser(&session);
    QEventLoop loop;
    QObject::connect(&diagnoser, &Diagnoser::progress, &loop, [this](const QString &step) {
        // Progress goes to stderr: stdout holds only the report (and only JSON with --json).
        m_err << tr("[%1 s] %2").arg(m_clock.elapsed() / 1000.0, 0, 'f', 1).arg(step) << Qt::endl;
    });
    QObject::connect(&diagnoser, &Diagnoser::finished, &loop, &QEventLoop::quit);
    diagnoser.start(m_options);
    loop.exec();

    DiagnosisReport report = diagnoser.report();
    report.secrets += m_secrets;
    int code = report.passed() ? int(ExitOk) : int(ExitFailure);
    if (diagnoser.state() == Diagnoser::State::Failed)
        code = ExitNotDiagnosed;

    if (!m_reportPath.isEmpty()) {
        QSaveFile file(m_reportPath);
        const QByteArray bytes = m_reportFormat == ReportFormat::Html
                                         ? ReportWriter::html(report)
                                         : ReportWriter::markdown(report);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()
            || !file.commit()) {
            m_err << tr("The report could not be written to %1: %2")
                             .arg(m_reportPath, file.errorString())
                  << Qt::endl;
            if (code == ExitOk)
                code = ExitReportNotWritten;
        } else {
            m_err << tr("Report written to %1").arg(m_reportPath) << Qt::endl;
        }
    }

    if (m_json) {
        QJsonObject json = ReportWriter::json(report);
        json.insert(QStringLiteral("exit_code"), code);
        m_out << QJsonDocument(json).toJson(QJsonDocument::Indented) << Qt::flush;
    } else {
        printText(report, code);
    }
    return code;
}

int DiagnoseCommand::run(const QStringList &arguments)
{
    int status = ExitOk;
    if (!parse(arguments, status))
        return status;
    if (!readSecrets())
        return ExitUsage;
    m_clock.start();
    ssh::SshSession session;
    if (!connectSession(session)) {
        // The Diagnoser turns a failed login into a finding; with --json the caller still
        // gets a report to read.
        if (m_json) {
            DiagnosisReport report;
            report.host = m_options.target.host;
            report.time = QDateTime::currentDateTimeUtc();
            Finding f;
            f.id = QStringLiteral("ssh-connection");
            f.severity = Severity::Fail;
            f.title = tr("The Pi cannot be reached over SSH");
            f.evidence = {Evidence::note(session.errorString())};
            report.findings = {f};
            report.secrets = m_secrets;
            QJsonObject json = ReportWriter::json(report);
            json.insert(QStringLiteral("exit_code"), int(ExitNotDiagnosed));
            m_out << QJsonDocument(json).toJson(QJsonDocument::Indented) << Qt::flush;
        }
        return ExitNotDiagnosed;
    }
    return diagnose(session);
}

} // namespace

int runDiagnose(const QStringList &arguments)
{
    DiagnoseCommand command;
    return command.run(arguments);
}

Subcommand diagnoseSubcommand()
{
    return {QStringLiteral("diagnose"), DiagnoseCommand::summary(), &runDiagnose};
}

} // namespace wmw::app
