// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/sshserver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>

#include <unistd.h>

namespace wmw::test {

namespace {

// Runs as root inside `unshare --mount --propagation private`: everything it mounts, and
// every user it adds, disappears with the namespace. $1 is the server's temp folder.
const char startScript[] = R"sh(set -e
D="$1"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$D/etc-upper,workdir=$D/etc-work" /etc
# sudo keeps timestamps in /run/sudo, sshd wants /run/sshd: a private /run holds both.
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/sshd
while IFS=: read -r name sudo; do
    [ -n "$name" ] || continue
    id -u "$name" >/dev/null 2>&1 || useradd -M -d "$D/home/$name" -s /bin/sh "$name"
    mkdir -p "$D/home/$name"
    chown "$name:" "$D/home/$name"
    case "$sudo" in
    password) printf '%s ALL=(ALL:ALL) ALL\n' "$name" >"/etc/sudoers.d/wmw-$name" ;;
    nopassword) printf '%s ALL=(ALL:ALL) NOPASSWD: ALL\n' "$name" >"/etc/sudoers.d/wmw-$name" ;;
    *) rm -f "/etc/sudoers.d/wmw-$name" ;;
    esac
done <"$D/users"
# No lecture: it would be written to /var/lib/sudo on the host.
printf 'Defaults lecture=never\n' >/etc/sudoers.d/wmw-defaults
chmod 0440 /etc/sudoers.d/wmw-*
if [ -s "$D/passwords" ]; then chpasswd <"$D/passwords"; fi
if [ -f "$D/pam-sshd" ]; then cp "$D/pam-sshd" /etc/pam.d/sshd; fi
exec /usr/sbin/sshd -D -e -f "$D/sshd_config"
)sh";

const char pamStack[] = "auth required pam_unix.so\n"
                        "account required pam_unix.so\n"
                        "password required pam_unix.so\n"
                        "session required pam_unix.so\n";

struct Ran
{
    int exitCode = -1;
    QByteArray out;
};

Ran runTool(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    Ran ran;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return ran;
    }
    ran.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    ran.out = process.readAll();
    return ran;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

} // namespace

SshServer::SshServer()
    : m_dir(std::make_unique<QTemporaryDir>())
{ }

SshServer::~SshServer()
{
    stop();
    // Remote tests leave files with names that are not UTF-8, which QDir cannot remove.
    if (m_dir->isValid())
        runTool(QStringLiteral("rm"), {QStringLiteral("-rf"), QStringLiteral("--"), dir()});
}

QString SshServer::unavailableReason()
{
    if (!QFileInfo::exists(QStringLiteral("/usr/sbin/sshd")))
        return QStringLiteral("/usr/sbin/sshd is not installed (package openssh-server)");
    if (!QFileInfo::exists(QStringLiteral("/usr/bin/unshare")))
        return QStringLiteral("unshare is not installed (package util-linux)");
    if (geteuid() != 0)
        return QStringLiteral("a private mount namespace for sshd needs root");
    return {};
}

QString SshServer::homeOf(const QString &user) const
{
    return user == QLatin1String("root") ? QStringLiteral("/root") : dir() + u"/home/" + user;
}

