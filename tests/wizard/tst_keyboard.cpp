// SPDX-License-Identifier: GPL-3.0-or-later
// The wizard with the keyboard only: Tab walks every page's fields in the order they are
// shown, every field has a label whose accelerator (Alt+letter, unique on the page) reaches
// it, and Return on the review page never starts the apply.
#include "wizard/demostate.h"
#include "wizard/mainwizard.h"
#include "wizard/profilestore.h"
#include "wizard/secretstore.h"
#include "wizard/wizardcontroller.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTest>

using wmw::MainWizard;
using wmw::WizardController;

namespace {
/// The widget that takes the focus for `widget` (its focus proxy, if any).
QWidget *focusTarget(QWidget *widget)
{
    while (widget && widget->focusProxy())
        widget = widget->focusProxy();
    return widget;
}

/// The accelerator letter of a label or button text ("&Host:" -> 'H'), or a null QChar.
QChar accelerator(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != u'&')
            continue;
        if (text.at(i + 1) != u'&')
            return text.at(i + 1).toUpper();
        ++i; // "&&" is a literal '&'
    }
    return {};
}

/// The input fields of a page a user types into or picks from.
QList<QWidget *> fieldsOf(QWidget *page)
{
    QList<QWidget *> fields;
    for (QWidget *w : page->findChildren<QWidget *>()) {
        if (!w->isVisible() || !w->isEnabled())
            continue;
        // A spin box's or combo box's own line edit is part of that field.
        if (qobject_cast<QAbstractSpinBox *>(w->parentWidget())
            || qobject_cast<QComboBox *>(w->parentWidget()))
            continue;
        const auto *line = qobject_cast<QLineEdit *>(w);
        if ((line && !line->isReadOnly()) || qobject_cast<QAbstractSpinBox *>(w)
            || qobject_cast<QComboBox *>(w))
            fields << w;
    }
    return fields;
}

/// Fields introduced by the radio button above them instead of a label: field -> radio.
const QHash<QString, QString> &radioLabelled()
{
    static const QHash<QString, QString> map = {
            {QStringLiteral("keyFile"), QStringLiteral("authKeyFile")},
            {QStringLiteral("sshPassword"), QStringLiteral("authPassword")},
            {QStringLiteral("weewxConfFile"), QStringLiteral("weewxFromFile")},
    };
    return map;
}

/// The objectName of the field `widget` belongs to (a password field's line edit counts as
/// the password field).
QString fieldName(QWidget *widget, const QStringList &names)
{
    for (QWidget *w = widget; w; w = w->parentWidget()) {
        if (names.contains(w->objectName()))
            return w->objectName();
    }
    return {};
}
} // namespace

class tst_Keyboard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void tabFollowsTheVisualOrder_data();
    void tabFollowsTheVisualOrder();
    void everyFieldHasAnAcceleratorThatReachesIt_data();
    void everyFieldHasAnAcceleratorThatReachesIt();
    void returnOnTheReviewPageNeverApplies();

private:
    void openOn(MainWizard &wizard, int page);
    std::unique_ptr<WizardController> makeController();

    QTemporaryDir m_config;
};

void tst_Keyboard::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    // One recent profile, so that the welcome page's list takes part in the Tab order.
    const QString path = m_config.filePath(QStringLiteral("weatherpi.json"));
    QCOMPARE(wmw::ProfileStore::save(path, makeController()->profile()), QString());
    wmw::ProfileStore::addRecent(path);
}

std::unique_ptr<WizardController> tst_Keyboard::makeController()
{
    auto controller =
            std::make_unique<WizardController>(std::make_unique<wmw::MemorySecretStore>());
    wmw::applyDemoState(*controller); // filled and offline: nothing touches the network
    return controller;
}

void tst_Keyboard::openOn(MainWizard &wizard, int page)
{
    wizard.setStartId(page);
    wizard.restart();
    wizard.show();
    QApplication::setActiveWindow(&wizard);
    QVERIFY(QTest::qWaitForWindowActive(&wizard));
}

void tst_Keyboard::tabFollowsTheVisualOrder_data()
{
    QTest::addColumn<int>("page");
    QTest::addColumn<QStringList>("order");
    QTest::newRow("welcome: the chosen job, then the recent profiles")
            << int(MainWizard::Welcome)
            << QStringList{QStringLiteral("provisionButton"), QStringLiteral("recentProfiles")};
    QTest::newRow("Pi connection: host, port, user, login, sudo, test")
            << int(MainWizard::PiConnection)
            << QStringList{QStringLiteral("piHost"),        QStringLiteral("sshPort"),
                           QStringLiteral("sshUser"),       QStringLiteral("keyFile"),
                           QStringLiteral("sshPassword"),   QStringLiteral("sudoPassword"),
                           QStringLiteral("testConnection")};
    QTest::newRow("broker: each user with its password, topics, ports, policy")
            << int(MainWizard::Broker)
            << QStringList{QStringLiteral("publishUser"),     QStringLiteral("publishPassword"),
                           QStringLiteral("webUser"),         QStringLiteral("webPassword"),
                           QStringLiteral("topic"),           QStringLiteral("extraTopics"),
                           QStringLiteral("mqttPort"),        QStringLiteral("websocketPort"),
                           QStringLiteral("anonymousPolicy"), QStringLiteral("referenceFile")};
    QTest::newRow("WeeWX: server_url, topic, then the page's settings")
            << int(MainWizard::Weewx)
            << QStringList{QStringLiteral("serverUrlHost"),    QStringLiteral("weewxTopic"),
                           QStringLiteral("pageHost"),         QStringLiteral("pagePort"),
                           QStringLiteral("pageSsl"),          QStringLiteral("pageTopic"),
                           QStringLiteral("visitorDisconnect")};
    QTest::newRow("export: format, destination, contents, write")
            << int(MainWizard::Export)
            << QStringList{QStringLiteral("exportFormat"),      QStringLiteral("exportDestination"),
                           QStringLiteral("chooseDestination"), QStringLiteral("weewxConfFile"),
                           QStringLiteral("includeReference"),  QStringLiteral("writeBundle")};
}

