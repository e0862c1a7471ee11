// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/application.h"

#include "app/logging.h"
#include "app/subcommands.h"
#include "wizard/mainwizard.h"
#include "wizard/screenshots.h"
#include "wizard/wizardcontroller.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLibraryInfo>
#include <QLocale>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>

#include <cstdio>
#include <cstring>
#include <memory>

namespace wmw::app {

namespace {

class CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)
public:
    static void addOptions(QCommandLineParser &parser)
    {
        parser.setApplicationDescription(
                tr("Gives the Belchertown page of a WeeWX station live updates over MQTT "
                   "websockets: sets up the Raspberry Pi over SSH, diagnoses a failing live "
                   "page, or exports a config bundle.\n\nWithout a command, the wizard starts."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption({QStringLiteral("lang"),
                          tr("Language of the program, e.g. \"de\" (default: the system's)."),
                          tr("code")});
        parser.addOption({QStringLiteral("profile"),
                          tr("Open the station profile <file> (JSON) in the wizard."), tr("file")});
        parser.addOption({QStringLiteral("screenshots"),
                          tr("Render every wizard page to <dir>/<page>.png and exit."), tr("dir")});
        QString commands;
        for (const Subcommand &command : subcommands())
            commands += u"\n  " + command.name.leftJustified(12) + command.summary;
        parser.addPositionalArgument(
                QStringLiteral("command"),
                commands.isEmpty() ? tr("No headless commands in this build.")
                                   : tr("A job to run without the wizard:%1").arg(commands),
                tr("[command [options]]"));
        // Everything after the command belongs to the command.
        parser.setOptionsAfterPositionalArgumentsMode(
                QCommandLineParser::ParseAsPositionalArguments);
    }

    static QString unknownCommand(const QString &name)
    {
        return tr("Unknown command \"%1\". Run with --help for the list.").arg(name);
    }

    static QString profileFailed(const QString &path, const QString &why)
    {
        return tr("Cannot open the profile %1: %2").arg(path, why);
    }

    static QString screenshotsFailed(const QString &why)
    {
        return tr("Screenshots failed: %1").arg(why);
    }
};

// Options that decide, before any Qt object exists, which application class to build and
// which platform plugin to use. The real parsing happens later with QCommandLineParser.
struct EarlyArguments
{
    bool headless = false;
    bool screenshots = false;
    QString lang;
};

EarlyArguments scanEarly(int argc, char *argv[])
{
    EarlyArguments early;
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        auto is = [arg](const char *option) {
            return std::strcmp(arg, option) == 0;
        };
        if (is("-h") || is("--help") || is("--help-all") || is("-v") || is("--version")) {
            early.headless = true;
        } else if (is("--screenshots")) {
            early.screenshots = true;
            ++i;
        } else if (std::strncmp(arg, "--screenshots=", 14) == 0) {
            early.screenshots = true;
        } else if (is("--lang") && i + 1 < argc) {
            early.lang = QString::fromLocal8Bit(argv[++i]);
        } else if (std::strncmp(arg, "--lang=", 7) == 0) {
            early.lang = QString::fromLocal8Bit(arg + 7);
        } else if (is("--profile")) {
            ++i;
        } else if (std::strncmp(arg, "--profile=", 10) == 0) {
        } else if (is("-platform") || is("-style") || is("-stylesheet") || is("-display")
                   || is("-qwindowgeometry") || is("-qwindowtitle") || is("-qwindowicon")) {
            ++i; // QApplication's own options, with a value
        } else if (is("-reverse")) {
        } else {
            // A command needs no window; neither does an option the parser will refuse,
            // which must be reported even where no display exists.
            early.headless = true;
            if (arg[0] != '-')
                break;
        }
    }
    return early;
}

void installTranslations(QCoreApplication *app, const QString &lang)
{
    const QLocale locale = lang.isEmpty() ? QLocale::system() : QLocale(lang);
    QLocale::setDefault(locale);
    auto *own = new QTranslator(app);
    if (own->load(locale, QStringLiteral("weewx-mqtt-wizard"), QStringLiteral("_"),
                  QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(own);
    else
        qCDebug(lcApp) << "no translation for" << locale.name();
    // Qt's own strings ("< Back", "Cancel") when the system has qt6-translations-l10n.
    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
}

} // namespace

int run(int argc, char *argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    const EarlyArguments early = scanEarly(argc, argv);
    // Screenshots need no display: render offscreen unless the caller chose a platform.
    if (early.screenshots && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    std::unique_ptr<QCoreApplication> app;
    if (early.headless)
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("weewx-mqtt-wizard"));
    QCoreApplication::setOrganizationName(QStringLiteral("weewx-mqtt-wizard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WMW_VERSION));
    installTranslations(app.get(), early.lang);

    QCommandLineParser parser;
    CommandLine::addOptions(parser);
    parser.process(*app); // exits on --help, --version and unknown options

    QTextStream err(stderr);
    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty()) {
        const QString name = positional.first();
        for (const Subcommand &command : subcommands()) {
            if (command.name == name)
                return command.run(positional.mid(1));
        }
        err << CommandLine::unknownCommand(name) << Qt::endl;
        return ExitUsage;
    }

    auto *gui = static_cast<QApplication *>(app.get());
    QGuiApplication::setDesktopFileName(
            QStringLiteral("io.github.weewx_mqtt_wizard.WeewxMqttWizard"));
    if (parser.isSet(QStringLiteral("screenshots"))) {
        QString error;
        const QStringList files =
                renderScreenshots(parser.value(QStringLiteral("screenshots")), &error);
        QTextStream out(stdout);
        for (const QString &file : files)
            out << file << Qt::endl;
        if (!error.isEmpty()) {
            err << CommandLine::screenshotsFailed(error) << Qt::endl;
            return ExitFailure;
        }
        return ExitOk;
    }

    MainWizard wizard;
    if (parser.isSet(QStringLiteral("profile"))) {
        // Opening it makes it the most recent profile, the one restoreSession() reopens.
        const QString path = parser.value(QStringLiteral("profile"));
        if (const QString error = wizard.controller()->openProfile(path); !error.isEmpty()) {
            err << CommandLine::profileFailed(path, error) << Qt::endl;
            return ExitUsage;
        }
    }
    wizard.show();
    wizard.restoreSession(); // window size, last profile and page
    // The first turn of the event loop comes after the first page is laid out and painted.
    // tests/bench/startup measures this line; WMW_QUIT_AFTER_FIRST_PAGE ends the run there.
    QTimer::singleShot(0, gui, [&sinceStart, gui] {
        qCDebug(lcApp, "first page shown %lld ms after start", qint64(sinceStart.elapsed()));
        if (qEnvironmentVariableIsSet("WMW_QUIT_AFTER_FIRST_PAGE"))
            gui->quit();
    });
    return gui->exec();
}

} // namespace wmw::app
