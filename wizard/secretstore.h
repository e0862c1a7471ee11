// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace wmw {

/// Where the passwords of a profile are kept between runs, when the user allows it. An
/// interface so that tests need no keychain (MemorySecretStore) and the program uses the OS
/// keychain (KeychainSecretStore). Every call answers later through its callback, also for an
/// immediate error, so callers handle one path.
class SecretStore
{
public:
    virtual ~SecretStore() = default;

    /// The value, std::nullopt when there is none or it could not be read (`error` says why,
    /// translated; empty when there simply is none).
    using ReadDone = std::function<void(const std::optional<QString> &value, const QString &error)>;
    /// Empty error on success.
    using WriteDone = std::function<void(const QString &error)>;

    /// `context` guards the callback: when it is destroyed first, the callback is dropped.
    virtual void read(const QString &key, QObject *context, ReadDone done) = 0;
    virtual void write(const QString &key, const QString &value, QObject *context,
                       WriteDone done) = 0;
    virtual void remove(const QString &key, QObject *context, WriteDone done) = 0;
};

/// Keeps secrets in memory for the lifetime of the object (tests, and runs without keychain).
class MemorySecretStore : public SecretStore
{
public:
    void read(const QString &key, QObject *context, ReadDone done) override;
    void write(const QString &key, const QString &value, QObject *context, WriteDone done) override;
    void remove(const QString &key, QObject *context, WriteDone done) override;

    int size() const { return int(m_values.size()); }

private:
    QHash<QString, QString> m_values;
};

/// The OS keychain (Secret Service, KWallet, macOS Keychain, Windows Credential Store)
/// through QtKeychain, under the service name "weewx-mqtt-wizard".
class KeychainSecretStore : public SecretStore
{
public:
    void read(const QString &key, QObject *context, ReadDone done) override;
    void write(const QString &key, const QString &value, QObject *context, WriteDone done) override;
    void remove(const QString &key, QObject *context, WriteDone done) override;
};

} // namespace wmw
