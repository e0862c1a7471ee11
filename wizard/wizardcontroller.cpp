// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/wizardcontroller.h"

#include "wizard/connectiontest.h"
#include "wizard/diagnosisdemo.h"
#include "wizard/diagnosisrun.h"
#include "wizard/exportflow.h"
#include "wizard/livemonitor.h"
#include "wizard/logging.h"
#include "wizard/profilestore.h"
#include "wizard/provisioningflow.h"
#include "wizard/secretstore.h"

#include <QHostInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

namespace wmw {

namespace {
// The secrets a profile keeps in the keychain, by name.
struct SecretField
{
    const char *name;
    QString config::Secrets::*member;
};
const SecretField kSecretFields[] = {
        {"publishPassword", &config::Secrets::publishPassword},
        {"webPassword", &config::Secrets::webPassword},
        {"sshPassword", &config::Secrets::sshPassword},
        {"sudoPassword", &config::Secrets::sudoPassword},
};
} // namespace

WizardController::WizardController(std::unique_ptr<SecretStore> store, QObject *parent)
    : QObject(parent)
    , m_store(store ? std::move(store) : std::make_unique<KeychainSecretStore>())
    , m_connectionTest(new ConnectionTest(this))
    , m_liveMonitor(new LiveMonitor(this))
    , m_provisioningFlow(new ProvisioningFlow(this))
    , m_exportFlow(new ExportFlow(this))
{ }

WizardController::~WizardController() = default;

void WizardController::editProfile(const std::function<void(config::StationProfile &)> &edit)
{
    edit(m_profile);
    emit findingsChanged();
}

void WizardController::editSecrets(const std::function<void(config::Secrets &)> &edit)
{
    edit(m_secrets);
    emit findingsChanged();
}

void WizardController::replaceProfile(const config::StationProfile &profile,
                                      const config::Secrets &secrets)
{
    m_profile = profile;
    m_secrets = secrets;
    emit profileReplaced();
    emit findingsChanged();
}

QList<config::Finding> WizardController::findings() const
{
    return config::Validation::validate(m_profile)
           + config::Validation::validateSecrets(m_profile, m_secrets);
}

QString WizardController::generatePassword(int length)
{
    // Only characters that every place the password goes accepts as is (server_url, the
    // quoted weewx.conf value, the page's JavaScript): see config::Validation::checkPassword.
    static const QString alphabet =
            QStringLiteral("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.");
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i)
        out += alphabet.at(QRandomGenerator::system()->bounded(int(alphabet.size())));
    return out;
}

void WizardController::ensureBrokerPasswords()
{
    if (!m_secrets.publishPassword.isEmpty() && !m_secrets.webPassword.isEmpty())
        return;
    editSecrets([](config::Secrets &s) {
        if (s.publishPassword.isEmpty())
            s.publishPassword = generatePassword();
        if (s.webPassword.isEmpty())
            s.webPassword = generatePassword();
    });
}

void WizardController::setSshAuth(SshAuth auth, const QString &keyFile)
{
    m_sshAuth = auth;
    m_keyFile = keyFile;
    emit findingsChanged();
}

ssh::SshTarget WizardController::sshTarget() const
{
    ssh::SshTarget target;
    target.host = m_profile.piHost;
    target.port = m_profile.sshPort;
    target.user = m_profile.sshUser;
    target.knownHostsFile = m_sshEnvironment.knownHostsFile;
    target.sshDirectory = m_sshEnvironment.sshDirectory;
    target.agentSocket = m_sshEnvironment.agentSocket;
    target.processConfig = m_sshEnvironment.processConfig;
    if (m_sshAuth == SshAuth::KeyFile)
        target.identityFile = m_keyFile;
    if (m_sshAuth == SshAuth::Password)
        target.password = m_secrets.sshPassword;
    return target;
}

void WizardController::resolveHost(const QString &host)
{
    if (host.isEmpty() || m_offline)
        return;
    QHostInfo::lookupHost(host, this, [this, host](const QHostInfo &info) {
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            emit hostResolved(host, false,
                              tr("does not resolve from this laptop (%1)").arg(info.errorString()));
            return;
        }
        QStringList addresses;
        for (const QHostAddress &address : info.addresses()) {
            if (addresses.size() < 3)
                addresses << address.toString();
        }
        emit hostResolved(host, true, addresses.join(QStringLiteral(", ")));
    });
}

void WizardController::testConnection()
{
    if (!m_offline)
        m_connectionTest->start(sshTarget(), m_secrets.sudoPassword);
}

