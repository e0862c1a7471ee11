// SPDX-License-Identifier: GPL-3.0-or-later
// The welcome page: each of the three jobs leads to its first page, and Next waits for a choice.
#include "wizard/mainwizard.h"

#include <QAbstractButton>
#include <QRadioButton>
#include <QTest>

using wmw::MainWizard;

namespace {
// A radio button only reacts to clicks on its indicator and label, not on the empty width
// the layout gives it: click where a user would, on the indicator.
void clickRadio(QRadioButton *radio)
{
    QTest::mouseClick(radio, Qt::LeftButton, {}, QPoint(8, radio->height() / 2));
}
} // namespace

class tst_WelcomePage : public QObject
{
    Q_OBJECT

private slots:
    void nextWaitsForAChoice();
    void choiceLeadsToItsPage_data();
    void choiceLeadsToItsPage();
    void backReturnsToWelcome();
};

void tst_WelcomePage::nextWaitsForAChoice()
{
    MainWizard wizard;
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QCOMPARE(wizard.currentId(), int(MainWizard::Welcome));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    clickRadio(wizard.findChild<QRadioButton *>(QStringLiteral("diagnoseButton")));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
}

void tst_WelcomePage::choiceLeadsToItsPage_data()
{
    QTest::addColumn<QString>("button");
    QTest::addColumn<int>("expectedPage");
    QTest::newRow("set up live updates leads to the Pi connection page")
            << QStringLiteral("provisionButton") << int(MainWizard::PiConnection);
    QTest::newRow("diagnose leads to the Pi connection page too")
            << QStringLiteral("diagnoseButton") << int(MainWizard::PiConnection);
    QTest::newRow("export needs no Pi: it leads to the broker page")
            << QStringLiteral("exportButton") << int(MainWizard::Broker);
}

void tst_WelcomePage::choiceLeadsToItsPage()
{
    QFETCH(QString, button);
    QFETCH(int, expectedPage);

    MainWizard wizard;
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    auto *radio = wizard.findChild<QRadioButton *>(button);
    QVERIFY2(radio, qPrintable(button));
    QVERIFY(radio->isVisible());
    clickRadio(radio);
    QVERIFY(radio->isChecked());
    QTest::mouseClick(wizard.button(QWizard::NextButton), Qt::LeftButton);
    QCOMPARE(wizard.currentId(), expectedPage);
    QVERIFY(!wizard.currentPage()->title().isEmpty());
}

void tst_WelcomePage::backReturnsToWelcome()
{
    MainWizard wizard;
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    clickRadio(wizard.findChild<QRadioButton *>(QStringLiteral("exportButton")));
    QTest::keyClick(&wizard, Qt::Key_Return); // Return presses the default button, Next
    QCOMPARE(wizard.currentId(), int(MainWizard::Broker));
    QTest::mouseClick(wizard.button(QWizard::BackButton), Qt::LeftButton);
    QCOMPARE(wizard.currentId(), int(MainWizard::Welcome));
}

QTEST_MAIN(tst_WelcomePage)
#include "tst_welcomepage.moc"