void tst_Keyboard::tabFollowsTheVisualOrder()
{
    QFETCH(int, page);
    QFETCH(QStringList, order);
    auto controller = makeController();
    MainWizard wizard(controller.get());
    openOn(wizard, page);
    QCOMPARE(wizard.currentId(), page);

    // Only what the page shows now takes part (e.g. the key file only with key login).
    QStringList shown;
    for (const QString &name : order) {
        auto *w = wizard.currentPage()->findChild<QWidget *>(name);
        QVERIFY2(w, qPrintable(name));
        if (w->isVisible() && w->isEnabled())
            shown << name;
    }
    QVERIFY(shown.size() >= 2);

    focusTarget(wizard.currentPage()->findChild<QWidget *>(shown.constFirst()))->setFocus();
    QStringList walked{shown.constFirst()};
    for (int i = 0; i < 80 && walked.size() < shown.size(); ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        const QString name = fieldName(QApplication::focusWidget(), shown);
        if (!name.isEmpty() && walked.constLast() != name) {
            QVERIFY2(!walked.contains(name), qPrintable(walked.join(u", ") + u" then " + name));
            walked << name;
        }
    }
    QCOMPARE(walked, shown);
}

void tst_Keyboard::everyFieldHasAnAcceleratorThatReachesIt_data()
{
    QTest::addColumn<int>("page");
    for (int page :
         {MainWizard::Welcome, MainWizard::PiConnection, MainWizard::Broker, MainWizard::Weewx,
          MainWizard::Review, MainWizard::Diagnosis, MainWizard::Export, MainWizard::Done})
        QTest::newRow(qPrintable(MainWizard::pageFileName(page))) << page;
}

void tst_Keyboard::everyFieldHasAnAcceleratorThatReachesIt()
{
    QFETCH(int, page);
    auto controller = makeController();
    MainWizard wizard(controller.get());
    openOn(wizard, page);
    QWidget *current = wizard.currentPage();

    // No two visible labels or buttons of the window share a letter: Alt+letter would only
    // cycle between them.
    QHash<QChar, QString> letters;
    auto claim = [&letters](const QString &text) {
        const QChar letter = accelerator(text);
        if (letter.isNull())
            return;
        QVERIFY2(!letters.contains(letter),
                 qPrintable(QStringLiteral("Alt+%1: \"%2\" and \"%3\"")
                                    .arg(letter, letters.value(letter), text)));
        letters.insert(letter, text);
    };
    for (QAbstractButton *button : wizard.findChildren<QAbstractButton *>()) {
        if (button->isVisible())
            claim(button->text());
    }
    QHash<QWidget *, QLabel *> labelOf;
    for (QLabel *label : current->findChildren<QLabel *>()) {
        if (!label->isVisible() || !label->buddy())
            continue;
        claim(label->text());
        labelOf.insert(focusTarget(label->buddy()), label);
    }

    for (QWidget *field : fieldsOf(current)) {
        const QString name = field->objectName();
        if (radioLabelled().contains(name)) {
            auto *radio = current->findChild<QAbstractButton *>(radioLabelled().value(name));
            QVERIFY2(radio && !accelerator(radio->text()).isNull(), qPrintable(name));
            continue;
        }
        QLabel *label = labelOf.value(focusTarget(field));
        QVERIFY2(label, qPrintable(QStringLiteral("%1 has no label").arg(name)));
        const QChar letter = accelerator(label->text());
        QVERIFY2(!letter.isNull(), qPrintable(label->text()));

        // Alt+letter from elsewhere on the page puts the cursor into the field.
        wizard.button(QWizard::CancelButton)->setFocus();
        QTest::keyClick(&wizard, letter.toLatin1(), Qt::AltModifier);
        QVERIFY2(QApplication::focusWidget() == focusTarget(field)
                         || field->isAncestorOf(QApplication::focusWidget()),
                 qPrintable(label->text()));
    }
}

void tst_Keyboard::returnOnTheReviewPageNeverApplies()
{
    auto controller = makeController();
    MainWizard wizard(controller.get());
    openOn(wizard, MainWizard::Review);
    QVERIFY(wizard.button(QWizard::CommitButton)->isVisible());
    QVERIFY(wizard.button(QWizard::CommitButton)->isEnabled());

    for (const char *name : {"reviewFiles", "reviewDiff", "installExtension"}) {
        auto *w = wizard.currentPage()->findChild<QWidget *>(QLatin1String(name));
        if (!w || !w->isVisible())
            continue;
        w->setFocus();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QCOMPARE(wizard.currentId(), int(MainWizard::Review));
    }

    // The button itself, clicked, still applies.
    QTest::mouseClick(wizard.button(QWizard::CommitButton), Qt::LeftButton);
    QCOMPARE(wizard.currentId(), int(MainWizard::Apply));
}

QTEST_MAIN(tst_Keyboard)
#include "tst_keyboard.moc"