void WizardController::startLiveCheck()
{
    if (!m_offline)
        m_liveMonitor->start(m_profile, m_secrets);
}

QString WizardController::openProfile(const QString &path)
{
    ProfileStore::Loaded loaded = ProfileStore::open(path);
    if (!loaded.ok())
        return loaded.errorString;
    m_profilePath = path;
    ProfileStore::addRecent(path);
    replaceProfile(loaded.profile, config::Secrets());
    if (ProfileStore::keychainAllowed())
        loadSecretsFromStore();
    return {};
}

QString WizardController::saveProfile(const QString &path)
{
    if (const QString error = ProfileStore::save(path, m_profile); !error.isEmpty())
        return error;
    m_profilePath = path;
    ProfileStore::addRecent(path);
    if (!ProfileStore::keychainAllowed())
        return {};
    for (const SecretField &field : kSecretFields) {
        const QString key = ProfileStore::secretKey(m_profile, QLatin1String(field.name));
        const QString value = m_secrets.*field.member;
        auto done = [this](const QString &error) {
            if (!error.isEmpty())
                emit secretStoreMessage(
                        tr("The password could not be saved in the keychain: %1").arg(error));
        };
        if (value.isEmpty())
            m_store->remove(key, this, done);
        else
            m_store->write(key, value, this, done);
    }
    return {};
}

void WizardController::loadSecretsFromStore()
{
    const config::StationProfile asked = m_profile;
    for (const SecretField &field : kSecretFields) {
        const QString key = ProfileStore::secretKey(m_profile, QLatin1String(field.name));
        auto member = field.member;
        m_store->read(
                key, this,
                [this, asked, member](const std::optional<QString> &value, const QString &error) {
                    if (!error.isEmpty())
                        emit secretStoreMessage(
                                tr("The keychain could not be read: %1").arg(error));
                    // Another profile opened meanwhile: not this one's secret.
                    if (!value || m_profile != asked)
                        return;
                    m_secrets.*member = *value;
                    emit profileReplaced();
                    emit findingsChanged();
                });
    }
}

// --- Diagnosis -----------------------------------------------------------------------------

DiagnosisRun *WizardController::diagnosisRun()
{
    if (!m_diagnosisRun)
        m_diagnosisRun = new DiagnosisRun(this);
    return m_diagnosisRun;
}

void WizardController::startDiagnosis(const QString &pageUrl)
{
    if (m_offline) {
        diagnosisRun()->present(demoDiagnosisReport(m_profile));
        return;
    }
    DiagnosisRun::Options options;
    options.target = sshTarget();
    options.sudoPassword =
            m_secrets.sudoPassword.isEmpty() ? m_secrets.sshPassword : m_secrets.sudoPassword;
    options.pageUrl = pageUrl;
    options.secrets = {m_secrets.publishPassword, m_secrets.webPassword, m_secrets.sshPassword,
                       m_secrets.sudoPassword};
    options.secrets.removeAll(QString());
    options.liveMessageTimeoutMs = m_diagnosisLiveTimeoutMs;
    // The session the connection test left open, when it is to the Pi of the profile.
    ssh::SshSession *session = m_connectionTest->session();
    if (session && session->state() != ssh::SshSession::State::Connected)
        session = nullptr;
    if (session && !session->hostKey().host.isEmpty()
        && session->hostKey().host != m_profile.piHost)
        session = nullptr;
    diagnosisRun()->start(session, options);
}

QString WizardController::applyFixHint(const QVariantMap &fields)
{
    if (fields.isEmpty())
        return {};
    // Through the profile's own JSON form, so every key is checked as a saved profile is.
    QJsonObject root = QJsonDocument::fromJson(m_profile.toJson()).object();
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        const QString section = it.key().section(u'.', 0, 0);
        const QString key = it.key().section(u'.', 1);
        QJsonObject object = root.value(section).toObject();
        if (!root.contains(section) || !object.contains(key))
            return tr("The fix names an unknown profile field \"%1\".").arg(it.key());
        object.insert(key, QJsonValue::fromVariant(it.value()));
        root.insert(section, object);
    }
    const config::ProfileLoadResult loaded =
            config::ProfileJson::fromJson(QJsonDocument(root).toJson());
    if (!loaded.ok())
        return loaded.errorString;
    editProfile([&loaded](config::StationProfile &p) { p = loaded.profile; });
    emit profileReplaced();
    return {};
}

} // namespace wmw