bool SshServer::writeConfig()
{
    QByteArray users;
    QByteArray passwords;
    for (const User &user : std::as_const(m_options.users)) {
        const char *sudo = user.sudo == User::Sudo::WithPassword      ? "password"
                           : user.sudo == User::Sudo::WithoutPassword ? "nopassword"
                                                                      : "none";
        users += user.name.toUtf8() + ':' + sudo + '\n';
        if (!user.password.isEmpty())
            passwords += user.name.toUtf8() + ':' + user.password.toUtf8() + '\n';
    }
    QByteArray config =
            "Port " + QByteArray::number(m_port) + "\nListenAddress 127.0.0.1\n" + "HostKey "
            + QFile::encodeName(dir()) + "/hostkey\nPidFile none\n" + "UsePAM "
            + (m_options.usePam ? "yes" : "no") + '\n' + "KbdInteractiveAuthentication "
            + (m_options.usePam ? "yes" : "no") + '\n' + "PasswordAuthentication "
            + (m_options.passwordAuthentication ? "yes" : "no") + '\n'
            + "PermitRootLogin yes\nPubkeyAuthentication yes\n" + "AuthorizedKeysFile "
            + QFile::encodeName(dir())
            + "/authorized/%u\n"
            // The temp folder lies under world-writable /tmp, which StrictModes refuses.
            + "StrictModes no\nMaxAuthTries 20\nSubsystem sftp internal-sftp\n";
    if (!m_options.compression.isEmpty())
        config += "Compression " + m_options.compression.toUtf8() + '\n';
    if (m_options.maxSessions >= 0)
        config += "MaxSessions " + QByteArray::number(m_options.maxSessions) + '\n';
    if (m_options.debugLog)
        config += "LogLevel DEBUG1\n";
    if (!m_options.authenticationMethods.isEmpty())
        config += "AuthenticationMethods " + m_options.authenticationMethods.toUtf8() + '\n';
    QDir(dir()).mkpath(QStringLiteral("etc-upper"));
    QDir(dir()).mkpath(QStringLiteral("etc-work"));
    QDir(dir()).mkpath(QStringLiteral("authorized"));
    QDir(dir()).mkpath(QStringLiteral("home"));
    QFile::remove(dir() + u"/pam-sshd");
    return writeFile(dir() + u"/sshd_config", config) && writeFile(dir() + u"/users", users)
           && writeFile(dir() + u"/passwords", passwords)
           && writeFile(dir() + u"/start.sh", startScript)
           && (!m_options.usePam || writeFile(dir() + u"/pam-sshd", pamStack));
}

bool SshServer::start(const Options &options)
{
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("no temp folder: ") + m_dir->errorString();
        return false;
    }
    // Users must reach their homes below it; QTemporaryDir makes it 0700.
    QFile::setPermissions(dir(), QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                         | QFileDevice::ExeOwner | QFileDevice::ReadGroup
                                         | QFileDevice::ExeGroup | QFileDevice::ReadOther
                                         | QFileDevice::ExeOther);
    m_options = options;
    const Ran key =
            runTool(QStringLiteral("ssh-keygen"),
                    {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                     QStringLiteral("-N"), QString(), QStringLiteral("-f"), dir() + u"/hostkey"});
    if (key.exitCode != 0) {
        m_error = QStringLiteral("ssh-keygen failed: ") + QString::fromUtf8(key.out);
        return false;
    }
    // A port picked free may be taken before sshd binds it (tests run in parallel): retry.
    for (int tries = 0; tries < 5; ++tries) {
        m_port = freePort();
        if (launch())
            return true;
        if (!m_error.contains(QLatin1String("Address already in use")))
            return false;
    }
    return false;
}

bool SshServer::launch()
{
    if (!writeConfig()) {
        m_error = QStringLiteral("could not write the sshd configuration in ") + dir();
        return false;
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(QStringLiteral("/usr/bin/unshare"),
                     {QStringLiteral("--mount"), QStringLiteral("--propagation"),
                      QStringLiteral("private"), QStringLiteral("/bin/sh"), dir() + u"/start.sh",
                      dir()});
    QByteArray output;
    const QByteArray ready = "Server listening on 127.0.0.1 port " + QByteArray::number(m_port);
    while (!output.contains(ready)) {
        if (!m_process->waitForReadyRead(10000)) {
            output += m_process->readAll();
            m_error = QStringLiteral("sshd did not start: ") + QString::fromUtf8(output);
            m_process->kill();
            m_process->waitForFinished();
            m_process.reset();
            return false;
        }
        output += m_process->readAll();
    }
    m_error.clear();
    return true;
}

QByteArray SshServer::takeLog()
{
    if (!m_process)
        return {};
    m_process->waitForReadyRead(0);
    return m_process->readAll();
}

bool SshServer::restartWithNewHostKey()
{
    stop();
    QFile::remove(dir() + u"/hostkey");
    QFile::remove(dir() + u"/hostkey.pub");
    const Ran key =
            runTool(QStringLiteral("ssh-keygen"),
                    {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                     QStringLiteral("-N"), QString(), QStringLiteral("-f"), dir() + u"/hostkey"});
    return key.exitCode == 0 && launch();
}

void SshServer::stop()
{
    if (!m_process)
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(5000)) {
        m_process->kill();
        m_process->waitForFinished();
    }
    m_process.reset();
}

