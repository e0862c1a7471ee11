// SPDX-License-Identifier: GPL-3.0-or-later
// The Diagnoser job's life cycle where no Pi is needed: cancelling before its first step.
#include "remote/diagnosis/diagnoser.h"
#include "remote/ssh/sshsession.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

using wmw::diagnosis::Diagnoser;

class tst_Diagnoser : public QObject
{
    Q_OBJECT

private slots:
    void cancelBeforeTheFirstStepRunsNothing();
};

// Regression: cancel() between start() and its queued first step did nothing, and the whole
// diagnosis ran anyway.
void tst_Diagnoser::cancelBeforeTheFirstStepRunsNothing()
{
    wmw::ssh::SshSession session;
    Diagnoser diagnoser(&session);
    QSignalSpy finished(&diagnoser, &Diagnoser::finished);
    QSignalSpy states(&diagnoser, &Diagnoser::stateChanged);
    QSignalSpy sessionStates(&session, &wmw::ssh::SshSession::stateChanged);

    Diagnoser::Options options;
    options.target.host = QStringLiteral("127.0.0.1");
    options.target.port = 9; // nothing is ever reached: the job must not even try
    diagnoser.start(options);
    diagnoser.cancel();

    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(diagnoser.state(), Diagnoser::State::Failed);
    QCOMPARE(diagnoser.error(), Diagnoser::Error::Cancelled);
    // Let the queued first step come and go: it must not connect or finish a second time.
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(sessionStates.size(), 0);
    for (const QList<QVariant> &change : states)
        QVERIFY(change.first().value<Diagnoser::State>() != Diagnoser::State::Connecting);
}

QTEST_GUILESS_MAIN(tst_Diagnoser)
#include "tst_diagnoser.moc"
