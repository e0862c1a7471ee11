// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/secretstore.h"

#include "wizard/logging.h"

#include <QHash>
#include <QMetaObject>
#include <QPointer>

#include <qt6keychain/keychain.h>

namespace wmw {

namespace {
const QString kService = QStringLiteral("weewx-mqtt-wizard");

// Queued, so that the caller's code after the call runs before the answer, as with the
// keychain (QtKeychain starts its jobs queued too).
template<typename F>
void later(QObject *context, F &&f)
{
    QMetaObject::invokeMethod(context, std::forward<F>(f), Qt::QueuedConnection);
}
} // namespace

void MemorySecretStore::read(const QString &key, QObject *context, ReadDone done)
{
    std::optional<QString> value;
    if (auto it = m_values.constFind(key); it != m_values.constEnd())
        value = *it;
    later(context, [done, value]() { done(value, QString()); });
}

void MemorySecretStore::write(const QString &key, const QString &value, QObject *context,
                              WriteDone done)
{
    m_values.insert(key, value);
    later(context, [done]() { done(QString()); });
}

void MemorySecretStore::remove(const QString &key, QObject *context, WriteDone done)
{
    m_values.remove(key);
    later(context, [done]() { done(QString()); });
}

void KeychainSecretStore::read(const QString &key, QObject *context, ReadDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(kService);
    job->setAutoDelete(true);
    job->setKey(key);
    // Never fall back to a plain file: "nothing secret in any file".
    job->setInsecureFallback(false);
    QObject::connect(job, &QKeychain::Job::finished, context, [done](QKeychain::Job *finished) {
        auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (readJob->error() == QKeychain::NoError) {
            done(readJob->textData(), QString());
        } else if (readJob->error() == QKeychain::EntryNotFound) {
            done(std::nullopt, QString());
        } else {
            qCInfo(lcWizard) << "keychain read failed:" << readJob->errorString();
            done(std::nullopt, readJob->errorString());
        }
    });
    job->start();
}

void KeychainSecretStore::write(const QString &key, const QString &value, QObject *context,
                                WriteDone done)
{
    auto *job = new QKeychain::WritePasswordJob(kService);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setInsecureFallback(false);
    job->setTextData(value);
    QObject::connect(job, &QKeychain::Job::finished, context, [done](QKeychain::Job *finished) {
        if (finished->error() != QKeychain::NoError)
            qCInfo(lcWizard) << "keychain write failed:" << finished->errorString();
        done(finished->error() == QKeychain::NoError ? QString() : finished->errorString());
    });
    job->start();
}

void KeychainSecretStore::remove(const QString &key, QObject *context, WriteDone done)
{
    auto *job = new QKeychain::DeletePasswordJob(kService);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setInsecureFallback(false);
    QObject::connect(job, &QKeychain::Job::finished, context, [done](QKeychain::Job *finished) {
        const bool ok = finished->error() == QKeychain::NoError
                        || finished->error() == QKeychain::EntryNotFound;
        done(ok ? QString() : finished->errorString());
    });
    job->start();
}

} // namespace wmw