QString SshServer::hostKeyFingerprint() const
{
    const Ran ran = runTool(QStringLiteral("ssh-keygen"),
                            {QStringLiteral("-l"), QStringLiteral("-E"), QStringLiteral("sha256"),
                             QStringLiteral("-f"), dir() + u"/hostkey.pub"});
    const QList<QByteArray> fields = ran.out.split(' ');
    return fields.size() > 1 ? QString::fromLatin1(fields.at(1)) : QString();
}

QString SshServer::createClientKey(const QString &name, const QString &passphrase)
{
    const QString path = dir() + u"/client-" + name;
    QFile::remove(path);
    QFile::remove(path + u".pub");
    const Ran ran = runTool(QStringLiteral("ssh-keygen"),
                            {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                             QStringLiteral("-N"), passphrase, QStringLiteral("-C"), name,
                             QStringLiteral("-f"), path});
    return ran.exitCode == 0 ? path : QString();
}

bool SshServer::authorize(const QString &user, const QString &privateKey)
{
    QFile pub(privateKey + u".pub");
    if (!pub.open(QIODevice::ReadOnly))
        return false;
    QFile keys(dir() + u"/authorized/" + user);
    return keys.open(QIODevice::Append) && keys.write(pub.readAll()) > 0;
}

QByteArray SshServer::runInside(const QStringList &command, int *exitCode) const
{
    if (!m_process)
        return {};
    const Ran ran = runTool(
            QStringLiteral("/usr/bin/nsenter"),
            QStringList{QStringLiteral("--mount=/proc/%1/ns/mnt").arg(m_process->processId()),
                        QStringLiteral("--")}
                    + command);
    if (exitCode)
        *exitCode = ran.exitCode;
    return ran.out;
}

SshAgent::SshAgent()
    : m_dir(std::make_unique<QTemporaryDir>())
{ }

SshAgent::~SshAgent()
{
    if (m_process) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000))
            m_process->kill();
        m_process->waitForFinished();
    }
}

bool SshAgent::start()
{
    m_socket = m_dir->path() + u"/agent.socket";
    m_process = std::make_unique<QProcess>();
    // -D: stay in the foreground and print SSH_AUTH_SOCK once the socket listens.
    m_process->start(QStringLiteral("ssh-agent"),
                     {QStringLiteral("-D"), QStringLiteral("-a"), m_socket});
    QByteArray output;
    while (!output.contains("SSH_AUTH_SOCK")) {
        if (!m_process->waitForReadyRead(10000)) {
            m_error = QStringLiteral("ssh-agent did not start: ")
                      + QString::fromUtf8(output + m_process->readAllStandardError());
            return false;
        }
        output += m_process->readAllStandardOutput();
    }
    return true;
}

bool SshAgent::add(const QString &privateKey)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SSH_AUTH_SOCK"), m_socket);
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("ssh-add"), {QStringLiteral("-q"), privateKey});
    if (!process.waitForFinished(30000) || process.exitCode() != 0) {
        m_error = QStringLiteral("ssh-add failed: ") + QString::fromUtf8(process.readAll());
        return false;
    }
    return true;
}

} // namespace wmw::test
