// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/exportcommand.h"
#include "app/terminal.h"

#include "config/bundle.h"
#include "config/stationprofile.h"
#include "config/validation.h"
#include "remote/export/bundlearchive.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace wmw::app {

namespace {

using config::Bundle;
using config::BundleInput;
using config::BundleResult;
using exporting::ArchiveFormat;
using exporting::BundleArchive;

class ExportCommand
{
    Q_DECLARE_TR_FUNCTIONS(ExportCommand)
public:
    static QString summary()
    {
        return tr("Write a bundle (.tar.gz or .zip) that applies a profile on a Pi without this "
                  "program, by install.sh or Ansible.");
    }
    int run(const QStringList &arguments);

private:
    int usage(const QString &text)
    {
        m_err << text << Qt::endl;
        return ExitUsage;
    }
    bool readSecrets(const config::StationProfile &profile, bool fromStdin,
                     config::Secrets &secrets);

    QTextStream m_out{stdout};
    QTextStream m_err{stderr};
};

bool ExportCommand::readSecrets(const config::StationProfile &profile, bool fromStdin,
                                config::Secrets &secrets)
{
    const bool twoUsers = !profile.sharesOneUser();
    if (!fromStdin && !::isatty(STDIN_FILENO)) {
        m_err << tr("Standard input is not a terminal: give the passwords with "
                    "--passwords-stdin (one per line).")
              << Qt::endl;
        return false;
    }
    std::optional<QString> publish;
    std::optional<QString> web;
    if (fromStdin) {
        publish = readLine();
        if (twoUsers)
            web = readLine();
    } else {
        publish = prompt(
                tr("Password of the publishing MQTT user \"%1\": ").arg(profile.publishUser));
        if (twoUsers)
            web = prompt(tr("Password of the web page user \"%1\" (public: visitors can read "
                            "it): ")
                                 .arg(profile.webUser));
    }
    if (!publish || (twoUsers && !web)) {
        m_err << (twoUsers ? tr("Two passwords are needed, one per line: the publishing "
                                "user's, then the web page user's.")
                           : tr("The publishing user's password is needed."))
              << Qt::endl;
        return false;
    }
    secrets.publishPassword = *publish;
    secrets.webPassword = twoUsers ? *web : *publish;
    return true;
}

int ExportCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
            summary()
            + tr("\n\nThe passwords of the MQTT users are asked for on the terminal, or read "
                 "from standard input with --passwords-stdin: the publishing user's on the "
                 "first line, the web page user's on the second (when it is a separate "
                 "user). They are never arguments.\n\nExit codes: 0 written, 1 the bundle "
                 "could not be made or written, 2 bad command line or input."));
    parser.addHelpOption();
    const QCommandLineOption profileOption(QStringLiteral("profile"),
                                           tr("The station profile (JSON, as the wizard saves "
                                              "it)."),
                                           tr("file"));
    const QCommandLineOption outOption(
            QStringLiteral("out"), tr("The bundle to write: NAME.tar.gz or NAME.zip."), tr("file"));
    const QCommandLineOption confOption(
            QStringLiteral("weewx-conf"),
            tr("The Pi's current weewx.conf: the bundle then also holds it fully edited."),
            tr("file"));
    const QCommandLineOption stdinOption(QStringLiteral("passwords-stdin"),
                                         tr("Read the passwords from standard input, one per "
                                            "line."));
    const QCommandLineOption referenceOption(
            QStringLiteral("include-password-reference"),
            tr("Also put the plain-text passwords into reference/passwords.txt (for your "
               "records; nothing installs it)."));
    const QCommandLineOption forceOption(QStringLiteral("force"), tr("Replace FILE if it exists."));
    parser.addOptions(
            {profileOption, outOption, confOption, stdinOption, referenceOption, forceOption});

    const QString program = QCoreApplication::applicationName() + u" export";
    for (const QString &argument : arguments) {
        if (argument.startsWith(u"--password") && argument != u"--passwords-stdin")
            return usage(tr("Passwords are never command-line arguments (other users can read "
                            "those). Use --passwords-stdin, or answer the prompt."));
    }
    if (!parser.parse(QStringList{program} + arguments))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QString help = parser.helpText();
        help.replace(u"Usage: " + QCoreApplication::arguments().constFirst(), u"Usage: " + program);
        m_out << help << Qt::endl;
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty())
        return usage(tr("export takes no arguments besides its options: \"%1\"")
                             .arg(parser.positionalArguments().join(u' ')));
    if (!parser.isSet(profileOption))
        return usage(tr("--profile is missing: the station profile to export."));
    if (!parser.isSet(outOption))
        return usage(tr("--out is missing: the bundle to write (NAME.tar.gz or NAME.zip)."));
    const QString outPath = parser.value(outOption);
    const std::optional<ArchiveFormat> format = BundleArchive::formatForFileName(outPath);
    if (!format)
        return usage(tr("--out: \"%1\" must end in .tar.gz, .tgz or .zip.").arg(outPath));
    if (QFileInfo::exists(outPath) && !parser.isSet(forceOption))
        return usage(tr("--out: \"%1\" exists; add --force to replace it.").arg(outPath));

    QFile profileFile(parser.value(profileOption));
    if (!profileFile.open(QIODevice::ReadOnly))
        return usage(tr("--profile: cannot read \"%1\": %2")
                             .arg(profileFile.fileName(), profileFile.errorString()));
    const config::ProfileLoadResult loaded = config::ProfileJson::fromJson(profileFile.readAll());
    if (!loaded.ok())
        return usage(tr("--profile: %1").arg(loaded.errorString));

    BundleInput input;
    input.profile = loaded.profile;
    input.includePasswordReference = parser.isSet(referenceOption);
    if (parser.isSet(confOption)) {
        QFile conf(parser.value(confOption));
        if (!conf.open(QIODevice::ReadOnly))
            return usage(tr("--weewx-conf: cannot read \"%1\": %2")
                                 .arg(conf.fileName(), conf.errorString()));
        input.currentWeewxConf = conf.readAll();
    }
    if (!readSecrets(input.profile, parser.isSet(stdinOption), input.secrets))
        return ExitUsage;

    const BundleResult bundle = Bundle::make(input);
    if (!bundle.ok()) {
        m_err << bundle.errorString << Qt::endl;
        return bundle.error == config::BundleError::WeewxConf ? ExitFailure : ExitUsage;
    }
    const exporting::ArchiveWriteResult archive = BundleArchive::write(bundle.entries, *format);
    if (!archive.ok()) {
        m_err << archive.errorString << Qt::endl;
        return ExitFailure;
    }
    // It holds hashes and passwords: only its owner may read it, from the first byte on.
    QSaveFile out(outPath);
    if (!out.open(QIODevice::WriteOnly)
        || !out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || out.write(archive.bytes) != archive.bytes.size() || !out.commit()) {
        m_err << tr("Cannot write \"%1\": %2").arg(outPath, out.errorString()) << Qt::endl;
        return ExitFailure;
    }
    for (const QString &note : bundle.notes)
        m_err << note << Qt::endl;
    const QString name = QFileInfo(outPath).fileName();
    m_out << tr("Wrote %1 (%2 files). It holds password hashes and the passwords WeeWX needs: "
                "keep it private.")
                     .arg(outPath)
                     .arg(std::count_if(
                             bundle.entries.begin(), bundle.entries.end(),
                             [](const config::BundleEntry &e) { return !e.isDirectory; }))
          << Qt::endl;
    const QString unpack = *format == ArchiveFormat::Zip ? QStringLiteral("unzip ") + name
                                                         : QStringLiteral("tar -xzf ") + name;
    m_out << tr("On the Pi: %1 && cd %2 && sudo sh install.sh --dry-run && sudo sh install.sh")
                     .arg(unpack, Bundle::rootName())
          << Qt::endl;
    return ExitOk;
}

} // namespace

int runExport(const QStringList &arguments)
{
    ExportCommand command;
    return command.run(arguments);
}

Subcommand exportSubcommand()
{
    return {QStringLiteral("export"), ExportCommand::summary(), &runExport};
}

} // namespace wmw::app
