// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/stationprofile.h"
#include "config/validation.h"
#include "remote/ssh/sshtypes.h"
#include "wizard/secretstore.h"

#include <QObject>
#include <QVariantMap>

#include <functional>
#include <memory>

namespace wmw {

class ConnectionTest;
class ExportFlow;
class DiagnosisRun;
class LiveMonitor;
class ProvisioningFlow;

/// The one object with side effects behind the wizard's pages: it holds the StationProfile
/// and Secrets being edited, validates them, runs the connection test (SSH + HostFacts) and
/// the live check, looks up host names, and opens and saves profiles (secrets only in the
/// keychain, and only when the user allows it). Pages show its state and signals.
class WizardController : public QObject
{
    Q_OBJECT
public:
    enum class SshAuth { Agent, KeyFile, Password };
    Q_ENUM(SshAuth)

    /// Where SSH looks for known_hosts, keys, config and the agent (tests point it at
    /// temporary files; empty means the user's own).
    struct SshEnvironment
    {
        QString knownHostsFile;
        QString sshDirectory;
        QString agentSocket;
        bool processConfig = true;
    };

    /// Without a store, secrets are kept by the OS keychain (when the user allows it).
    explicit WizardController(std::unique_ptr<SecretStore> store = {}, QObject *parent = nullptr);
    ~WizardController() override;

    const config::StationProfile &profile() const { return m_profile; }
    const config::Secrets &secrets() const { return m_secrets; }
    /// Changes the profile as a page's field was edited; findingsChanged() follows.
    void editProfile(const std::function<void(config::StationProfile &)> &edit);
    void editSecrets(const std::function<void(config::Secrets &)> &edit);
    /// Replaces everything (open, import, demo); profileReplaced() tells pages to reload.
    void replaceProfile(const config::StationProfile &profile, const config::Secrets &secrets);
    /// Validation of the profile and the passwords, for every field.
    QList<config::Finding> findings() const;
    /// Fills an empty broker password with a generated one (shown on request on the page).
    void ensureBrokerPasswords();
    /// A strong password every use accepts (letters, digits, '-', '_', '.'): ~143 bits.
    static QString generatePassword(int length = 24);

    SshAuth sshAuth() const { return m_sshAuth; }
    QString keyFile() const { return m_keyFile; }
    void setSshAuth(SshAuth auth, const QString &keyFile = {});
    void setSshEnvironment(const SshEnvironment &environment) { m_sshEnvironment = environment; }
    ssh::SshTarget sshTarget() const;

    /// The opt-in for the manual procedure's cleartext reference file of user:password.
    bool writeReferenceFile() const { return m_writeReferenceFile; }
    void setWriteReferenceFile(bool write) { m_writeReferenceFile = write; }

    /// Offline, nothing touches the network: testConnection(), startLiveCheck() and
    /// resolveHost() do nothing (screenshots show a demo state this way).
    void setOffline(bool offline) { m_offline = offline; }
    bool isOffline() const { return m_offline; }

    /// Looks `host` up from this laptop; hostResolved() answers.
    void resolveHost(const QString &host);

    ConnectionTest *connectionTest() const { return m_connectionTest; }
    /// Logs in with the profile's Pi settings and probes the Pi.
    void testConnection();
    LiveMonitor *liveMonitor() const { return m_liveMonitor; }
    /// Connects as the Belchertown page would, with the profile's page settings.
    void startLiveCheck();

    // --- provisioning and export (review, apply, done and export pages) ----------------------
    /// The plan, the apply and the undo, over the session the connection test opened.
    ProvisioningFlow *provisioningFlow() const { return m_provisioningFlow; }
    /// Writing the config bundle.
    ExportFlow *exportFlow() const { return m_exportFlow; }
    // --- end of provisioning and export ------------------------------------------------------

    /// The profile file last opened or saved; empty for a new profile.
    QString profilePath() const { return m_profilePath; }
    /// Opens a profile file; an empty result means success, else the translated reason.
    [[nodiscard]] QString openProfile(const QString &path);
    /// Saves to `path` (and the secrets to the keychain when allowed).
    [[nodiscard]] QString saveProfile(const QString &path);

    // --- Diagnosis (the Diagnosis page) ----------------------------------------------------
    /// The diagnosis job the Diagnosis page shows (made on first use).
    DiagnosisRun *diagnosisRun();
    /// Diagnoses the Pi over the session the Pi connection page's test left open, or logs in
    /// anew with the profile's Pi settings. Offline: shows the demo report instead.
    void startDiagnosis(const QString &pageUrl = {});
    /// Sets the profile fields of a finding's "fix it" hint (StationProfile JSON keys such as
    /// "page.host"); empty on success, else the translated reason naming the field.
    [[nodiscard]] QString applyFixHint(const QVariantMap &fields);
    /// How long a diagnosis's live check waits for loop data (tests shorten it).
    void setDiagnosisLiveTimeout(int ms) { m_diagnosisLiveTimeoutMs = ms; }
    // --- end of Diagnosis --------------------------------------------------------------------

signals:
    void profileReplaced();
    void findingsChanged();
    /// `ok` false: the name does not resolve from this laptop, `text` says so.
    void hostResolved(const QString &host, bool ok, const QString &text);
    /// Something about the keychain the user should know (translated).
    void secretStoreMessage(const QString &text);

private:
    void loadSecretsFromStore();

    config::StationProfile m_profile;
    config::Secrets m_secrets;
    std::unique_ptr<SecretStore> m_store;
    ConnectionTest *m_connectionTest = nullptr;
    LiveMonitor *m_liveMonitor = nullptr;
    ProvisioningFlow *m_provisioningFlow = nullptr; // provisioning and export
    ExportFlow *m_exportFlow = nullptr; // provisioning and export
    SshAuth m_sshAuth = SshAuth::Agent;
    QString m_keyFile;
    SshEnvironment m_sshEnvironment;
    bool m_writeReferenceFile = false;
    bool m_offline = false;
    QString m_profilePath;
    // Diagnosis
    DiagnosisRun *m_diagnosisRun = nullptr;
    int m_diagnosisLiveTimeoutMs = 30000;
};

} // namespace wmw
