// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace wmw::ssh {

/// Where and as whom to log in. Empty fields come from ~/.ssh/config (when processConfig is
/// on) or libssh's defaults (port 22, the local user name, ~/.ssh/id_*).
struct SshTarget
{
    QString host; ///< a host name, an address or a ~/.ssh/config alias
    int port = 0; ///< 0: from the config file, else 22
    QString user;
    QString identityFile; ///< tried before the config's and the default key files
    QString knownHostsFile; ///< empty: ~/.ssh/known_hosts
    QString sshDirectory; ///< empty: ~/.ssh (where default keys and known_hosts live)
    bool processConfig = true; ///< read ~/.ssh/config (tests turn this off)
    QString configFile; ///< empty: ~/.ssh/config (only read when processConfig is on)
    QString agentSocket; ///< empty: $SSH_AUTH_SOCK
    /// Secrets given up front; when empty and needed, credentialRequested() asks.
    /// Held in memory only, never logged.
    QString password;
    QString passphrase;
    int connectTimeoutMs = 15000;
};

/// What the caller is asked to decide about a host key not yet in known_hosts.
struct HostKeyInfo
{
    QString host;
    int port = 22;
    QString keyType; ///< e.g. ssh-ed25519
    QString fingerprint; ///< SHA256:base64, as `ssh-keygen -l` prints it
    QString knownHostsFile;
};

/// A secret libssh needs in the middle of the login.
struct CredentialRequest
{
    enum class Kind { Passphrase, Password, KeyboardInteractive };
    Kind kind = Kind::Password;
    QString user;
    QString host;
    QString name; ///< keyboard-interactive: the server's title
    QString instruction; ///< keyboard-interactive: the server's instruction
    QList<QString> prompts; ///< one answer per prompt (one for passphrase and password)
    QList<bool> echo; ///< whether each answer may be shown while typed
};

/// Owner, group and permissions of a remote file, as `ls -l` shows them.
struct RemoteFileInfo
{
    QString owner; ///< empty when the name could not be learnt (then see uid)
    QString group;
    uint uid = 0;
    uint gid = 0;
    uint mode = 0; ///< permission bits, e.g. 0640
    qint64 size = 0;
    bool isDirectory = false;
};

} // namespace wmw::ssh

Q_DECLARE_METATYPE(wmw::ssh::HostKeyInfo)
Q_DECLARE_METATYPE(wmw::ssh::CredentialRequest)
