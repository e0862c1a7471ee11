// SPDX-License-Identifier: GPL-3.0-or-later
// The editing pages (Pi connection, broker, WeeWX): invalid input keeps Next disabled and
// shows the message naming the field next to it; a pasted password loses its line break.
#include "wizard/mainwizard.h"
#include "wizard/secretstore.h"
#include "wizard/wizardcontroller.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using wmw::MainWizard;
using wmw::WizardController;

namespace {
wmw::config::StationProfile validProfile()
{
    wmw::config::StationProfile p;
    p.piHost = QStringLiteral("127.0.0.1");
    p.sshUser = QStringLiteral("pi");
    return p;
}

wmw::config::Secrets validSecrets()
{
    wmw::config::Secrets s;
    s.publishPassword = QStringLiteral("publish-Secret-123");
    s.webPassword = QStringLiteral("web-Secret-456");
    return s;
}
} // namespace

class tst_WizardPages : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void invalidInputKeepsNextDisabled_data();
    void invalidInputKeepsNextDisabled();
    void pastedPasswordLosesItsLineBreak();
    void brokerPasswordsAreGenerated();
    void exportFlowAsksForThePageHost();

private:
    QTemporaryDir m_config;
};

void tst_WizardPages::initTestCase()
{
    // Recent profiles and window state go to a private settings folder, never the user's.
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    QVERIFY(m_config.isValid());
}

void tst_WizardPages::invalidInputKeepsNextDisabled_data()
{
    QTest::addColumn<int>("page");
    QTest::addColumn<QString>("widget");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("label");

    const int pi = MainWizard::PiConnection;
    const int broker = MainWizard::Broker;
    const int weewx = MainWizard::Weewx;
    QTest::newRow("pi: a host with a space") << pi << "piHost"
                                             << "rasp berry"
                                             << "pi.host"
                                             << "Pi host";
    QTest::newRow("pi: a host given as a URL") << pi << "piHost"
                                               << "ssh://pi@raspberrypi"
                                               << "pi.host"
                                               << "Pi host";
    QTest::newRow("pi: no SSH user") << pi << "sshUser"
                                     << ""
                                     << "pi.sshUser"
                                     << "SSH user";
    QTest::newRow("pi: an SSH user like an option") << pi << "sshUser"
                                                    << "-oProxyCommand"
                                                    << "pi.sshUser"
                                                    << "SSH user";
    QTest::newRow("broker: publishing user with ':'") << broker << "publishUser"
                                                      << "weewx:1"
                                                      << "users.publish"
                                                      << "Publishing user";
    QTest::newRow("broker: no web user") << broker << "webUser"
                                         << ""
                                         << "users.web"
                                         << "Web page user";
    QTest::newRow("broker: a wildcard in the topic") << broker << "topic"
                                                     << "weather/#"
                                                     << "topics.root"
                                                     << "Topic";
    QTest::newRow("broker: '#' inside an extra topic") << broker << "extraTopics"
                                                       << "weewx/#/x"
                                                       << "topics.extra"
                                                       << "Extra topic 1";
    QTest::newRow("broker: websockets on the MQTT port") << broker << "websocketPort"
                                                         << "1883"
                                                         << "broker.websocketPort"
                                                         << "Websockets port";
    QTest::newRow("broker: '@' in the publishing password") << broker << "publishPassword"
                                                            << "pass@word"
                                                            << "secrets.publishPassword"
                                                            << "Password of the publishing user";
    QTest::newRow("broker: a quote in the web password") << broker << "webPassword"
                                                         << "pass\"word"
                                                         << "secrets.webPassword"
                                                         << "Password of the web page user";
    QTest::newRow("weewx: server_url host with a scheme") << weewx << "serverUrlHost"
                                                          << "mqtt://localhost"
                                                          << "weewx.serverUrlHost"
                                                          << "Broker host in server_url";
    QTest::newRow("weewx: a page host with a space") << weewx << "pageHost"
                                                     << "my weather"
                                                     << "page.host"
                                                     << "Page websocket host";
    QTest::newRow("weewx: a page topic with a space") << weewx << "pageTopic"
                                                      << "weather loop"
                                                      << "page.topic"
                                                      << "Page topic";
}

