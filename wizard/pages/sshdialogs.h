// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/ssh/sshtypes.h"

#include <QDialog>

class QLineEdit;

namespace wmw {

/// An SSH host key seen for the first time: the fingerprint to compare with the Pi's
/// (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the Pi), accept or refuse.
class HostKeyDialog : public QDialog
{
    Q_OBJECT
public:
    explicit HostKeyDialog(const ssh::HostKeyInfo &info, QWidget *parent = nullptr);
};

/// A secret SSH needs during the login: a key's passphrase, a password, or the answers of a
/// keyboard-interactive prompt.
class CredentialDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CredentialDialog(const ssh::CredentialRequest &request, QWidget *parent = nullptr);
    QStringList answers() const;

private:
    QList<QLineEdit *> m_edits;
};

} // namespace wmw