void tst_WizardPages::invalidInputKeepsNextDisabled()
{
    QFETCH(int, page);
    QFETCH(QString, widget);
    QFETCH(QString, input);
    QFETCH(QString, field);
    QFETCH(QString, label);

    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    controller.setOffline(true);
    controller.replaceProfile(validProfile(), validSecrets());
    MainWizard wizard(&controller);
    wizard.setStartId(page);
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QAbstractButton *next = wizard.button(QWizard::NextButton);
    QVERIFY2(next->isEnabled(), "a valid profile must let the user go on");

    QWidget *target = wizard.currentPage()->findChild<QWidget *>(widget);
    QVERIFY2(target, qPrintable(widget));
    if (auto *spin = qobject_cast<QSpinBox *>(target)) {
        spin->selectAll();
        QTest::keyClicks(spin, input);
    } else {
        auto *edit = qobject_cast<QLineEdit *>(target);
        if (!edit)
            edit = target->findChild<QLineEdit *>();
        QVERIFY(edit);
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, input);
    }

    QVERIFY(!next->isEnabled());
    auto *message = wizard.currentPage()->findChild<QLabel *>(field + u".message");
    QVERIFY2(message, qPrintable(field));
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(label + u':'), qPrintable(message->text()));
}

void tst_WizardPages::pastedPasswordLosesItsLineBreak()
{
    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    controller.setOffline(true);
    controller.replaceProfile(validProfile(), validSecrets());
    MainWizard wizard(&controller);
    wizard.setStartId(MainWizard::Broker);
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));

    auto *field = wizard.currentPage()->findChild<QWidget *>(QStringLiteral("webPassword"));
    QVERIFY(field);
    auto *edit = field->findChild<QLineEdit *>();
    edit->setFocus();
    edit->selectAll();
    // As a user does it: copy a line from a password manager or a terminal, with its newline.
    QApplication::clipboard()->setText(QStringLiteral("Pasted-Secret-789\n"));
    edit->paste();

    QCOMPARE(controller.secrets().webPassword, QStringLiteral("Pasted-Secret-789"));
    QCOMPARE(edit->text(), QStringLiteral("Pasted-Secret-789"));
    auto *note = field->findChild<QLabel *>(QStringLiteral("note"));
    QVERIFY(note->isVisible());
    QVERIFY(note->text().contains(QStringLiteral("line break")));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
}

void tst_WizardPages::brokerPasswordsAreGenerated()
{
    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    controller.setOffline(true);
    controller.replaceProfile(validProfile(), {});
    MainWizard wizard(&controller);
    wizard.setStartId(MainWizard::Broker);
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    const QString publish = controller.secrets().publishPassword;
    const QString web = controller.secrets().webPassword;
    QCOMPARE(publish.size(), 24);
    QVERIFY(publish != web);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());

    auto *field = wizard.currentPage()->findChild<QWidget *>(QStringLiteral("publishPassword"));
    auto *edit = field->findChild<QLineEdit *>();
    QCOMPARE(edit->echoMode(), QLineEdit::Password); // hidden until asked
    QTest::mouseClick(field->findChild<QAbstractButton *>(QStringLiteral("reveal")),
                      Qt::LeftButton);
    QCOMPARE(edit->echoMode(), QLineEdit::Normal);
    QTest::mouseClick(field->findChild<QAbstractButton *>(QStringLiteral("copy")), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), publish);
    QTest::mouseClick(field->findChild<QAbstractButton *>(QStringLiteral("generate")),
                      Qt::LeftButton);
    QVERIFY(controller.secrets().publishPassword != publish);
    QCOMPARE(edit->text(), controller.secrets().publishPassword);
}

void tst_WizardPages::exportFlowAsksForThePageHost()
{
    // Exporting needs no Pi connection page, so nothing derives the page host from it.
    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    controller.setOffline(true);
    MainWizard wizard(&controller);
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    auto *exportButton = wizard.findChild<QAbstractButton *>(QStringLiteral("exportButton"));
    exportButton->click();
    wizard.next();
    QCOMPARE(wizard.currentId(), int(MainWizard::Broker));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(MainWizard::Weewx));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    auto *message = wizard.currentPage()->findChild<QLabel *>(QStringLiteral("page.host.message"));
    QVERIFY(message->text().contains(QStringLiteral("Page websocket host: is required")));
    auto *host = wizard.currentPage()->findChild<QLineEdit *>(QStringLiteral("pageHost"));
    host->setFocus();
    QTest::keyClicks(host, QStringLiteral("weather.example.org"));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(MainWizard::Export));
}

QTEST_MAIN(tst_WizardPages)
#include "tst_wizardpages.moc"
